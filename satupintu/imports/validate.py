"""Row-by-row validation of an import (pure Python, one pass, no database access per row).

`RowValidator.check(number, cells)` returns the normalised values in `STAGED_COLUMNS` order and a
list of `(column, value, message)`. Checks that need the whole file (one head per KK, the same NIK
twice) keep small dictionaries; checks against the registry run afterwards, set-based, in
`pipeline.py`.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

from satupintu.lib.nik import IdentifierError, check_nik_matches, parse_kk, parse_nik
from satupintu.registry import choices as c
from satupintu.registry import fields

from .columns import BY_KEY, COLUMNS, ENUMERATIONS, normalise
from .models import RowStatus, StagedRow

# The household's columns (its KK number first), its DTSEN desil, the person's: as in StagedRow.
STAGED_COLUMNS = [
    "batch_id", "row_number", "kk_group", "first_of_kk", "status",
    *fields.copy_columns(fields.HOUSEHOLD_FIELDS), "desil", *fields.copy_columns(fields.PERSON_FIELDS),
]  # fmt: skip
# The staging table's text column lengths, in STAGED_COLUMNS order (None: not a bounded text column).
STAGED_LIMITS = tuple(getattr(StagedRow._meta.get_field(name), "max_length", None) for name in STAGED_COLUMNS)
HOUSEHOLD = [f for f in fields.imported(fields.HOUSEHOLD_FIELDS) if f.name != "kk_number"]  # the KK groups rows
PERSON = fields.imported(fields.PERSON_FIELDS)
# The household's cells in STAGED_COLUMNS order, the desil last; the person's.
HOUSEHOLD_KEYS = [*(f.import_key for f in HOUSEHOLD), "desil"]
HOUSEHOLD_STAGED = [*(f.column for f in HOUSEHOLD), "desil"]  # their staging columns
PERSON_KEYS = [f.import_key for f in PERSON]
# Free text: the model field's length is its only limit.
MAX_LENGTHS = {f.import_key: f.max_length for f in (*HOUSEHOLD, *PERSON) if f.is_free_text}
RT_RW = re.compile(r"^[0-9]{1,3}$")  # ASCII digits: `\d` would take any script's
PHONE = re.compile(r"^(\+62|62|0)8[0-9]{7,11}$")
COMMON_DATE = re.compile(r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$")  # ASCII digits only, as strptime reads them
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")
FORMULA_START = ("=", "+", "@")


class RowValidator:
    def __init__(self, *, batch_id: int, desa_codes: set[str], allowed_desa: set[str] | None, today: dt.date):
        self.batch_id = batch_id
        self.desa_codes = desa_codes
        self.allowed_desa = allowed_desa  # None: the whole regency
        self.today = today
        self.groups: dict[str, int] = {}
        self.group_first_row: dict[int, int] = {}
        self.group_household: dict[int, tuple] = {}
        self.group_heads: dict[int, int] = {}
        self.bad_groups: set[int] = set()
        self.nik_rows: dict[str, int] = {}
        self._kk_cache: dict[str, str | None] = {}
        self._date_cache: dict[str, dt.date | None] = {}
        self._enum_cache: dict[tuple[str, str], str | None] = {}
        self._raw_enum: dict[tuple[str, str], str] = {}
        self.group_raw: dict[int, tuple] = {}
        # (reader, key, required) of each household and person cell, in HOUSEHOLD_KEYS / PERSON_KEYS order.
        self.household_readers = [(reader_of(f), f.import_key, f.required) for f in HOUSEHOLD]
        self.person_readers = [(reader_of(f), f.import_key, f.required) for f in PERSON]

    # Cell readers: each returns the clean value and appends to `errors` when the cell is wrong.
    def _text(self, cells, key, errors, required=False):
        raw = cells.get(key)
        if type(raw) is str:  # the common case, first
            value = raw.strip()
            if value and value[0] not in FORMULA_START and len(value) <= MAX_LENGTHS.get(key, 250):
                return value
        elif raw is None:
            value = ""
        elif isinstance(raw, float) and raw.is_integer():
            value = str(int(raw))
        elif isinstance(raw, dt.datetime):
            value = raw.date().isoformat()
        else:
            value = str(raw).strip()
        if value and value[0] in FORMULA_START and not (key == "no_hp" and value.startswith("+62")):
            errors.append((key, value, _("Nilai diawali '=', '+' atau '@' dianggap rumus dan tidak diterima.")))
            return ""
        if required and not value:
            errors.append((key, "", _("%(label)s wajib diisi.") % {"label": BY_KEY[key].label}))
        limit = MAX_LENGTHS.get(key)
        if limit and len(value) > limit:
            errors.append((key, value, _("Terlalu panjang (paling banyak %(n)d karakter).") % {"n": limit}))
            return value[:limit]
        return value

    def _number_identifier(self, cells, key, errors):
        raw = cells.get(key)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            errors.append(
                (
                    key,
                    str(raw),
                    _(
                        "%(label)s tersimpan sebagai angka di Excel sehingga digit terakhir bisa hilang; "
                        "format kolom sebagai Teks lalu ketik ulang."
                    )
                    % {"label": BY_KEY[key].label},
                )
            )
            return None
        return self._text(cells, key, errors).replace(" ", "").replace(".", "")

    def _enum(self, cells, key, errors, required=False):
        code = self._raw_enum.get((key, cells.get(key)))
        if code:  # a cell already seen and accepted: the same code again
            return code
        value = self._text(cells, key, errors, required=required)
        if not value:
            return ""  # blank: the default for a new person, the old value for an existing one
        code = self._enum_cache.get((key, value), "?")
        if code == "?":
            code = self._enum_cache[(key, value)] = ENUMERATIONS[key].get(normalise(value))
        if code is not None:
            raw = cells.get(key)
            if type(raw) is str:
                self._raw_enum[(key, raw)] = code
        else:
            choices = ", ".join(str(code) for code, _label in BY_KEY[key].choices)
            errors.append(
                (
                    key,
                    value,
                    _("Nilai %(value)s tidak dikenal untuk %(label)s; pilihan: %(choices)s.")
                    % {"value": value, "label": BY_KEY[key].label, "choices": choices},
                )
            )
            return ""
        return code

    def _date(self, cells, key, errors, required=True):
        raw = cells.get(key)
        if isinstance(raw, dt.datetime):
            value = raw.date()
        elif isinstance(raw, dt.date):
            value = raw
        else:
            text = self._text(cells, key, errors, required=required)
            if not text:
                return None
            if text in self._date_cache:
                value = self._date_cache[text]
            else:
                value = _common_date(text)
                for fmt in DATE_FORMATS if value is None else ():
                    try:
                        value = dt.datetime.strptime(text, fmt).date()
                        break
                    except ValueError:
                        continue
                self._date_cache[text] = value
            if value is None:
                errors.append((key, text, _("Tanggal tidak dikenali; tulis HH-BB-TTTT, contoh 21-08-1979.")))
                return None
        if value > self.today:
            errors.append((key, value.isoformat(), _("Tanggal lahir tidak boleh di masa depan.")))
            return None
        if value.year < 1900:
            errors.append((key, value.isoformat(), _("Tanggal lahir sebelum tahun 1900 tidak masuk akal.")))
            return None
        return value

    def _integer(self, cells, key, errors, low, high, message):
        """`message` builds the error's text, only for a failing cell."""
        value = self._text(cells, key, errors)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            errors.append((key, value, message()))
            return None
        return int(value)

    def _kk(self, cells, errors):
        number = self._number_identifier(cells, "no_kk", errors)
        if number is None:
            return ""
        if number not in self._kk_cache:
            try:
                parse_kk(number, self.today)
                self._kk_cache[number] = None
            except IdentifierError as exc:
                self._kk_cache[number] = exc.message
        if self._kk_cache[number]:
            errors.append(("no_kk", number, self._kk_cache[number]))
        return number

    def _desa(self, cells, key, errors, required=True):
        code = self._text(cells, key, errors, required=required)
        if not code:
            return ""
        if code not in self.desa_codes:
            errors.append(
                (
                    key,
                    code,
                    _("Kode desa/kelurahan %(code)s tidak dikenal (contoh: 33.14.01.2001).") % {"code": code},
                )
            )
        elif self.allowed_desa is not None and code not in self.allowed_desa:
            message = _("Desa/kelurahan %(code)s di luar wilayah tugas Anda.") % {"code": code}
            errors.append((key, code, message))
        return code

    def _household(self, cells, errors):
        """Household facts in HOUSEHOLD_KEYS order."""
        values = [read(self, cells, key, errors, required) for read, key, required in self.household_readers]
        values.append(self._desil(cells, "desil", errors, False))
        return values

    def _desil(self, cells, key, errors, required):
        return self._integer(cells, key, errors, 1, 10, lambda: _("Desil harus angka 1–10."))

    def _rt_rw(self, cells, key, errors, required):
        value = self._text(cells, key, errors, required=required)
        if not value:
            return value
        if not RT_RW.match(value):
            errors.append((key, value, _("RT/RW berupa angka 1–3 digit.")))
            return value
        return value.zfill(3)

    def _floor_area(self, cells, key, errors, required):
        return self._integer(cells, key, errors, 1, 10000, lambda: _("Luas lantai harus angka bulat 1–10000 (m²)."))

    def _nik(self, cells, key, errors, required):
        return self._number_identifier(cells, key, errors) or None

    def _same_household(self, group, household, errors):
        """Member rows may repeat the household facts or leave them empty, but not contradict them."""
        first = self.group_household[group]
        for index, key in enumerate(HOUSEHOLD_KEYS):
            if household[index] not in (None, "") and household[index] != first[index] and not errors_for(errors, key):
                errors.append(
                    (
                        key,
                        str(household[index]),
                        _("Berbeda dengan baris %(row)d untuk KK yang sama (%(value)s).")
                        % {"row": self.group_first_row[group], "value": first[index]},
                    )
                )

    def check(self, number: int, cells: dict) -> tuple[tuple, list[tuple[str, str, str]]]:
        errors: list[tuple[str, str, str]] = []
        kk = self._kk(cells, errors)
        # Household facts come from the KK's first row; a later row may leave them empty.
        raw = tuple(map(cells.get, HOUSEHOLD_KEYS))
        group = self.groups.get(kk)
        first = group is None
        if first:
            group = self.groups[kk] = len(self.groups) + 1
            self.group_first_row[group] = number
            household = self._household(dict(zip(HOUSEHOLD_KEYS, raw, strict=True)), errors)
            self.group_household[group] = household
            self.group_raw[group] = raw
        elif raw == self.group_raw[group]:
            household = self.group_household[group]  # the same cells as the KK's first row
        else:
            filled = {k: v for k, v in zip(HOUSEHOLD_KEYS, raw, strict=True) if v not in (None, "")}
            household = self._household_partial(filled, errors)
            self._same_household(group, household, errors)
            household = self.group_household[group]
        person, status = self._person(number, cells, kk, group, errors)
        if errors and status == RowStatus.VALID:
            status = RowStatus.INVALID
        if status != RowStatus.VALID:
            self.bad_groups.add(group)
        row = (self.batch_id, number, group, first, status, kk, *household, *person)
        if group in self.bad_groups:  # every row with an error has put its group there
            # A bad cell is kept as read (the report quotes it), also on the KK's other rows, which
            # carry its household cells: cut to fit its staging column.
            row = tuple(
                value[:limit] if limit and type(value) is str else value
                for value, limit in zip(row, STAGED_LIMITS, strict=True)
            )
        return row, errors

    def _household_partial(self, filled: dict, errors):
        """Check only the household cells a member row filled in; others stay None."""
        values = []
        scratch: list = []
        full = self._household({**{k: None for k in HOUSEHOLD_KEYS}, **filled}, scratch)
        for key, value in zip(HOUSEHOLD_KEYS, full, strict=True):
            values.append(value if key in filled else None)
        errors.extend(e for e in scratch if e[0] in filled)
        return tuple(values)

    def _person(self, number, cells, kk, group, errors):
        """Person facts in PERSON_KEYS order; then the checks across cells and rows."""
        person = [read(self, cells, key, errors, required) for read, key, required in self.person_readers]
        nik, sex, birth_date, relationship = (person[i] for i in PERSON_CROSS_CHECKED)
        status = RowStatus.VALID
        if nik:
            try:
                info = parse_nik(nik, self.today)
            except IdentifierError as exc:
                errors.append(("nik", nik, exc.message))
            else:
                for problem in check_nik_matches(info, sex=sex or None, birth_date=birth_date):
                    column = "jenis_kelamin" if problem.part == "sex" else "tanggal_lahir"
                    errors.append((column, nik, problem.message))
            earlier = self.nik_rows.get(nik)
            if earlier is None:
                self.nik_rows[nik] = number
            else:
                status = RowStatus.DUPLICATE
                errors.append(("nik", nik, _("NIK sama dengan baris %(row)d pada berkas ini.") % {"row": earlier}))
        if relationship == c.Relationship.HEAD:
            self.group_heads[group] = self.group_heads.get(group, 0) + 1
            if self.group_heads[group] > 1:
                errors.append(("hubungan", relationship, _("KK ini memiliki lebih dari satu kepala keluarga.")))
        return person, status

    def _phone(self, cells, key, errors, required=False) -> str:
        phone = self._text(cells, key, errors, required=required)
        if phone and not PHONE.match(phone.replace(" ", "").replace("-", "")):
            errors.append((key, phone, _("Nomor HP tidak sah; contoh: 081234567890.")))
            return ""
        return phone.replace(" ", "").replace("-", "")

    def groups_without_head(self) -> list[int]:
        return [group for group in self.groups.values() if not self.group_heads.get(group)]


