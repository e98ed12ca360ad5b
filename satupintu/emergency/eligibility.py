"""What the desk reads at once about a patient: a Kartu Saraswati in force, else the household's
poverty status in the registry, else nothing (the patient is served and verified afterwards); and
the check of a card shown at the clinic, by its scanned QR text or a NIK."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.documents import signing
from satupintu.documents.models import IssuedDocument, Kind, Tier
from satupintu.documents.models import Status as CardStatus
from satupintu.registry.choices import PovertyResult
from satupintu.registry.models import Household, Person, PovertyAssessment

from .models import CheckResult, Eligibility

NIK_RE = re.compile(r"^[0-9]{16}$")
TOKEN_RE = re.compile(r"/v/([A-Za-z0-9_-]{8,40})#")


@dataclass(frozen=True)
class Finding:
    eligibility: str
    evidence: str
    card: IssuedDocument | None = None

    @property
    def verify_after(self) -> bool:
        return self.eligibility == Eligibility.UNKNOWN

    @property
    def label(self) -> str:
        return Eligibility(self.eligibility).label


def latest_card(household_id: int) -> IssuedDocument | None:
    """The household's newest Kartu Saraswati (in force or not)."""
    return (
        IssuedDocument.objects.defer("pdf", "content")
        .filter(household_id=household_id, kind=Kind.SARASWATI)
        .order_by("-issued_on", "-id")
        .first()
    )


def _card_line(card: IssuedDocument) -> str:
    valid = f"{card.valid_until:%d/%m/%Y}" if card.valid_until else "—"
    return _("Kartu Saraswati %(number)s (%(tier)s) berlaku s.d. %(until)s") % {
        "number": card.number,
        "tier": Tier(card.tier).label.split(" — ")[0] if card.tier else "—",
        "until": valid,
    }


def eligibility_of(person: Person | None, today: dt.date | None = None) -> Finding:
    """The patient's eligibility on `today`, with the evidence shown to the desk and stored."""
    today = today or timezone.localdate()
    if person is None or person.household_id is None:
        return Finding(Eligibility.UNKNOWN, _("Pasien tidak ditemukan di basis data."))
    card = (
        IssuedDocument.objects.defer("pdf", "content")
        .filter(household_id=person.household_id, kind=Kind.SARASWATI)
        .current(today)
        .order_by("-issued_on", "-id")
        .first()
    )
    if card is not None:
        return Finding(Eligibility.CARD_VALID, _card_line(card), card)
    latest = (
        PovertyAssessment.objects.filter(household_id=person.household_id, is_valid=True)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if latest is not None and latest.result == PovertyResult.POOR:
        desil = f", desil {latest.desil}" if latest.desil else ""
        return Finding(
            Eligibility.REGISTRY_POOR,
            _("Miskin menurut penilaian %(method)s%(desil)s") % {"method": latest.get_method_display(), "desil": desil},
        )
    if latest is not None:
        return Finding(
            Eligibility.UNKNOWN,
            _("Tanpa kartu berlaku; penilaian terakhir: %(result)s") % {"result": latest.get_result_display()},
        )
    return Finding(Eligibility.UNKNOWN, _("Tanpa kartu berlaku dan belum ada penilaian kemiskinan."))


@dataclass(frozen=True)
class CardCheck:
    result: str
    reason: str
    card: IssuedDocument | None = None
    household: Household | None = None
    person: Person | None = None

    @property
    def tier(self) -> str:
        return self.card.tier if self.card is not None else ""

    @property
    def result_label(self) -> str:
        return CheckResult(self.result).label

    @property
    def found(self) -> bool:
        return self.household is not None


def _token(text: str) -> str | None:
    match = TOKEN_RE.search(text)
    return match.group(1) if match else None


def check_card(text: str, people, today: dt.date | None = None) -> CardCheck:
    """Check a scanned card QR or a typed NIK. The QR's signature is verified with the published
    keys and the document's state read from the database; `people` is the user's scoped Person
    queryset (a patient outside it is "not found")."""
    today = today or timezone.localdate()
    text = (text or "").strip()
    if NIK_RE.match(text):
        person = people.select_related("household").filter(nik=text).first()
        if person is None or person.household_id is None:
            return CardCheck(CheckResult.NOT_FOUND, _("NIK tidak ditemukan di basis data wilayah Anda."))
        card = latest_card(person.household_id)
        if card is None:
            return CardCheck(
                CheckResult.NOT_FOUND,
                _("Rumah tangga ini tidak memiliki Kartu Saraswati."),
                None,
                person.household,
                person,
            )
        return _card_state(card, today, person.household, person)
    token = _token(text)
    if token is None:
        return CardCheck(CheckResult.NOT_FOUND, _("Teks bukan QR Kartu Saraswati maupun NIK 16 digit."))
    if not signing.verify_qr(text, signing.public_keys()):
        return CardCheck(CheckResult.NOT_FOUND, _("Tanda tangan QR tidak sah: kartu mungkin palsu."))
    card = IssuedDocument.objects.defer("pdf", "content").filter(token=token).first()
    if card is None or card.kind != Kind.SARASWATI or card.qr_text != text:
        return CardCheck(CheckResult.NOT_FOUND, _("QR ini bukan Kartu Saraswati yang terbit di sistem."))
    household = Household.objects.filter(pk__in=people.values("household_id"), pk=card.household_id).first()
    if household is None:
        return CardCheck(CheckResult.NOT_FOUND, _("Pemegang kartu tidak ditemukan di basis data wilayah Anda."))
    return _card_state(card, today, household, None)


def _card_state(card: IssuedDocument, today: dt.date, household, person) -> CardCheck:
    status = card.status_on(today)
    if status == CardStatus.REVOKED:
        reason = _("Kartu %(number)s dicabut: %(why)s") % {"number": card.number, "why": card.revoke_reason or "—"}
        return CardCheck(CheckResult.REVOKED, reason, card, household, person)
    if status == CardStatus.EXPIRED:
        return CardCheck(CheckResult.EXPIRED, _card_line(card), card, household, person)
    return CardCheck(CheckResult.VALID, _card_line(card), card, household, person)
