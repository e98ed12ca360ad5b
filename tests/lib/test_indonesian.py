import datetime as dt

import pytest

from satupintu.lib.indonesian import format_date, format_place_date, mask_name, roman_month


@pytest.mark.parametrize(
    "date, text",
    [
        (dt.date(2026, 11, 27), "27 November 2026"),
        (dt.date(2026, 1, 1), "1 Januari 2026"),
        (dt.date(2027, 2, 28), "28 Februari 2027"),
        (dt.date(2026, 8, 17), "17 Agustus 2026"),
        (dt.date(2026, 5, 9), "9 Mei 2026"),
    ],
)
def test_it_writes_dates_in_indonesian(date, text):
    assert format_date(date) == text


def test_it_writes_the_place_and_date_line():
    assert format_place_date("Sragen", dt.date(2026, 11, 27)) == "Sragen, 27 November 2026"


@pytest.mark.parametrize("month, roman", [(1, "I"), (4, "IV"), (9, "IX"), (11, "XI"), (12, "XII")])
def test_it_writes_months_in_roman_numerals(month, roman):
    assert roman_month(month) == roman


@pytest.mark.parametrize("month", [0, 13])
def test_it_refuses_a_month_that_does_not_exist(month):
    with pytest.raises(ValueError):
        roman_month(month)


@pytest.mark.parametrize(
    "name, masked",
    [
        ("Sutrisno Wibowo", "Su****** Wi****"),
        ("Siti", "Si**"),
        ("Ani", "A**"),
        ("Dra. Sri Wahyuni", "Dr** S** Wa*****"),
        ("", ""),
    ],
)
def test_it_masks_names_for_public_pages(name, masked):
    assert mask_name(name) == masked
