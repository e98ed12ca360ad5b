"""The calls the case workflow makes: when an application reaches "issued", and when it is referred.

Duck-typed on the application (`service.code`, `service.agency`, `household`, `applicant`,
`rules_result`, `pk`), so this app does not import `cases`. See docs/documents.md for the wiring.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .actions import document_issue_card, document_issue_letter, document_revoke
from .models import IssuedDocument, Kind, LetterTemplate

CARD_SERVICES = {"kartu-saraswati": Kind.SARASWATI, "kartu-sintawati": Kind.SINTAWATI}
SOURCE_TYPE = "cases.application"


def document_issue_for_application(*, actor, application) -> IssuedDocument | None:
    """Issue the paper product of an application: the card or letter of its service (aid services
    included), or nothing for the on-the-spot services (clinic, ambulance) and a service whose letter
    template is inactive. Raises DocumentError (with the reason for the officer) when refused."""
    code = application.service.code
    source = {"source_type": SOURCE_TYPE, "source_id": str(application.pk)}
    kind = CARD_SERVICES.get(code)
    if kind == Kind.SARASWATI:
        tier = (application.rules_result or {}).get("tier") or ""
        return document_issue_card(actor=actor, kind=kind, household=application.household, tier=tier, **source)
    if kind == Kind.SINTAWATI:  # the applicant is the pupil (the rule checks the applicant's school)
        return document_issue_card(
            actor=actor, kind=kind, household=application.household, person=application.applicant, **source
        )
    if _has_letter(code):
        return _issue_letter(actor=actor, application=application, agency=application.service.agency)
    return None


def document_for_referral(*, actor, application, agency) -> IssuedDocument | None:
    """The letter a referral carries, addressed to the agency chosen at the referral step: the
    application's letter when it already goes there, else a new one, and an earlier letter to another
    agency is revoked (one valid letter per application). None for a service without a letter."""
    if not _has_letter(application.service.code):
        return None
    letters = documents_of_application(application).filter(kind=Kind.LETTER, revoked_at__isnull=True)
    kept = next((letter for letter in letters if letter.addressee_id == agency.pk), None)
    if kept is not None:
        return kept
    for letter in letters:
        document_revoke(actor=actor, document=letter, reason=_("Rujukan ditujukan ke %(agency)s") % {"agency": agency})
    return _issue_letter(actor=actor, application=application, agency=agency)


def _has_letter(service_code: str) -> bool:
    return LetterTemplate.objects.filter(service_code=service_code, is_active=True).exists()


def _issue_letter(*, actor, application, agency) -> IssuedDocument:
    """The service's letter for the applicant; with no agency, the template's or the letter type's usual one."""
    return document_issue_letter(
        actor=actor,
        service_code=application.service.code,
        subject_household=application.household,
        subject_person=application.applicant,
        addressee_agency=agency,
        source_type=SOURCE_TYPE,
        source_id=str(application.pk),
    )


def documents_of_application(application):
    return IssuedDocument.objects.filter(source_type=SOURCE_TYPE, source_id=str(application.pk)).defer("pdf")
