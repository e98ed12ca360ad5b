import pytest
from django.core.management import CommandError, call_command

from satupintu.regions.loader import SRAGEN_CSV, load_regions
from satupintu.regions.models import Level, Region


def test_sragen_has_20_kecamatan_and_208_desa_and_kelurahan(db):
    load_regions(SRAGEN_CSV, kabupaten_name="Sragen")
    assert Region.objects.filter(level=Level.KECAMATAN).count() == 20
    assert Region.objects.filter(level=Level.DESA).count() == 208
    keden = Region.objects.get(code="33.14.01.2001")
    assert (keden.name, keden.parent.name, keden.parent.parent.name, keden.parent.parent.parent.name) == (
        "Keden",
        "Kalijambe",
        "Sragen",
        "Jawa Tengah",
    )
    assert Region.objects.filter(code__regex=r"\.1\d{3}$").first().is_kelurahan


def test_loading_twice_changes_nothing(db):
    load_regions(SRAGEN_CSV, kabupaten_name="Sragen")
    again = load_regions(SRAGEN_CSV)
    assert (again.created, again.updated) == (0, 0)
    assert Region.objects.get(code="33.14").name == "Sragen"


def test_another_kabupaten_loads_the_same_way(db, tmp_path):
    path = tmp_path / "karanganyar.csv"
    path.write_text(
        "code,name,level,parent_code\n"
        "33.13,Karanganyar,kabupaten,33\n"
        "33.13.01,Jatipuro,kecamatan,33.13\n"
        "33.13.01.2001,Jatipuro,desa,33.13.01\n"
    )
    call_command("load_regions", str(path))
    assert Region.objects.get(code="33.13.01.2001").parent.parent.name == "Karanganyar"


def test_a_file_with_a_bad_code_is_refused_and_nothing_is_written(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,level,parent_code\n33.13.01,Jatipuro,kecamatan,33.13\n33.13.01.9,X,desa,33.13.01\n")
    with pytest.raises(CommandError, match="tidak sesuai tingkat"):
        call_command("load_regions", str(path))
    assert not Region.objects.exists()
