"""Validation of a plain CSV file by columns (polars); `RowValidator` row by row for the rest.

Checking a regency file (a million rows) one row at a time in Python was most of an import's
time. Here polars reads the file, and each column's *distinct* values (a few thousand names and
places, a few dozen codes) go through `RowValidator`'s own cell readers: the same normalised value
and the same verdict, for a fraction of the calls. KK, NIK and phone numbers, nearly all distinct,
are passed in polars only by narrower rules that imply the Python ones (a KK of known structure
with a real date of issue, a NIK whose six date digits spell the row's birth date and sex, a phone
number already in its clean form); any other value goes through the Python reader too.

A KK is staged from the columns when every one of its rows passed, its member rows repeat or leave
empty its first row's household cells, it has exactly one head and none of its NIKs occurs twice
in the file. Every other KK (any doubt at all) goes whole, in file order, through `RowValidator`,
which writes the messages. Both paths therefore stage the same rows with the same errors
(`tests/imports/test_vectorised.py` runs every message case both ways and compares).

Only plain files take this path: UTF-8 CSV with no quote character, no carriage return outside
CRLF, no line with more fields than the header and no cell past the csv module's field limit,
where splitting each line at the separator is exactly what Python's csv module reads (a shorter
line's missing cells are empty, blank rows are skipped, rows are numbered by line, as there). Any
other file (XLSX, quoted cells, cp1252, a longer line) is read row by row as before.
"""

import codecs
import csv
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from satupintu.lib.bulk import bulk_insert, copy_csv
from satupintu.lib.nik import PROVINCES
from satupintu.registry import choices as c

from . import validate
from .models import RowStatus, StagedRow
from .reader import FileRefused, Sheet
from .validate import STAGED_COLUMNS, RowValidator

# What Python's str.strip() and str.isspace() take as white space (wider than polars' `\s`).
PY_SPACE = "".join(chr(i) for i in range(0x110000) if chr(i).isspace())
NIK_DIGITS = "^[0-9]{16}$"
PHONE_CLEAN = r"^(\+62|62|0)8[0-9]{7,11}$"  # validate.PHONE on a cell with nothing to strip
# Cells that RowValidator reads as they are, without an error (a KK or NIK is then checked in polars).
CLEAN_AS_IS = {"no_kk": NIK_DIGITS, "nik": NIK_DIGITS, "no_hp": PHONE_CLEAN}
PERSON_KEYS = ["no_kk", *validate.PERSON_KEYS]
HOUSEHOLD_KEYS = validate.HOUSEHOLD_KEYS
# Polars type of each column's clean value, where it is not text.
TYPES = {
    **{f.import_key: pl.Int64 for f in validate.HOUSEHOLD if f.is_integer},
    "desil": pl.Int64,
    "tanggal_lahir": pl.Date,
}
WRITERS = 2  # connections writing staged rows side by side (the machines have two cores)


def read_plain(path, sheet: Sheet) -> pl.DataFrame | None:
    """The data rows as text columns `c0`, `c1`, … plus `row` (the row number the officer sees),
    without rows whose cells are all blank; None when the file is not plain (see the module)."""
    if sheet.csv_format is None or sheet.csv_format[0] != "utf-8-sig":
        return None
    data = Path(path).read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if b'"' in data or data.count(b"\r") != data.count(b"\r\n") or lines < 2:
        return None
    names = [f"c{i}" for i in range(len(sheet.columns))]
    try:
        # A shorter line's missing cells read as empty, as `rows_as_dicts` pads them; a longer one
        # is an error here (the csv module would read it: row by row then).
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            skip_rows=1,
            separator=sheet.csv_format[1],
            quote_char=None,
            infer_schema=False,
            empty_string_is_null=False,
            new_columns=names,
        )
    except Exception:  # noqa: BLE001 (not UTF-8 after all, a longer line, anything polars will not read)
        return None
    if frame.height != lines - 1:  # a row for every line, blank ones included, numbered as the csv module does
        return None
    longest = frame.select(pl.max_horizontal(pl.col(names).str.len_bytes().max())).item() or 0
    if longest > csv.field_size_limit():  # bytes ≥ characters; the csv module refuses a longer cell
        longest = frame.select(pl.max_horizontal(pl.col(names).str.len_chars().max())).item()
        if longest > csv.field_size_limit():
            return None
    frame = frame.with_row_index("row", offset=2)
    # Rows of blank cells are skipped as the csv reader skips them: only a row whose first cell is
    # blank can be one.
    maybe = frame.filter(pl.col(names[0]).str.strip_chars(PY_SPACE) == "")
    blank = maybe.filter(pl.concat_str(names).str.strip_chars(PY_SPACE) == "")["row"]
    return frame.filter(~pl.col("row").is_in(blank.implode())) if blank.len() else frame


