"""The immediate services' sections of the monthly report and of the equity audit: the ambulance's
response time per kecamatan against the published standard (distance is an access criterion),
and the Klinik Saraswati visits per card tier and kecamatan."""

from satupintu.accounts.scoping import area_q
from satupintu.emergency import selectors
from satupintu.emergency.actions import standard_minutes

from .extract import Period


def monthly_section(user, period: Period) -> dict:
    """The month's figures within the user's area."""
    return {
        "response": selectors.response_times(period.start, period.end, scope=area_q(user, "pickup_desa")),
        "clinic": selectors.clinic_counts(period.start, period.end, scope=area_q(user, "desa")),
        "standard": standard_minutes(period.end),
    }


def access_section(period: Period) -> dict:
    """The regency's (or the period's kecamatan's) figures: aggregates, no personal data."""
    return {
        "response": selectors.response_times(period.start, period.end, kecamatan=period.kecamatan),
        "clinic": selectors.clinic_counts(period.start, period.end, kecamatan=period.kecamatan),
        "standard": standard_minutes(period.end),
    }
