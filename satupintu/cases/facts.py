"""The facts the eligibility rules read, gathered from the registry, the issued cards and the application."""

from django.utils import timezone

from satupintu.documents.models import IssuedDocument, Kind
from satupintu.lib import compiled
from satupintu.registry.models import PovertyAssessment

from .santunan import recorded_death


def facts_reads(application) -> dict:
    """The registry reads `facts_for` makes, as `compiled.instances_together` takes them: a page that
    reads other lists reads these with them and passes what it found to `facts_for`."""
    on = timezone.localtime(application.received_at).date()
    return {
        "assessment": ("latest-valid-assessment", _latest_valid_assessment, application.household_id),
        "saraswati_card": (("saraswati-card", on), _saraswati_card_query(on), application.household_id),
    }


def facts_for(application, read: dict | None = None) -> dict:
    """The facts of `application` the rules read; `read`: what `facts_reads` found, if read already."""
    if read is None:
        read = compiled.instances_together(facts_reads(application))
    applicant = application.applicant
    latest = read["assessment"][0] if read["assessment"] else None
    facts = {
        "health_insurance": applicant.health_insurance,
        "occupation": applicant.occupation,
        "school_status": applicant.school_status,
        "disability": applicant.disability,
        "saraswati_card": read["saraswati_card"][0].number if read["saraswati_card"] else None,
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


def _saraswati_card_query(on):
    """The household's Kartu Saraswati valid on `on` and not revoked, if any. Its query, like the latest
    assessment's above, is compiled once per worker (here per day `on`; lib/compiled.py)."""

    def build(key):
        cards = IssuedDocument.objects.current(on).filter(household_id=key, kind=Kind.SARASWATI)
        return cards.order_by("-issued_on", "-id").only("number")[:1]

    return build
