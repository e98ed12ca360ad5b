"""Indonesian formatting for official documents, without Django.

Official letters write dates in full ("Sragen, 27 November 2026") and letter numbers carry the month
in Roman numerals ("470/0123/UPT-PK/XI/2026"). Public pages show a name only masked.
"""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_date(date: dt.date) -> str:
    """27 November 2026 (no leading zero, month in full)."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def format_place_date(place: str, date: dt.date) -> str:
    """Sragen, 27 November 2026: the line above the signature block."""
    return f"{place}, {format_date(date)}"


def roman_month(month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, not {month}")
    return ROMAN_MONTHS[month - 1]


def mask_name(name: str) -> str:
    """Su****** Wi*****: the first two letters of each word, so a holder recognises the name and
    a stranger cannot read it. One-letter words stay; titles with a dot keep their first letter."""
    words = []
    for word in (name or "").split():
        keep = 1 if len(word) <= 3 else 2
        words.append(word[:keep] + "*" * (len(word) - keep))
    return " ".join(words)
