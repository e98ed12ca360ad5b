"""What one selected applicant costs a programme: rupiah from the service's dated amount parameter
(the catalogue's product text: beasiswa Rp 12.000.000 a year, Sangduta Rp 500.000; RTLH an
assumption) and units (one place, house or wheelchair; raskin: the kg per distribution month,
an assumption, for the twelve months of the fiscal year)."""

import datetime as dt
from decimal import Decimal

from satupintu import parameters as p

AMOUNT = {"beasiswa-prestasi": "beasiswa_amount", "santunan-duka": "sangduta_amount", "rtlh-apbd": "rtlh_apbd_amount"}
UNITS = {"raskin": ("raskin_kg_per_month", 12)}  # parameter, times


def per_applicant(service_code: str, on: dt.date) -> tuple[Decimal | None, Decimal]:
    """(rupiah or None, units) one selected applicant of the service takes from a ceiling."""
    amount = Decimal(p.value(AMOUNT[service_code], on)) if service_code in AMOUNT else None
    if service_code in UNITS:
        name, times = UNITS[service_code]
        return amount, Decimal(p.value(name, on)) * times
    return amount, Decimal(1)


def parameters_of(service_code: str) -> list[str]:
    """The dated parameters the cost reads (shown with their source on the round page)."""
    return [name for name in (AMOUNT.get(service_code), UNITS.get(service_code, (None,))[0]) if name]
