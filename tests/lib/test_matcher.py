"""The duplicate matcher: each kind of duplicate is found and explained; a seeded sample is scored."""

import datetime as dt

import pytest

from bench.dedup_data import generate, score
from satupintu.lib.matcher import CERTAIN, POSSIBLE, Person, compare, find_matches, normalise_name

BASE = Person(1, "3314011205750001", "Muhammad Rizki Santoso", "L", dt.date(1975, 5, 12), "Sragen", "33.14.01.2001", 1)


# Namesakes born in other years make the name common, so the rare-name bonus stays out of these cases.
NAMESAKES = [BASE._replace(key=100 + i, group=100 + i, nik=None, birth_date=dt.date(1900 + i, 1, 1)) for i in range(60)]


def pair_with(**changes):
    other = BASE._replace(key=2, group=2, **changes)
    matches = [m for m in find_matches([BASE, other, *NAMESAKES]) if {m.a, m.b} == {1, 2}]
    return matches[0] if matches else None


@pytest.mark.parametrize(
    ("changes", "level", "reason"),
    [
        ({}, CERTAIN, "NIK sama"),
        ({"name": "Muhammad Rizki Santosa"}, CERTAIN, "nama beda satu huruf"),
        ({"name": "M. Rizki Santoso"}, CERTAIN, "nama depan disingkat"),
        ({"name": "Moch Rizki Santoso"}, CERTAIN, "nama sama"),
        ({"birth_date": dt.date(1975, 12, 5)}, CERTAIN, "tanggal dan bulan lahir tertukar"),
        ({"nik": "3314011205750701"}, POSSIBLE, "NIK beda satu digit, keduanya sah"),
        ({"nik": "3314011206750001"}, CERTAIN, "NIK beda satu digit"),
        ({"nik": None}, POSSIBLE, "NIK kosong pada satu data"),
    ],
)
def test_each_kind_of_duplicate_is_found_and_explained(changes, level, reason):
    match = pair_with(**changes)
    assert match is not None
    assert match.level == level
    assert any(r.startswith(reason) for r in match.reasons), match.reasons


def test_two_people_with_niks_two_digits_apart_are_never_matched():
    assert pair_with(nik="3314011205750012") is None
    assert pair_with(nik="3314014512800003", name="Sri Wahyuni", sex="P") is None


def test_a_different_sex_and_name_is_no_match():
    assert pair_with(nik=None, name="Sumiyati", sex="P") is None


def test_names_are_normalised():
    assert normalise_name("MOCH. Soekarno") == "muhammad sukarno"
    assert normalise_name("  Sri   Wahyuni ") == "sri wahyuni"


def test_a_rare_name_counts_for_more():
    other = BASE._replace(key=2, group=2, nik=None, desa="33.14.13.2001")
    common, _ = compare(BASE, other, "x", "x", frequency=500)
    rare, reasons = compare(BASE, other, "x", "x", frequency=1)
    assert rare > common and "nama sama (nama langka)" in reasons


def test_only_limits_pairs_to_the_batch():
    other = BASE._replace(key=2, group=2)
    third = BASE._replace(key=3, group=3)
    assert {(m.a, m.b) for m in find_matches([BASE, other, third], only={3})} == {(1, 3), (2, 3)}


def test_precision_and_recall_on_a_seeded_sample():
    people, truth = generate(20_000, seed=11)
    matches = find_matches(people)
    found = score({(m.a, m.b) for m in matches}, truth)
    certain = score({(m.a, m.b) for m in matches if m.level == CERTAIN}, truth)
    assert found["precision"] >= 0.99 and found["recall"] >= 0.97, found
    assert certain["precision"] >= 0.998, certain