# Cells whose check is their own; any other cell is read by its field's kind: an enumeration when
# the model field has choices, else text. Each reader is (validator, cells, key, errors, required).
OWN_READERS = {
    "kode_desa": RowValidator._desa,
    "rt": RowValidator._rt_rw,
    "rw": RowValidator._rt_rw,
    "luas_lantai": RowValidator._floor_area,
    "nik": RowValidator._nik,
    "tanggal_lahir": RowValidator._date,
    "no_hp": RowValidator._phone,
}
# The person cells checked against each other (NIK against sex and birth date) and across rows.
PERSON_CROSS_CHECKED = tuple(PERSON_KEYS.index(key) for key in ("nik", "jenis_kelamin", "tanggal_lahir", "hubungan"))


def reader_of(declared: fields.RegistryField):
    if declared.import_key in OWN_READERS:
        return OWN_READERS[declared.import_key]
    return RowValidator._enum if declared.choices else RowValidator._text


def _common_date(text: str) -> dt.date | None:
    """DD-MM-YYYY, the template's format, without strptime (slow); None leaves it to strptime."""
    if len(text) == 10 and text[2] == "-" and text[5] == "-" and COMMON_DATE.match(text):
        try:
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            return None
    return None


def errors_for(errors, key) -> bool:
    return any(e[0] == key for e in errors)


__all__ = ["COLUMNS", "STAGED_COLUMNS", "RowValidator"]
