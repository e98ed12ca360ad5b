"""Seeded registry files in the import layout, for tests and benchmarks.

Built on the demo generator (`registry.Generator`): the same people and households, written
as one row per person instead of inserted.
"""

import csv
import datetime as dt
from collections.abc import Iterator

from satupintu.imports.columns import COLUMNS
from satupintu.regions.models import Level, Region
from satupintu.registry.fields import HOUSING, PERSON_FIELDS, imported

from .registry import PERSON_COLUMNS, Generator

HEADER = [column.key for column in COLUMNS]
P = {name: index for index, name in enumerate(PERSON_COLUMNS)}
PERSON = imported(PERSON_FIELDS)


def sample_rows(households: int, *, seed: int = 2012, desa_codes: list[str] | None = None) -> Iterator[dict]:
    desa_qs = Region.objects.filter(level=Level.DESA)
    if desa_codes:
        desa_qs = desa_qs.filter(code__in=desa_codes)
    desa_list = list(desa_qs.order_by("code"))
    generator = Generator(seed)
    rng = generator.rng
    for number in range(households):
        desa = desa_list[number % len(desa_list)] if number < len(desa_list) else rng.choice(desa_list)
        desil = rng.choices(range(1, 11), [16, 14, 12, 11, 10, 9, 8, 8, 6, 6])[0]
        kk, _issued = generator._kk(desa.nik_prefix)
        housing = generator._housing(desil)
        members = generator._members(number + 1, desil, desa.nik_prefix)
        household = {
            "no_kk": kk,
            "kode_desa": desa.code,
            "alamat": f"Dukuh {rng.choice(['Krajan', 'Jetis', 'Ngrandu', 'Gedangan'])}",
            "rt": str(rng.randint(1, 12)),
            "rw": str(rng.randint(1, 8)),
            "desil": str(desil),
            **{f.import_key: str(housing[f.column]) for f in HOUSING},
        }
        for person in members:
            yield {**household, **{f.import_key: _cell(person[P[f.column]]) for f in PERSON}}


def _cell(value) -> str:
    """A generated value as the import template writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return value


def write_csv(path, rows, header=HEADER, delimiter=",") -> int:
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(key, "") for key in header])
            count += 1
    return count


def write_xlsx(path, rows, header=HEADER) -> int:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([row.get(key, "") for key in header])
        count += 1
    workbook.save(path)
    return count
