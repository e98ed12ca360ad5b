import datetime as dt

import pytest

from satupintu.lib.nik import (
    FEMALE,
    MALE,
    IdentifierError,
    check_nik_matches,
    make_nik,
    mask_nik,
    parse_kk,
    parse_nik,
)

TODAY = dt.date(2026, 11, 27)


def test_it_reads_a_mans_nik():
    info = parse_nik("3314011205750001", TODAY)
    assert info.sex == MALE
    assert info.region_code == "33.14.01"
    assert info.likely_birth_date(TODAY) == dt.date(1975, 5, 12)


def test_it_reads_a_womans_nik_with_forty_added_to_the_day():
    info = parse_nik("3314016108790002", TODAY)
    assert info.sex == FEMALE
    assert (info.day, info.month) == (21, 8)


def test_a_two_digit_year_may_be_in_either_century():
    info = parse_nik("3314010101100003", TODAY)
    assert info.birth_date_candidates(TODAY) == [dt.date(1910, 1, 1), dt.date(2010, 1, 1)]


@pytest.mark.parametrize(
    ("value", "part", "fragment"),
    [
        ("", "format", "wajib diisi"),
        ("33140112057500", "format", "16 digit, bukan 14"),
        ("33140112O5750001", "format", "hanya boleh berisi angka"),
        ("331401120575000\u0661", "format", "hanya boleh berisi angka"),  # an Arabic-Indic digit
        ("9914011205750001", "region", "Kode provinsi 99"),
        ("3300011205750001", "region", "kabupaten/kota"),
        ("3314001205750001", "region", "kecamatan"),
        ("3314011213750001", "birth_date", "Bulan lahir"),
        ("3314013205750001", "birth_date", "01–31"),
        ("3314017505750001", "birth_date", "41–71"),
        ("3314013102750001", "birth_date", "bukan tanggal yang ada"),
        ("3314016902230001", "birth_date", "bukan tanggal yang ada"),
        ("3314011205750000", "serial", "tidak boleh 0000"),
    ],
)
def test_a_malformed_nik_is_refused_naming_the_wrong_part(value, part, fragment):
    with pytest.raises(IdentifierError) as caught:
        parse_nik(value, TODAY)
    assert caught.value.part == part
    assert fragment in caught.value.message


def test_february_29_is_accepted_in_a_leap_year():
    assert parse_nik("3314012902000001", TODAY).likely_birth_date(TODAY) == dt.date(2000, 2, 29)


def test_a_birth_date_that_exists_only_in_the_future_is_refused():
    # 29-02-00: 1900 was no leap year, and 2000 is still ahead on 1 January 2000.
    with pytest.raises(IdentifierError) as caught:
        parse_nik("3314012902000001", dt.date(2000, 1, 1))
    assert caught.value.part == "birth_date"


def test_a_sex_mismatch_says_the_day_rule():
    info = parse_nik("3314011205750001", TODAY)
    errors = check_nik_matches(info, sex=FEMALE, birth_date=dt.date(1975, 5, 12))
    assert [e.part for e in errors] == ["sex"]
    assert "laki-laki" in errors[0].message and "perempuan" in errors[0].message


def test_a_birth_date_mismatch_shows_both_dates():
    info = parse_nik("3314011205750001", TODAY)
    errors = check_nik_matches(info, sex=MALE, birth_date=dt.date(1975, 5, 13))
    assert [e.part for e in errors] == ["birth_date"]
    assert "12-05-75" in errors[0].message and "13-05-75" in errors[0].message


def test_make_nik_round_trips():
    nik = make_nik("331401", dt.date(1990, 7, 3), FEMALE, 12)
    assert nik == "3314014307900012"
    assert parse_nik(nik, TODAY).sex == FEMALE


def test_a_valid_kk_number_is_read():
    info = parse_kk("3314010403190007", TODAY)
    assert info.issued_on == dt.date(2019, 3, 4)
    assert info.region_code == "33.14.01"


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ("331401040319", "format"),
        ("3314013203190007", "issue_date"),
        ("3314010403190000", "serial"),
        ("0014010403190007", "region"),
    ],
)
def test_a_malformed_kk_number_is_refused(value, part):
    with pytest.raises(IdentifierError) as caught:
        parse_kk(value, TODAY)
    assert caught.value.part == part


def test_a_nik_is_masked_to_region_and_last_two_digits():
    assert mask_nik("3314011205750001") == "331401********01"
    assert mask_nik(None) == "—"


def test_registry_validators_take_only_ascii_digits():
    from django.core.exceptions import ValidationError

    from satupintu.registry.models import digits16, phone, rt_rw

    for validator, good, other_script in (
        (digits16, "3314011205750001", "331401120575000\u0661"),
        (rt_rw, "12", "\u0661\u0662"),
        (phone, "081234567890", "08123456789\u0660"),
    ):
        validator(good)
        with pytest.raises(ValidationError):
            validator(other_script)
