"""Small-count suppression (primary and complementary) and formula-safe spreadsheet cells."""

import csv
import io

import pytest
from openpyxl import load_workbook

from satupintu.justice.exports import csv_response, safe_cell, xlsx_response
from satupintu.justice.suppression import suppress_column


def test_counts_under_five_are_hidden_and_zero_is_shown():
    assert suppress_column([0, 5, 12, 40], minimum=5).cells == [0, 5, 12, 40]
    column = suppress_column([3, 12, 40, 7], minimum=5)
    assert column.cells[0] is None


def test_a_single_hidden_cell_cannot_be_recovered_from_the_total():
    column = suppress_column([3, 12, 40, 7], minimum=5)
    assert column.total == 62
    assert column.cells == [None, 12, 40, None]  # 7, the smallest other, hidden as well


def test_two_hidden_cells_need_no_complement():
    assert suppress_column([3, 2, 40, 7], minimum=5).cells == [None, None, 40, 7]


def test_a_small_total_is_hidden_and_then_no_complement_is_needed():
    column = suppress_column([3, 0, 0], minimum=5)
    assert column.total is None and column.cells == [None, 0, 0]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_quoted(text):
    assert safe_cell(text) == "'" + text


def test_plain_values_are_untouched():
    assert safe_cell("Kalijambe") == "Kalijambe" and safe_cell(-5) == -5 and safe_cell(None) is None


def test_csv_and_xlsx_exports_quote_formulas():
    rows = [["=cmd|' /C calc'!A0", 3]]
    body = csv_response("x.csv", ["a", "b"], rows).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1][0] == "'=cmd|' /C calc'!A0"
    book = load_workbook(io.BytesIO(xlsx_response("x.xlsx", [("S", ["a", "b"], rows)]).content))
    assert book["S"]["A2"].value == "'=cmd|' /C calc'!A0" and book["S"]["B2"].value == 3
