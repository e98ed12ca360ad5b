"""The facts the eligibility rules read, gathered from the registry, the issued cards and the application."""

from django.utils import timezone

from satupintu.documents.models import IssuedDocument, Kind
from satupintu.registry.models import PovertyAssessment

from .santunan import recorded_death


def facts_for(application) -> dict:
    applicant = application.applicant
    latest = (
        PovertyAssessment.objects.filter(household_id=application.household_id, is_valid=True)
        .order_by("-assessed_on", "-id")
        .first()
    )
    facts = {
        "health_insurance": applicant.health_insurance,
        "occupation": applicant.occupation,
        "school_status": applicant.school_status,
        "disability": applicant.disability,
        "saraswati_card": saraswati_card_of(
            application.household_id, timezone.localtime(application.received_at).date()
        ),
    }
    if latest is not None:
        facts.update(
            poverty_method=latest.method,
            poverty_result=latest.result,
            desil=latest.desil,
            bps14_score=int(latest.score) if latest.method == "bps14" and latest.score is not None else None,
        )
    facts.update({k: v for k, v in application.details.items() if k in ("ipk", "ptn", "date_of_death")})
    facts.update(recorded_death(application.details))
    return facts


def saraswati_card_of(household_id, on) -> str | None:
    """The number of the household's Kartu Saraswati valid on `on` and not revoked, if any."""
    cards = IssuedDocument.objects.current(on).filter(household_id=household_id, kind=Kind.SARASWATI)
    return cards.order_by("-issued_on", "-id").values_list("number", flat=True).first()
