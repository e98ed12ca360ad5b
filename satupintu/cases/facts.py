"""The facts the eligibility rules read, gathered from the registry, the issued cards and the application."""

from django.utils import timezone

from satupintu.documents.models import IssuedDocument, Kind
from satupintu.lib import compiled
from satupintu.registry.models import PovertyAssessment

from .santunan import recorded_death


def facts_for(application) -> dict:
    applicant = application.applicant
    found = compiled.instances("latest-valid-assessment", _latest_valid_assessment, application.household_id)
    latest = found[0] if found else None
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


def _latest_valid_assessment(household_id):
    valid = PovertyAssessment.objects.filter(household_id=household_id, is_valid=True)
    return valid.order_by("-assessed_on", "-id")[:1]


def saraswati_card_of(household_id, on) -> str | None:
    """The number of the household's Kartu Saraswati valid on `on` and not revoked, if any. Its query,
    like the latest assessment's above, is compiled once per worker (here per day `on`; lib/compiled.py)."""

    def build(key):
        cards = IssuedDocument.objects.current(on).filter(household_id=key, kind=Kind.SARASWATI)
        return cards.order_by("-issued_on", "-id").only("number")[:1]

    found = compiled.instances(("saraswati-card", on), build, household_id)
    return found[0].number if found else None
