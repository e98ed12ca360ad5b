"""How an assessment's inputs become a result. Thresholds come from settings (configurable)."""

from decimal import Decimal

from django.conf import settings

from .choices import BPS14_CRITERIA, PovertyResult


def classify_bps14(answers: dict[str, bool]) -> tuple[Decimal, str]:
    """Count the criteria met; `POVERTY_BPS14_POOR_MIN` (9) or more of the 14 means poor."""
    unknown = set(answers) - set(BPS14_CRITERIA)
    if unknown:
        raise ValueError(f"Kriteria tidak dikenal: {', '.join(sorted(unknown))}")
    score = sum(1 for key in BPS14_CRITERIA if answers.get(key))
    result = PovertyResult.POOR if score >= settings.POVERTY_BPS14_POOR_MIN else PovertyResult.NOT_POOR
    return Decimal(score), result


def classify_desil(desil: int) -> str:
    if not 1 <= desil <= 10:
        raise ValueError("Desil harus 1–10.")
    if desil <= settings.POVERTY_DESIL_POOR_MAX:
        return PovertyResult.POOR
    if desil <= settings.POVERTY_DESIL_VULNERABLE_MAX:
        return PovertyResult.VULNERABLE
    return PovertyResult.NOT_POOR
