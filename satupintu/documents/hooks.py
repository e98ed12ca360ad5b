"""The one call the case workflow makes when an application reaches "issued".

Duck-typed on the application (`service.code`, `service.agency`, `household`, `applicant`,
`rules_result`, `pk`), so this app does not import `cases`. See docs/documents.md for the wiring.
"""

from __future__ import annotations

from .actions import document_issue_card, document_issue_letter
from .models import IssuedDocument, Kind, LetterTemplate

CARD_SERVICES = {"kartu-saraswati": Kind.SARASWATI, "kartu-sintawati": Kind.SINTAWATI}
SOURCE_TYPE = "cases.application"


def document_issue_for_application(*, actor, application) -> IssuedDocument | None:
    """Issue the paper product of an application: the card or letter of its service, or nothing for
    aid and on-the-spot services. Raises DocumentError (with the reason for the officer) when refused."""
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
    if LetterTemplate.objects.filter(service_code=code, is_active=True).exists():
        return document_issue_letter(
            actor=actor,
            service_code=code,
            subject_household=application.household,
            subject_person=application.applicant,
            addressee_agency=application.service.agency,
            **source,
        )
    return None


def documents_of_application(application):
    return IssuedDocument.objects.filter(source_type=SOURCE_TYPE, source_id=str(application.pk)).defer("pdf")