def _reader(validator: RowValidator, key: str) -> tuple[Callable, pl.DataType]:
    """(read(raw, errors) → clean value, polars type of the value) with RowValidator's semantics."""
    v = validator
    dtype = TYPES.get(key, pl.String)
    if key == "no_kk":
        return (lambda raw, errors: v._kk({key: raw}, errors)), dtype
    if key == "desil":
        return (lambda raw, errors: v._desil({key: raw}, key, errors, False)), dtype
    read, _key, required = {r[1]: r for r in (*v.household_readers, *v.person_readers)}[key]
    return (lambda raw, errors: read(v, {key: raw}, key, errors, required)), dtype


def _read_columns(frame: pl.DataFrame, validator: RowValidator, keys: list[str]) -> pl.DataFrame:
    """The frame with `v_<key>` (the clean value) and `ok_<key>` (the cell passed) for each key,
    each distinct value read once by RowValidator; values that CLEAN_AS_IS matches are taken as
    they are. polars finds the distinct values and applies the readings column-parallel."""

    def doubtful(key):
        column = pl.col(key)
        return column if key not in CLEAN_AS_IS else column.filter(~column.str.contains(CLEAN_AS_IS[key]))

    distinct = frame.select([doubtful(key).unique().implode() for key in keys]).row(0)
    readings = []
    for key, raws in zip(keys, distinct, strict=True):
        read, dtype = _reader(validator, key)
        values, passed = [], []
        for raw in raws:
            errors = []
            values.append(read(raw, errors))
            passed.append(not errors)
        as_is = {"default": pl.col(key)} if key in CLEAN_AS_IS else {}
        readings.append(pl.col(key).replace_strict(raws, values, return_dtype=dtype, **as_is).alias(f"v_{key}"))
        bad = [raw for raw, ok in zip(raws, passed, strict=True) if not ok]
        readings.append((~pl.col(key).is_in(bad)).alias(f"ok_{key}"))
    return frame.with_columns(readings)


def _kk_parses(kk: pl.Series, today) -> pl.Series:
    """For each distinct KK number, whether parse_kk passes: 16 digits, a known province, kabupaten
    and kecamatan not 00, serial not 0000, and digits 7–12 a date of issue (DDMMYY) that exists in
    2000–2099 or 1900–1999 and is not in the future."""
    kk = kk.unique()
    number = pl.col("kk")
    issued = [
        pl.concat_str(pl.lit(century), number.str.slice(10, 2), number.str.slice(8, 2), number.str.slice(6, 2))
        .str.strptime(pl.Date, "%Y%m%d", strict=False)
        .le(today)
        .fill_null(False)
        for century in ("20", "19")
    ]
    parses = (
        number.str.contains(NIK_DIGITS)
        & number.str.slice(0, 2).is_in(list(PROVINCES))
        & (number.str.slice(2, 2) != "00")
        & (number.str.slice(4, 2) != "00")
        & (number.str.slice(12, 4) != "0000")
        & pl.any_horizontal(issued)
    )
    return pl.DataFrame({"kk": kk}).filter(~parses.fill_null(False))["kk"]


