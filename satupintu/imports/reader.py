"""Open an uploaded spreadsheet safely and yield its rows as {column key: cell value}.

A hostile file is refused before any row is read: too large, not what its name says, an XLSX
whose zip would inflate past the limits (a zip bomb: openpyxl would inflate it in memory), an
XLSX with formulas (their cached values are whatever the sender's Excel last computed, and a
formula in an error report opened by an officer could run), binary data in a CSV, or a header
that does not name the required columns.
"""

import codecs
import csv
import operator
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from satupintu.lib.transitions import Refused

from .columns import BY_KEY, COLUMNS, HEADER_ALIASES, normalise


class FileRefused(Refused):
    """The whole file is refused; the message says why."""


@dataclass
class Sheet:
    columns: list[str | None]  # canonical key per position, None for ignored columns
    unknown: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the officer sees it, cell values)
    csv_format: tuple[str, str] | None = None  # (encoding, delimiter) of a CSV file
    close: Callable[[], None] = lambda: None  # for a file read some other way than through `rows`


def open_sheet(path, original_name: str) -> Sheet:
    name = original_name.lower()
    with open(path, "rb") as handle:
        head = handle.read(8)
        handle.seek(0, 2)
        size = handle.tell()
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("Berkas terlalu besar: %(size)d MB (batas %(limit)d MB).")
            % {"size": size // 2**20, "limit": settings.IMPORT_MAX_BYTES // 2**20}
        )
    if size == 0:
        raise FileRefused(_("Berkas kosong."))
    if name.endswith(".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            raise FileRefused(_("Berkas bernama .xlsx tetapi isinya bukan berkas Excel (XLSX)."))
        return _xlsx(path)
    if name.endswith(".csv"):
        return _csv(path)
    raise FileRefused(_("Jenis berkas tidak didukung; unggah .xlsx atau .csv."))


def _check_zip(path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileRefused(_("Berkas XLSX rusak atau bukan arsip zip yang sah.")) from exc
    with archive:
        members = archive.infolist()
        if len(members) > settings.IMPORT_XLSX_MAX_MEMBERS:
            raise FileRefused(_("Berkas XLSX berisi terlalu banyak bagian (%(n)d).") % {"n": len(members)})
        total = sum(member.file_size for member in members)
        if total > settings.IMPORT_XLSX_MAX_UNCOMPRESSED:
            raise FileRefused(
                _("Isi berkas XLSX terlalu besar setelah diekstrak: %(size)d MB (batas %(limit)d MB).")
                % {"size": total // 2**20, "limit": settings.IMPORT_XLSX_MAX_UNCOMPRESSED // 2**20}
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 2**20 and ratio > settings.IMPORT_XLSX_MAX_RATIO:
                raise FileRefused(
                    _("Berkas XLSX mencurigakan (bom zip): bagian %(part)s mengembang %(ratio)d kali.")
                    % {"part": member.filename[:60], "ratio": ratio}
                )
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise FileRefused(_("Berkas XLSX tidak berisi buku kerja Excel."))


def _xlsx(path) -> Sheet:
    import openpyxl  # imported here: only needed for XLSX uploads

    _check_zip(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for malformed parts
        raise FileRefused(_("Berkas XLSX tidak dapat dibaca: %(error)s") % {"error": str(exc)[:200]}) from exc
    worksheet = workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=False)
    try:
        header = [cell.value for cell in next(rows)]
    except StopIteration as exc:
        raise FileRefused(_("Lembar pertama kosong.")) from exc
    columns, unknown = _columns(header)

    def cells():
        for number, row in enumerate(rows, start=2):
            values = []
            for cell in row:
                if cell.data_type == "f":
                    raise FileRefused(
                        _("Sel %(cell)s berisi rumus. Tempel sebagai nilai (Paste Values), lalu unggah lagi.")
                        % {"cell": cell.coordinate}
                    )
                values.append(cell.value)
            if any(v not in (None, "") for v in values):
                yield number, values
        workbook.close()

    return Sheet(columns, unknown, cells())


def _csv(path) -> Sheet:
    with open(path, "rb") as handle:
        sample = handle.read(64 * 1024)
    if b"\x00" in sample:
        raise FileRefused(_("Berkas CSV berisi data biner; simpan ulang sebagai CSV (UTF-8)."))
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"  # Excel on Windows saves "CSV" in the ANSI code page
    text = sample.decode(encoding, errors="replace")
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by the generator)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        handle.close()
        raise FileRefused(_("Baris judul kolom tidak dapat dibaca.")) from exc
    columns, unknown = _columns(header)

    def cells():
        with handle:
            try:
                for number, row in enumerate(reader, start=2):
                    if "".join(row).strip():  # not a row of empty cells
                        yield number, row
            except csv.Error as exc:
                raise FileRefused(
                    _("Berkas CSV rusak di baris %(row)d: %(error)s") % {"row": reader.line_num, "error": exc}
                ) from exc

    return Sheet(columns, unknown, cells(), csv_format=(encoding, delimiter), close=handle.close)


def _columns(header: list) -> tuple[list[str | None], list[str]]:
    columns, unknown, seen = [], [], set()
    for title in header:
        key = HEADER_ALIASES.get(normalise(title))
        if key in seen:
            raise FileRefused(_("Kolom %(column)s muncul dua kali di baris judul.") % {"column": title})
        if key:
            seen.add(key)
        elif title not in (None, ""):
            unknown.append(str(title)[:40])
        columns.append(key)
    missing = [str(BY_KEY[c.key].label) for c in COLUMNS if c.required and c.key not in seen]
    if missing:
        raise FileRefused(
            _("Kolom wajib tidak ditemukan di baris judul: %(columns)s. Unduh templat untuk melihat susunan kolom.")
            % {"columns": ", ".join(missing)}
        )
    return columns, unknown


def rows_as_dicts(sheet: Sheet) -> Iterator[tuple[int, dict]]:
    positions = [(i, key) for i, key in enumerate(sheet.columns) if key]
    keys = [key for _i, key in positions]
    pick = operator.itemgetter(*[i for i, _key in positions])
    width = max(i for i, _key in positions) + 1
    for number, values in sheet.rows:
        if len(values) < width:  # a short row: the missing cells are empty
            values = [*values, *([None] * (width - len(values)))]
        yield number, dict(zip(keys, pick(values), strict=True))


__all__ = ["FileRefused", "Sheet", "open_sheet", "rows_as_dicts"]
