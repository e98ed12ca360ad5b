"""Rule parameters keyed by start date, each value citing its source (after OpenFisca).

The history below is the reference; a deployment adds dated values in the admin
(`catalogue.ParameterValue`), which apply from their start date on and never to earlier facts.
The poverty thresholds start from the deployment settings (`POVERTY_*`), so the registry and the
rules always agree.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Value:
    valid_from: dt.date
    value: object
    source: str


BPS = "Kriteria rumah tangga miskin BPS (14 indikator), daftar periksa UPT-PK"
DTSEN = "Inpres 4/2025 tentang DTSEN (sebelumnya DTKS); PKH desil 1–4, Sembako dan PBI-JK desil 1–5"
BEASISWA = "Pedoman beasiswa Sintawati mahasiswa (UPT-PK Sragen; Sutikno & Pribadi 2023)"
SANGDUTA = "Santunan duka cita (Sangduta) UPT-PK Sragen (Sutikno & Pribadi 2023)"
SINTAWATI = "Kartu Sintawati (Siswa Pintar Warga Sukowati): siswa SD–SMA/SMK keluarga miskin (UPT-PK Sragen)"
ASSUMED = "Asumsi awal: sumber tidak menyebut batasnya; tetapkan nilai resmi di admin"
SINCE = dt.date(2012, 1, 1)


def _reference() -> dict[str, list[Value]]:
    return {
        "bps14_poor_min": [Value(SINCE, settings.POVERTY_BPS14_POOR_MIN, BPS)],
        "dtsen_poor_desil_max": [Value(SINCE, settings.POVERTY_DESIL_POOR_MAX, DTSEN)],
        "dtsen_vulnerable_desil_max": [Value(SINCE, settings.POVERTY_DESIL_VULNERABLE_MAX, DTSEN)],
        "pkh_desil_max": [Value(SINCE, 4, DTSEN)],
        "sembako_desil_max": [Value(SINCE, 5, DTSEN)],
        "pbi_jk_desil_max": [Value(SINCE, 5, DTSEN)],
        "pupil_school_levels": [Value(SINCE, ["sd", "smp", "sma"], SINTAWATI)],
        "beasiswa_ipk_min": [Value(SINCE, "3.00", BEASISWA)],
        "beasiswa_window": [Value(SINCE, ["03-01", "08-31"], BEASISWA)],
        "beasiswa_amount": [Value(SINCE, 12_000_000, BEASISWA)],
        "sangduta_amount": [Value(SINCE, 500_000, SANGDUTA)],
        "sangduta_claim_days": [Value(SINCE, 365, ASSUMED)],
        "saraswati_excluded_insurance": [
            Value(
                dt.date(2015, 1, 1),
                ["askes", "bpjs_mandiri", "bpjs_ppu", "lainnya"],
                "Ketentuan Kartu Saraswati: pemegang Askes, BPJS non-PBI, Jamsostek tidak berhak",
            )
        ],
        "saraswati_excluded_occupations": [
            Value(dt.date(2015, 1, 1), ["PNS", "ASN", "TNI", "POLRI", "POLISI"], "Ketentuan Kartu Saraswati")
        ],
    }


NAMES = frozenset(_reference())
# Deployment values are read at most once a minute per process (rules run in bulk, e.g. the demo
# generator); the admin clears this process's copy on save.
CACHE_SECONDS = 60
_cache: dict = {}


def clear_cache() -> None:
    _cache.clear()


def _deployment_values() -> dict[str, list[Value]]:
    from satupintu.catalogue.models import ParameterValue

    if _cache.get("expires", 0) < time.monotonic():
        rows: dict[str, list[Value]] = {}
        for row in ParameterValue.objects.all():
            rows.setdefault(row.name, []).append(Value(row.valid_from, row.value, row.legal_source))
        _cache.update(values=rows, expires=time.monotonic() + CACHE_SECONDS)
    return _cache["values"]


def history(name: str) -> list[Value]:
    if name not in NAMES:
        raise KeyError(f"unknown rule parameter {name!r}")
    values = [*_reference()[name], *_deployment_values().get(name, [])]
    return sorted(values, key=lambda v: v.valid_from)


def at(name: str, on: dt.date) -> Value:
    """The value in force on `on`: the latest one that started on or before it."""
    in_force = [v for v in history(name) if v.valid_from <= on]
    if not in_force:
        raise LookupError(f"no value of {name!r} on {on}")
    return in_force[-1]


def value(name: str, on: dt.date):
    return at(name, on).value
