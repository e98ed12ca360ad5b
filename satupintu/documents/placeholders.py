"""Editable text with fixed placeholders: substitution, never evaluation.

An admin edits letter bodies and numbering schemes in the browser. A peer system shipped a remote
code execution hole by evaluating template expressions, so this module does not use Django
templates, Jinja or `str.format` (which reaches attributes: "{0.__class__}"). A text is a sequence
of literal characters and `{name}` where `name` is one of a fixed list; anything else with a brace
is refused. Substitution is one pass: a value that itself contains "{…}" is never scanned again.
Markup characters are refused too, because the PDF layer's paragraph markup is a language of its
own (ReportLab's `<font color="…">` was itself an RCE vector, CVE-2023-33733).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Placeholders of letter bodies: name → what it becomes. Documented in docs/documents.md.
LETTER_PLACEHOLDERS = {
    "nama": _("nama lengkap orang yang bersangkutan"),
    "nik": _("NIK orang yang bersangkutan"),
    "tempat_lahir": _("tempat lahir"),
    "tanggal_lahir": _("tanggal lahir, mis. 12 Mei 1975"),
    "jenis_kelamin": _("jenis kelamin (Laki-laki/Perempuan)"),
    "alamat": _("alamat lengkap: jalan/dukuh, RT/RW, desa, kecamatan"),
    "desa": _("nama desa/kelurahan"),
    "kecamatan": _("nama kecamatan"),
    "nomor_kk": _("nomor KK rumah tangga"),
    "kepala_keluarga": _("nama kepala keluarga"),
    "nomor_surat": _("nomor surat"),
    "tanggal_surat": _("tanggal surat, mis. 27 November 2026"),
    "instansi_tujuan": _("nama instansi tujuan"),
    "layanan": _("nama layanan"),
    "keterangan": _("keterangan tambahan dari petugas"),
    "nama_unit": _("nama unit (dari kop surat)"),
    "kabupaten": _("nama kabupaten (dari kop surat)"),
}

# Placeholders of numbering schemes.
NUMBER_PLACEHOLDERS = {
    "klasifikasi": _("kode klasifikasi arsip jenis surat, mis. 440"),
    "urut": _("nomor urut per jenis dan tahun, diisi nol di depan"),
    "unit": _("kode unit, mis. UPT-PK"),
    "bulan_romawi": _("bulan terbit dalam angka Romawi, mis. XI"),
    "bulan": _("bulan terbit dua digit, mis. 11"),
    "tahun": _("tahun terbit, mis. 2026"),
    "jenis": _("singkatan jenis surat, mis. RJK untuk rujukan Jamkesda"),
    "seri": _("kode seri kartu, mis. MLT untuk Melati"),
}

_TOKEN = re.compile(r"\{([a-z_]{1,30})\}")
_MARKUP = set("<>&")
# Characters a number may be made of: it is printed, put in a QR code and typed by verifiers.
_NUMBER_LITERAL = re.compile(r"^[A-Za-z0-9./-]*$")


def _problems(text: str, allowed: dict) -> list[str]:
    problems = []
    position = 0
    for match in _TOKEN.finditer(text):
        literal = text[position : match.start()]
        if "{" in literal or "}" in literal:
            problems.append(_("kurung kurawal yang bukan placeholder: «%(part)s»") % {"part": _excerpt(literal)})
        if match.group(1) not in allowed:
            problems.append(_("placeholder tidak dikenal: {%(name)s}") % {"name": match.group(1)})
        position = match.end()
    rest = text[position:]
    if "{" in rest or "}" in rest:
        problems.append(_("kurung kurawal yang bukan placeholder: «%(part)s»") % {"part": _excerpt(rest)})
    if _MARKUP & set(text):
        problems.append(_("karakter markup < > & tidak diperbolehkan"))
    return problems


def _excerpt(literal: str) -> str:
    index = min(i for i in (literal.find("{"), literal.find("}")) if i >= 0)
    return literal[max(0, index - 10) : index + 20]


def validate_text(text: str, allowed: dict) -> None:
    """Raise a ValidationError naming every problem and the placeholders that are allowed."""
    problems = _problems(text, allowed)
    if problems:
        names = ", ".join("{" + name + "}" for name in allowed)
        raise ValidationError(
            _("Templat ditolak: %(problems)s. Hanya placeholder berikut yang boleh dipakai: %(names)s.")
            % {"problems": "; ".join(str(p) for p in problems), "names": names}
        )


def validate_letter_body(text: str) -> None:
    validate_text(text, LETTER_PLACEHOLDERS)


def validate_number_scheme(text: str) -> None:
    validate_text(text, NUMBER_PLACEHOLDERS)
    if "{urut}" not in text or "{tahun}" not in text:
        raise ValidationError(_("Skema nomor wajib memuat {urut} dan {tahun}, supaya setiap nomor berbeda."))
    if not _NUMBER_LITERAL.match(_TOKEN.sub("", text)):
        raise ValidationError(_("Skema nomor hanya boleh berisi huruf, angka, titik, garis miring dan tanda hubung."))


def render(text: str, values: dict[str, str], allowed: dict) -> str:
    """Substitute placeholders in one pass. The text is validated again, so a template written to
    the database by other means than the form still cannot do more than substitute."""
    validate_text(text, allowed)
    return _TOKEN.sub(lambda match: str(values.get(match.group(1), "")), text)


def validate_number_scheme_literal(text: str) -> None:
    """A literal part of a number (a classification code): no placeholders, only number characters."""
    if not text or not _NUMBER_LITERAL.match(text):
        raise ValidationError(_("Hanya huruf, angka, titik, garis miring dan tanda hubung."))