def _nik_matches() -> pl.Expr:
    """parse_nik passes and check_nik_matches finds nothing: 16 digits, a known province, kabupaten
    and kecamatan not 00, serial not 0000, and digits 7–12 spelling the row's birth date (DD, plus
    40 for a woman, MM, YY) — such a NIK's date is a real date, not in the future."""
    nik, born, sex = pl.col("v_nik"), pl.col("v_tanggal_lahir"), pl.col("v_jenis_kelamin")
    digits = [nik.str.slice(start, 2).cast(pl.Int32, strict=False) for start in (6, 8, 10)]
    return nik.is_null() | (
        nik.str.contains(NIK_DIGITS)
        & nik.str.slice(0, 2).is_in(list(PROVINCES))
        & (nik.str.slice(2, 2) != "00")
        & (nik.str.slice(4, 2) != "00")
        & (nik.str.slice(12, 4) != "0000")
        & sex.is_in(["L", "P"])
        & (digits[0] == born.dt.day() + pl.when(sex == "P").then(40).otherwise(0))
        & (digits[1] == born.dt.month())
        & (digits[2] == born.dt.year() % 100)
    )


def _with_first_at(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr]:
    """The frame with `first_at`, the position of the row's KK's first row in it (the frame is in
    file order), and the expression that reads it, for `gather`."""
    frame = frame.with_row_index("at").with_columns(first_at=pl.col("at").min().over("kk_group")).drop("at")
    return frame, pl.col("first_at")


def classify(frame: pl.DataFrame, sheet: Sheet, validator: RowValidator) -> pl.DataFrame:
    """The frame with each column's raw text under its key, the read values `v_<key>`, the KK's
    number in the file `kk_group`, `first_of_kk`, and `plain` (the row's KK is staged from the columns)."""
    present = {key: f"c{i}" for i, key in enumerate(sheet.columns) if key}
    keys = [*PERSON_KEYS, *HOUSEHOLD_KEYS]  # every column; a missing one reads as empty cells
    frame = frame.select("row", *[(pl.col(present[key]) if key in present else pl.lit("")).alias(key) for key in keys])
    frame = _read_columns(frame, validator, keys)
    # KKs numbered in order of their first row, as RowValidator numbers them.
    start = pl.col("row").min().over("v_no_kk")
    frame = frame.with_columns(first_of_kk=pl.col("row") == start, kk_group=start.rank("dense").cast(pl.Int64))
    # A member row may repeat its KK's first row's household cells or leave them empty.
    frame, first_at = _with_first_at(frame)
    repeats = pl.all_horizontal(
        [(pl.col(key) == "") | (pl.col(key) == pl.col(key).gather(first_at)) for key in HOUSEHOLD_KEYS]
    )
    household_ok = (
        pl.when("first_of_kk").then(pl.all_horizontal([f"ok_{key}" for key in HOUSEHOLD_KEYS])).otherwise(repeats)
    )
    bad_kk = _kk_parses(frame["v_no_kk"], validator.today)
    person_ok = (
        pl.all_horizontal([f"ok_{key}" for key in PERSON_KEYS])
        & ~pl.col("v_no_kk").is_in(bad_kk.implode())
        & _nik_matches()
    )
    nik_twice = pl.col("v_nik").is_not_null() & (pl.len().over("v_nik") > 1)
    frame = frame.with_columns(
        row_ok=(person_ok & household_ok & ~nik_twice).fill_null(False),  # a null never passes
        heads=(pl.col("v_hubungan") == c.Relationship.HEAD.value).sum().over("kk_group"),
    )  # computed first: a window inside another (`over` within `over`) would count per KK
    return frame.with_columns(plain=pl.col("row_ok").all().over("kk_group") & (pl.col("heads") == 1))


