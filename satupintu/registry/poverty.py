"""How an assessment's inputs become a result, with the dated thresholds of the rules as code."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from satupintu import parameters

from .choices import BPS14_CRITERIA, PovertyResult


def classify_bps14(answers: dict[str, bool], on: dt.date | None = None) -> tuple[Decimal, str]:
    """Count the criteria met; `bps14_poor_min` (9) or more of the 14 means poor."""
    unknown = set(answers) - set(BPS14_CRITERIA)
    if unknown:
        raise ValueError(f"Kriteria tidak dikenal: {', '.join(sorted(unknown))}")
    score = sum(1 for key in BPS14_CRITERIA if answers.get(key))
    minimum = parameters.value("bps14_poor_min", on or timezone.localdate())
    return Decimal(score), PovertyResult.POOR if score >= minimum else PovertyResult.NOT_POOR


def classify_desil(desil: int, on: dt.date | None = None) -> str:
    if not 1 <= desil <= 10:
        raise ValueError("Desil harus 1–10.")
    on = on or timezone.localdate()
    if desil <= parameters.value("dtsen_poor_desil_max", on):
        return PovertyResult.POOR
    if desil <= parameters.value("dtsen_vulnerable_desil_max", on):
        return PovertyResult.VULNERABLE
    return PovertyResult.NOT_POOR
