"""NIK and KK number structure (Dukcapil), without Django.

NIK: PP KK CC DD MM YY SSSS: province, kabupaten/kota, kecamatan of first registration, day of
birth (+40 for women), month, two-digit year, serial (never 0000). There is no check digit.
KK number: PP KK CC DD MM YY SSSS likewise, the date being the date of issue.

Errors are raised as `IdentifierError` with the part that is wrong, so a form can say which one.
Messages are Indonesian msgids, translated through gettext where Django is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

try:  # gettext when Django is configured; the plain string otherwise.
    from django.utils.translation import gettext as _
except ImportError:  # pragma: no cover

    def _(message: str) -> str:
        return message


# Kemendagri province codes (38 provinces, 2023).
PROVINCES = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua Barat",
    "92": "Papua Barat Daya",
    "94": "Papua",
    "95": "Papua Selatan",
    "96": "Papua Tengah",
    "97": "Papua Pegunungan",
}

MALE = "L"
FEMALE = "P"


class IdentifierError(ValueError):
    """A NIK or KK number that is wrong; `part` names the wrong part."""

    def __init__(self, part: str, message: str):
        super().__init__(message)
        self.part = part
        self.message = message


@dataclass(frozen=True)
class NikInfo:
    nik: str
    region_code: str  # "33.14.01": kecamatan of first registration
    sex: str  # "L" or "P"
    day: int
    month: int
    year2: int
    serial: str

    def birth_date_candidates(self, today: dt.date) -> list[dt.date]:
        """The birth dates the six date digits allow (either century, not in the future)."""
        dates = []
        for century in (1900, 2000):
            try:
                date = dt.date(century + self.year2, self.month, self.day)
            except ValueError:
                continue
            if date <= today:
                dates.append(date)
        return dates

    def likely_birth_date(self, today: dt.date) -> dt.date | None:
        candidates = self.birth_date_candidates(today)
        return candidates[-1] if candidates else None


def _digits(value: str, label: str) -> str:
    cleaned = (value or "").strip().replace(" ", "").replace(".", "")
    if not cleaned:
        raise IdentifierError("format", _("%(label)s wajib diisi.") % {"label": label})
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise IdentifierError("format", _("%(label)s hanya boleh berisi angka.") % {"label": label})
    if len(cleaned) != 16:
        raise IdentifierError(
            "format",
            _("%(label)s harus 16 digit, bukan %(n)d digit.") % {"label": label, "n": len(cleaned)},
        )
    return cleaned


def _check_region(value: str, label: str) -> str:
    province, kabupaten, kecamatan = value[0:2], value[2:4], value[4:6]
    if province not in PROVINCES:
        raise IdentifierError(
            "region",
            _("Kode provinsi %(code)s pada %(label)s (digit 1–2) tidak dikenal.") % {"code": province, "label": label},
        )
    if kabupaten == "00":
        raise IdentifierError(
            "region", _("Kode kabupaten/kota pada %(label)s (digit 3–4) tidak boleh 00.") % {"label": label}
        )
    if kecamatan == "00":
        raise IdentifierError(
            "region", _("Kode kecamatan pada %(label)s (digit 5–6) tidak boleh 00.") % {"label": label}
        )
    return f"{province}.{kabupaten}.{kecamatan}"


def _check_serial(value: str, label: str) -> str:
    serial = value[12:16]
    if serial == "0000":
        raise IdentifierError(
            "serial", _("Nomor urut pada %(label)s (digit 13–16) tidak boleh 0000.") % {"label": label}
        )
    return serial


def parse_nik(value: str, today: dt.date | None = None) -> NikInfo:
    """Check the structure of a NIK and return what it encodes."""
    today = today or dt.date.today()
    nik = _digits(value, "NIK")
    region = _check_region(nik, "NIK")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if day > 40:
        sex, day = FEMALE, day - 40
    if not 1 <= month <= 12:
        raise IdentifierError(
            "birth_date", _("Bulan lahir pada NIK (digit 9–10) harus 01–12, bukan %(m)02d.") % {"m": month}
        )
    if not 1 <= day <= 31:
        raise IdentifierError(
            "birth_date",
            _("Tanggal lahir pada NIK (digit 7–8) harus 01–31 untuk laki-laki atau 41–71 untuk perempuan."),
        )
    info = NikInfo(nik, region, sex, day, month, year2, _check_serial(nik, "NIK"))
    if not info.birth_date_candidates(today):
        raise IdentifierError(
            "birth_date",
            _("Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang ada: %(d)02d-%(m)02d-%(y)02d.")
            % {"d": day, "m": month, "y": year2},
        )
    return info


def check_nik_matches(info: NikInfo, *, sex: str | None, birth_date: dt.date | None) -> list[IdentifierError]:
    """Compare what the NIK encodes with the entered sex and birth date."""
    errors = []
    if sex and sex != info.sex:
        errors.append(
            IdentifierError(
                "sex",
                _("NIK menunjukkan jenis kelamin %(nik)s (tanggal lahir %(rule)s), tetapi yang diisi %(entered)s.")
                % {
                    "nik": _("perempuan") if info.sex == FEMALE else _("laki-laki"),
                    "rule": _("ditambah 40") if info.sex == FEMALE else _("tidak ditambah 40"),
                    "entered": _("perempuan") if sex == FEMALE else _("laki-laki"),
                },
            )
        )
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        info.day,
        info.month,
        info.year2,
    ):
        errors.append(
            IdentifierError(
                "birth_date",
                _("Tanggal lahir pada NIK (digit 7–12) adalah %(nik)s, tetapi yang diisi %(entered)s.")
                % {
                    "nik": f"{info.day:02d}-{info.month:02d}-{info.year2:02d}",
                    "entered": birth_date.strftime("%d-%m-%y"),
                },
            )
        )
    return errors


@dataclass(frozen=True)
class KkInfo:
    number: str
    region_code: str
    issued_on: dt.date
    serial: str


def parse_kk(value: str, today: dt.date | None = None) -> KkInfo:
    """Check the structure of a KK number: area of issue, date of issue, serial."""
    today = today or dt.date.today()
    label = _("Nomor KK")  # once: a translation lookup costs more than the rest of the check
    number = _digits(value, label)
    region = _check_region(number, label)
    day, month, year2 = int(number[6:8]), int(number[8:10]), int(number[10:12])
    issued = None
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + year2, month, day)
        except ValueError:
            continue
        if candidate <= today:
            issued = candidate
            break
    if issued is None:
        raise IdentifierError(
            "issue_date",
            _("Tanggal terbit pada Nomor KK (digit 7–12) bukan tanggal yang sah: %(d)02d-%(m)02d-%(y)02d.")
            % {"d": day, "m": month, "y": year2},
        )
    return KkInfo(number, region, issued, _check_serial(number, label))


def _date_pattern(day_offset: int) -> str:
    """DDMMYY of a date that exists in 19YY or 20YY (only 29 February depends on the year)."""

    def days(first: int, last: int) -> str:
        return "|".join(f"{day + day_offset:02d}" for day in range(first, last + 1))

    any_month, not_february, long_months = "0[1-9]|1[0-2]", "0[13-9]|1[0-2]", "0[13578]|1[02]"
    leap_years = "[02468][048]|[13579][26]"  # 2000 was leap, so 00 is too
    return (
        f"(?:(?:{days(1, 28)})(?:{any_month})[0-9]{{2}}"
        f"|(?:{days(29, 30)})(?:{not_february})[0-9]{{2}}"
        f"|{days(29, 29)}02(?:{leap_years})"
        f"|{days(31, 31)}(?:{long_months})[0-9]{{2}})"
    )


_REGION_PATTERN = f"(?:{'|'.join(PROVINCES)})(?!00)[0-9]{{2}}(?!00)[0-9]{{2}}"
_SERIAL_PATTERN = "(?!0000)[0-9]{4}"
# The structure parse_nik and parse_kk accept, as a regular expression (ECMAScript and Python alike)
# for the API's schema; what they check beyond it is against other fields or the registry.
NIK_PATTERN = f"{_REGION_PATTERN}(?:{_date_pattern(0)}|{_date_pattern(40)}){_SERIAL_PATTERN}"
KK_PATTERN = f"{_REGION_PATTERN}{_date_pattern(0)}{_SERIAL_PATTERN}"


def mask_nik(value: str | None) -> str:
    """Show only the region part and the last two digits: 331401********23."""
    if not value:
        return "—"
    if len(value) < 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 8) + value[-2:]


def make_nik(region6: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """Compose a NIK (used by the demo generator and tests)."""
    day = birth_date.day + (40 if sex == FEMALE else 0)
    return f"{region6}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def make_kk(region6: str, issued_on: dt.date, serial: int) -> str:
    return f"{region6}{issued_on.day:02d}{issued_on.month:02d}{issued_on.year % 100:02d}{serial:04d}"