def staged_columns(frame: pl.DataFrame, batch_id: int) -> pl.DataFrame:
    """The plain rows in STAGED_COLUMNS order, household facts from their KK's first row."""
    household = dict(zip(validate.HOUSEHOLD_STAGED, HOUSEHOLD_KEYS, strict=True))
    person = {f.column: f.import_key for f in validate.PERSON}
    frame, first_at = _with_first_at(frame.filter("plain"))  # whole KKs: their first rows are still first
    frame = frame.with_columns([pl.col(f"v_{key}").gather(first_at).alias(f"h_{key}") for key in HOUSEHOLD_KEYS])
    return frame.select(
        pl.lit(batch_id, pl.Int64).alias("batch_id"),
        pl.col("row").cast(pl.Int64).alias("row_number"),
        "kk_group",
        "first_of_kk",
        pl.lit(RowStatus.VALID.value).alias("status"),
        pl.col("v_no_kk").alias("kk_number"),
        *[pl.col(f"h_{key}").alias(name) for name, key in household.items()],
        *[pl.col(f"v_{key}").alias(name) for name, key in person.items()],
    )


def _write_plain(rows: pl.DataFrame, *, chunk: int, heartbeat) -> None:
    """Staged rows from the columns, `chunk` rows a transaction (COPY … CSV on PostgreSQL). On
    PostgreSQL outside a transaction, WRITERS connections COPY chunks side by side: the server
    parses and stores the rows, one core per connection (1M rows: 14 s with one, 9 s with two)."""
    parts = [rows.slice(start, chunk) for start in range(0, rows.height, chunk)]
    done = 0
    if connection.vendor == "postgresql" and not connection.in_atomic_block and len(parts) > 1:
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            for written in pool.map(_write_part_on_own_connection, parts):
                done += written
                heartbeat(done)
        return
    for part in parts:
        with transaction.atomic():
            _write_part(part)
        done += part.height
        heartbeat(done)


def _write_part_on_own_connection(part: pl.DataFrame) -> int:
    """In a worker thread, which has its own database connection (Django's are per thread)."""
    try:
        with transaction.atomic():
            _write_part(part)
    finally:
        connection.close()
    return part.height


def _write_part(part: pl.DataFrame) -> None:
    if connection.vendor != "postgresql":
        bulk_insert(StagedRow, STAGED_COLUMNS, part.iter_rows())
        return
    buffer = io.BytesIO()
    part.write_csv(buffer, include_header=False)  # an empty text is written "", a NULL as nothing
    copy_csv(StagedRow, STAGED_COLUMNS, buffer.getvalue())


def stage(batch, sheet: Sheet, frame: pl.DataFrame, *, make_validator, write_rows, chunk: int, heartbeat) -> list[int]:
    """Stage a plain file: its plain KKs from the columns, the others through `write_rows(rows,
    validator, regroup, rows already written)`, `pipeline`'s row-by-row writer, in file order.
    Returns the numbers of the KKs without a head."""
    if frame.height > settings.IMPORT_MAX_ROWS:
        raise FileRefused(_("Berkas berisi lebih dari %(n)d baris.") % {"n": settings.IMPORT_MAX_ROWS})
    if not frame.height:  # blank rows only: nothing to stage (the caller refuses the file)
        return []
    frame = classify(frame, sheet, make_validator())
    plain = staged_columns(frame, batch.pk)
    _write_plain(plain, chunk=chunk, heartbeat=heartbeat)
    doubtful = frame.filter(~pl.col("plain"))
    whole_file = dict(doubtful.select("v_no_kk", "kk_group").unique().iter_rows())  # KK → number in the file
    validator = make_validator()
    numbers: dict[int, int] = {}  # the validator's KK numbers (it sees only these rows) → the file's

    def regroup(row: tuple) -> tuple:
        if row[2] not in numbers:  # a KK the validator has just met: the last one it numbered
            numbers[row[2]] = whole_file[next(reversed(validator.groups))]
        return (*row[:2], numbers[row[2]], *row[3:])

    keys = [key for key in sheet.columns if key]
    rows = doubtful.select("row", *keys).iter_rows()
    cells = ((number, dict(zip(keys, values, strict=True))) for number, *values in rows)
    write_rows(cells, validator, regroup, plain.height)
    return sorted(numbers[group] for group in validator.groups_without_head())


__all__ = ["read_plain", "stage"]
