"""Writes of the documents app: issue, revoke and reissue. One transaction each, the acting user
required, an audit row beside every change.

A number is taken from its counter row under `select_for_update`, in the same transaction that
stores the document: if rendering or saving fails, the number goes back with the rollback, so the
numbers of a series and year have no gaps, and two issuers never get the same one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from satupintu.accounts.models import Agency
from satupintu.audit import log
from satupintu.catalogue.rules import saraswati_coverage
from satupintu.lib.indonesian import roman_month
from satupintu.lib.transitions import Refused

from . import content, letter_types, placeholders, qr, signing
from .models import Counter, DocumentSettings, IssuedDocument, Kind, LetterTemplate, Status, Tier

LETTER_DIGITS = 4
CARD_DIGITS = 6
CARD_SERIES = {Tier.MELATI: "MLT", Tier.MENUR: "MNR", Tier.KENANGA: "KNG", Kind.SINTAWATI: "STW"}


class DocumentError(Refused):
    """A refused request about a document."""


# reportlab (about 65 modules) is imported when the first PDF is made, not when the site loads.
def render_letter(fields: dict) -> bytes:
    from .render_letter import render_letter as render

    return render(fields)


def render_card(fields: dict) -> bytes:
    from .render_card import render_card as render

    return render(fields)


def take_number(series: str, year: int) -> int:
    """The next number of a series and year. Call inside the transaction that stores the document."""
    Counter.objects.bulk_create([Counter(series=series, year=year)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def format_number(scheme: str, *, sequence: int, digits: int, issued_on: dt.date, **parts: str) -> str:
    values = {
        "urut": f"{sequence:0{digits}d}",
        "bulan_romawi": roman_month(issued_on.month),
        "bulan": f"{issued_on.month:02d}",
        "tahun": str(issued_on.year),
        **parts,
    }
    return placeholders.render(scheme, values, placeholders.NUMBER_PLACEHOLDERS)


def series_of(scheme: str, *, year: int, **parts: str) -> str:
    """The scheme filled in with everything but the sequence ("#") and the month (see Counter)."""
    values = {"urut": "#", "bulan_romawi": "", "bulan": "", "tahun": str(year), **parts}
    return placeholders.render(scheme, values, placeholders.NUMBER_PLACEHOLDERS)


def _numbered(scheme: str, *, digits: int, issued_on: dt.date, **parts: str) -> tuple[str, int, str]:
    """Take the next number of the series this scheme and these parts make: (series, sequence, number)."""
    series = series_of(scheme, year=issued_on.year, **parts)
    sequence = take_number(series, issued_on.year)
    return series, sequence, format_number(scheme, sequence=sequence, digits=digits, issued_on=issued_on, **parts)


def _finish(document: IssuedDocument, render) -> IssuedDocument:
    """Sign the QR text, render the PDF with it, store the bytes and their SHA-256."""
    text = signing.signed_text(
        token=document.token,
        kind=document.kind,
        number=document.number,
        issued_on=document.issued_on,
        valid_until=document.valid_until,
    )
    document.signature = signing.sign(text)
    document.qr_text = signing.qr_text(text, document.signature)
    document.content["qr"] = qr.encode(document.qr_text)
    document.pdf = render(document.content)
    document.sha256 = hashlib.sha256(document.pdf).hexdigest()
    document.save()
    log.record(
        actor=document.issued_by,
        action=log.Action.CREATE,
        instance=document,
        household_id=document.household_id,
        changes={"number": [None, document.number], "kind": [None, document.kind], "sha256": [None, document.sha256]},
    )
    return document


def _new(*, kind, series, sequence, number, issued_on, household, person, actor, source_type, source_id, **fields):
    return IssuedDocument(
        kind=kind,
        series=series,
        year=issued_on.year,
        sequence=sequence,
        number=number,
        token=secrets.token_urlsafe(16),
        issued_on=issued_on,
        household=household,
        person=person,
        issued_by=actor,
        source_type=source_type,
        source_id=str(source_id),
        **fields,
    )


def _usual_agency(service_code: str):
    letter_type = letter_types.BY_CODE.get(service_code)
    return Agency.objects.filter(code=letter_type.agency).first() if letter_type else None


def _subject(household, person):
    if person is not None and person.household_id != household.pk:
        raise DocumentError(_("Orang yang dimaksud bukan anggota rumah tangga ini."))
    person = person or household.head
    if person is None:
        raise DocumentError(_("Rumah tangga belum memiliki kepala keluarga."))
    return person


@transaction.atomic
def document_issue_letter(
    *,
    actor,
    service_code: str,
    subject_household,
    subject_person=None,
    addressee_agency=None,
    context: dict | None = None,
    source_type: str = "",
    source_id: str = "",
) -> IssuedDocument:
    """Issue the numbered, signed recommendation letter of a service for one person of a household."""
    template = LetterTemplate.objects.filter(service_code=service_code, is_active=True).first()
    if template is None:
        raise DocumentError(_("Layanan %(code)s tidak menghasilkan surat.") % {"code": service_code})
    agency = addressee_agency or template.default_agency or _usual_agency(service_code)
    if agency is None:
        raise DocumentError(_("Instansi tujuan surat belum ditentukan."))
    person = _subject(subject_household, subject_person)
    config = DocumentSettings.current()
    issued_on = timezone.localdate()
    series, sequence, number = _numbered(
        config.letter_number_scheme,
        digits=LETTER_DIGITS,
        issued_on=issued_on,
        klasifikasi=template.classification,
        unit=config.unit_code,
        jenis=template.abbreviation,
        seri=template.abbreviation,
    )
    document = _new(
        kind=Kind.LETTER,
        series=series,
        sequence=sequence,
        number=number,
        issued_on=issued_on,
        household=subject_household,
        person=person,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        service_code=service_code,
        title=template.title,
        addressee=agency,
        subject_name=person.name,
    )
    with translation.override("id"):
        document.content = _letter_content(
            template, person, subject_household, agency, number, issued_on, config, actor, context, document.token
        )
    return _finish(document, render_letter)


def _letter_content(template, person, household, agency, number, issued_on, config, actor, context, token) -> dict:
    values = content.letter_values(
        template=template,
        person=person,
        household=household,
        agency=agency,
        number=number,
        issued_on=issued_on,
        config=config,
        context=context or {},
    )
    return content.letter_content(
        template=template,
        values=values,
        agency=agency,
        config=config,
        actor=actor,
        number=number,
        issued_on=issued_on,
        token_url=content.verify_path_url(token),
    )


def default_valid_until(kind: str, issued_on: dt.date) -> dt.date:
    """Saraswati: the end of the budget year; Sintawati: the end of the school year (30 June)."""
    if kind == Kind.SARASWATI:
        return dt.date(issued_on.year, 12, 31)
    return dt.date(issued_on.year + (1 if issued_on.month >= 7 else 0), 6, 30)


@transaction.atomic
def document_issue_card(
    *,
    actor,
    kind: str,
    household,
    person=None,
    tier: str = "",
    valid_until: dt.date | None = None,
    source_type: str = "",
    source_id: str = "",
    replaces: IssuedDocument | None = None,
) -> IssuedDocument:
    """Issue a Kartu Saraswati (a household, one tier) or a Kartu Sintawati (one pupil of it)."""
    if kind == Kind.SARASWATI:
        if tier not in Tier.values:
            raise DocumentError(_("Kartu Saraswati memerlukan kategori Melati, Menur atau Kenanga."))
        code = CARD_SERIES[tier]
    elif kind == Kind.SINTAWATI:
        if person is None:
            raise DocumentError(_("Kartu Sintawati diterbitkan untuk satu siswa."))
        tier, code = "", CARD_SERIES[Kind.SINTAWATI]
    else:
        raise DocumentError(_("Jenis kartu tidak dikenal."))
    subject = _subject(household, person)
    config = DocumentSettings.current()
    issued_on = timezone.localdate()
    valid_until = valid_until or default_valid_until(kind, issued_on)
    if valid_until < issued_on:
        raise DocumentError(_("Tanggal berlaku kartu sudah lewat."))
    series, sequence, number = _numbered(
        config.card_number_scheme,
        digits=CARD_DIGITS,
        issued_on=issued_on,
        seri=code,
        jenis=code,
        unit=config.unit_code,
        klasifikasi="",
    )
    document = _new(
        kind=kind,
        series=series,
        sequence=sequence,
        number=number,
        issued_on=issued_on,
        household=household,
        person=person,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        service_code=f"kartu-{kind}",
        title=_indonesian(Kind(kind).label),
        tier=tier,
        valid_until=valid_until,
        subject_name=subject.name,
        replaces=replaces,
    )
    card = dict(config=config, actor=actor, number=number, valid_until=valid_until)
    with translation.override("id"):
        if kind == Kind.SARASWATI:
            members = _covered_members(household, issued_on)
            document.content = content.saraswati_content(household=household, members=members, tier=tier, **card)
        else:
            document.content = content.sintawati_content(household=household, person=person, **card)
    return _finish(document, render_card)


def _covered_members(household, on: dt.date) -> list:
    """The members a Kartu Saraswati lists: those the rule covers (not other insurance, not PNS/TNI/Polri)."""
    members = [member for member, covered in saraswati_coverage(household, on) if covered.met]
    if not members:
        raise DocumentError(_("Tidak ada anggota rumah tangga yang dapat ditanggung Kartu Saraswati."))
    return members


def _indonesian(label) -> str:
    with translation.override("id"):
        return str(label)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Alasan wajib diisi."))
    return reason[:250]


@transaction.atomic
def document_revoke(*, actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Revoke a document; the public verification page shows it at once, with the reason."""
    reason = _clean_reason(reason)
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.revoked_at:
        raise DocumentError(_("Dokumen ini sudah dicabut."))
    document.revoked_at = timezone.now()
    document.revoked_by = actor
    document.revoke_reason = reason
    document.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    log.record(
        actor=actor,
        action=log.Action.UPDATE,
        instance=document,
        household_id=document.household_id,
        changes={"status": ["valid", "revoked"]},
        reason=reason,
    )
    return document


@transaction.atomic
def document_reissue_card(*, actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Replace a lost or damaged card: the old number is revoked, a new number is issued from the
    current registry data, for the same holder, tier and validity."""
    reason = _clean_reason(reason)
    if document.kind == Kind.LETTER:
        raise DocumentError(_("Hanya kartu yang dapat diterbitkan ulang."))
    if document.status_on(timezone.localdate()) == Status.EXPIRED:
        raise DocumentError(_("Kartu sudah kedaluwarsa: ajukan kartu baru, bukan penggantian."))
    old = document_revoke(actor=actor, document=document, reason=_("Diganti kartu baru: %(r)s") % {"r": reason})
    return document_issue_card(
        actor=actor,
        kind=old.kind,
        household=old.household,
        person=old.person,
        tier=old.tier,
        valid_until=old.valid_until,
        source_type=old.source_type,
        source_id=old.source_id,
        replaces=old,
    )
