"""The API schema's NIK and KK patterns accept exactly what parse_nik and parse_kk accept."""

import datetime as dt
import itertools
import re

import pytest

from satupintu.lib.nik import KK_PATTERN, NIK_PATTERN, IdentifierError, parse_kk, parse_nik

TODAY = dt.date(2026, 12, 2)


def parses(parse, value):
    try:
        parse(value, today=TODAY)
    except IdentifierError:
        return False
    return True


@pytest.mark.parametrize(("pattern", "parse", "days"), [(NIK_PATTERN, parse_nik, 80), (KK_PATTERN, parse_kk, 40)])
def test_every_date_part_is_judged_alike(pattern, parse, days):
    compiled = re.compile(pattern)
    disagree = [
        value
        for day, month, year in itertools.product(range(days), range(14), range(100))
        if bool(compiled.fullmatch(value := f"331401{day:02d}{month:02d}{year:02d}0001")) != parses(parse, value)
    ]
    assert disagree == []


@pytest.mark.parametrize(("pattern", "parse"), [(NIK_PATTERN, parse_nik), (KK_PATTERN, parse_kk)])
def test_every_region_and_serial_part_is_judged_alike(pattern, parse):
    compiled = re.compile(pattern)
    disagree = [
        value
        for province, kabupaten, kecamatan, serial in itertools.product(
            range(100), (0, 1, 14), (0, 1, 99), (0, 1, 9999)
        )
        if bool(compiled.fullmatch(value := f"{province:02d}{kabupaten:02d}{kecamatan:02d}010180{serial:04d}"))
        != parses(parse, value)
    ]
    assert disagree == []


@pytest.mark.parametrize("pattern", [NIK_PATTERN, KK_PATTERN])
def test_only_sixteen_ascii_digits_match(pattern):
    compiled = re.compile(pattern)
    assert compiled.fullmatch("3314010101800001")
    for value in ("331401010180001", "33140101018000011", "3314010101800O01", "３314010101800001"):
        assert not compiled.fullmatch(value)
