"""Load a kabupaten's regions from a CSV of `code,name,level,parent_code` rows."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from satupintu.lib.nik import PROVINCES

from .models import Level, Region

CODE_PATTERNS = {
    Level.PROVINSI: re.compile(r"^\d{2}$"),
    Level.KABUPATEN: re.compile(r"^\d{2}\.\d{2}$"),
    Level.KECAMATAN: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    Level.DESA: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$"),
}
PARENT_LEVEL = {Level.KABUPATEN: Level.PROVINSI, Level.KECAMATAN: Level.KABUPATEN, Level.DESA: Level.KECAMATAN}


class RegionFileError(ValueError):
    pass


@dataclass
class LoadResult:
    created: int
    updated: int


def _read_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
        if missing:
            raise RegionFileError(f"Kolom tidak ada: {', '.join(sorted(missing))}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        level = row["level"].strip()
        if level not in CODE_PATTERNS:
            raise RegionFileError(f"Baris {number}: tingkat '{level}' tidak dikenal.")
        if not CODE_PATTERNS[level].match(row["code"].strip()):
            raise RegionFileError(f"Baris {number}: kode '{row['code']}' tidak sesuai tingkat {level}.")
        if not row["name"].strip():
            raise RegionFileError(f"Baris {number}: nama wajib diisi.")
    return rows


@transaction.atomic
def load_regions(path: Path, kabupaten_name: str | None = None) -> LoadResult:
    """Create or update the regions in the file; the province and kabupaten are created if absent.

    Idempotent: loading the same file twice changes nothing.
    """
    rows = _read_rows(path)
    wanted: dict[str, tuple[str, str, str | None]] = {}
    for row in rows:
        code = row["code"].strip()
        wanted[code] = (row["name"].strip(), row["level"].strip(), row["parent_code"].strip() or None)
    implied = set()  # parents the file does not list: created when absent, never renamed
    for _name, level, parent in list(wanted.values()):
        if level == Level.KECAMATAN and parent and parent not in wanted:
            wanted[parent] = (kabupaten_name or parent, Level.KABUPATEN, parent[:2])
            implied.add(parent)
    for _name, level, parent in list(wanted.values()):
        if level == Level.KABUPATEN and parent and parent not in wanted:
            wanted[parent] = (PROVINCES.get(parent, parent), Level.PROVINSI, None)
            implied.add(parent)
    order = [Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA]
    existing = Region.objects.in_bulk(list(wanted))
    created = updated = 0
    for level in order:
        for code, (name, row_level, parent) in sorted(wanted.items()):
            if row_level != level:
                continue
            if level in PARENT_LEVEL and (parent is None or not code.startswith(parent + ".")):
                raise RegionFileError(f"Kode {code}: induk '{parent}' tidak cocok.")
            region = existing.get(code)
            if region is None:
                Region.objects.create(code=code, name=name, level=level, parent_id=parent)
                created += 1
            elif code not in implied and (region.name, region.level, region.parent_id) != (name, level, parent):
                region.name, region.level, region.parent_id = name, level, parent
                region.save()
                updated += 1
    return LoadResult(created, updated)


SRAGEN_CSV = Path(__file__).resolve().parent / "data" / "sragen_wilayah.csv"
