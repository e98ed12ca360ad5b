"""Rule parameters keyed by start date, each value citing its source (after OpenFisca).

The history below is the reference; a deployment adds dated values in the admin
(`parameters.ParameterValue`), which apply from their start date on and never to earlier facts.
The poverty thresholds start from the deployment settings (`POVERTY_*`), so the registry and the
rules always agree.

This app sits below the registry, whose poverty classification reads the thresholds, and the
catalogue, whose rules read the rest; the package itself is the API
(`from satupintu import parameters; parameters.value(name, on)`).
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings

# Every source is shown to users beside its value. A value whose regulation is not known says so
# with this mark first, so that a page can show it prominently and a deployment knows to replace it.
ASSUMPTION = "asumsi — ganti dengan Perbup/SK yang berlaku"


def assumed(what: str) -> str:
    return f"{ASSUMPTION} ({what})"


def is_assumption(source: str) -> bool:
    return source.startswith(ASSUMPTION)


@dataclass(frozen=True)
class Value:
    valid_from: dt.date
    value: object
    source: str

    @property
    def assumption(self) -> bool:
        return is_assumption(self.source)


BPS = assumed("14 kriteria rumah tangga miskin BPS, daftar periksa UPT-PK; ambang dari setelan POVERTY_BPS14_POOR_MIN")
DTSEN = assumed("DTSEN menurut Inpres 4/2025; batas desil program: PKH 1–4, Sembako dan PBI-JK 1–5")
DTSEN_SETTING = assumed("batas desil DTSEN dari setelan POVERTY_DESIL_POOR_MAX / POVERTY_DESIL_VULNERABLE_MAX")
SINTAWATI = assumed("Kartu Sintawati: siswa SD–SMA/SMK dari keluarga miskin")
BEASISWA = assumed("beasiswa Sintawati mahasiswa: IPK minimum, masa pendaftaran, besaran per tahun")
SANGDUTA = assumed("besaran santunan duka cita Sangduta")
SANGDUTA_CLAIM = assumed("batas waktu pengajuan Sangduta setelah kematian")
SARASWATI_INSURANCE = assumed("Kartu Saraswati: pemegang Askes, BPJS non-PBI, Jamsostek tidak berhak")
SARASWATI_OCCUPATIONS = assumed("Kartu Saraswati: PNS/ASN/TNI/Polri tidak berhak")
LANSIA = "UU 13/1998 tentang Kesejahteraan Lanjut Usia, Pasal 1 angka 2: lanjut usia mulai 60 tahun"
RTLH = assumed("biaya perbaikan satu rumah tidak layak huni dari APBD")
RASKIN_MONTH = assumed("beras raskin per rumah tangga per bulan penyaluran; produk katalog: Beras bersubsidi")
FAST_PATH = assumed("SOP UPT-PK Sragen: produk terbit dalam 30 menit bila rumah tangga sudah tercatat miskin")
SINCE = dt.date(2012, 1, 1)


def _reference() -> dict[str, list[Value]]:
    return {
        "bps14_poor_min": [Value(SINCE, settings.POVERTY_BPS14_POOR_MIN, BPS)],
        "dtsen_poor_desil_max": [Value(SINCE, settings.POVERTY_DESIL_POOR_MAX, DTSEN_SETTING)],
        "dtsen_vulnerable_desil_max": [Value(SINCE, settings.POVERTY_DESIL_VULNERABLE_MAX, DTSEN_SETTING)],
        "pkh_desil_max": [Value(SINCE, 4, DTSEN)],
        "sembako_desil_max": [Value(SINCE, 5, DTSEN)],
        "pbi_jk_desil_max": [Value(SINCE, 5, DTSEN)],
        "pupil_school_levels": [Value(SINCE, ["sd", "smp", "sma"], SINTAWATI)],
        "beasiswa_ipk_min": [Value(SINCE, "3.00", BEASISWA)],
        "beasiswa_window": [Value(SINCE, ["03-01", "08-31"], BEASISWA)],
        "beasiswa_amount": [Value(SINCE, 12_000_000, BEASISWA)],
        "sangduta_amount": [Value(SINCE, 500_000, SANGDUTA)],
        "sangduta_claim_days": [Value(SINCE, 365, SANGDUTA_CLAIM)],
        "fast_path_minutes": [Value(SINCE, 30, FAST_PATH)],
        "elderly_age_min": [Value(SINCE, 60, LANSIA)],
        "rtlh_apbd_amount": [Value(SINCE, 15_000_000, RTLH)],
        "raskin_kg_per_month": [Value(SINCE, 15, RASKIN_MONTH)],
        "saraswati_excluded_insurance": [
            Value(dt.date(2015, 1, 1), ["askes", "bpjs_mandiri", "bpjs_ppu", "lainnya"], SARASWATI_INSURANCE)
        ],
        "saraswati_excluded_occupations": [
            Value(dt.date(2015, 1, 1), ["PNS", "ASN", "TNI", "POLRI", "POLISI"], SARASWATI_OCCUPATIONS)
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
    from .models import ParameterValue

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
