"""Eligibility rules as code, versioned: a rule set has a version id, a start date, parameters
(each with its legal source) and small criteria over one household's facts.

The parameters are plain data so that, once the service catalogue's dated parameters exist
(issue 3, `catalogue/rules/`), `ruleset_for(date)` can read them from there instead of from
`PARAMETERS` below; the criteria and the stored version id stay as they are. A changed rule is a
new `RuleSet` beside the old one, never an edit of it: old runs keep citing the version they used.
"""

import datetime as dt
from dataclasses import dataclass, field

from satupintu.registry import choices as c

SARASWATI = "kartu-saraswati"
SINTAWATI = "kartu-sintawati"
PKH = "pkh"
SEMBAKO = "sembako"
PBI_JK = "pbi-jk"

MELATI, MENUR, KENANGA = "melati", "menur", "kenanga"


@dataclass(frozen=True)
class Parameter:
    value: object
    source: str


@dataclass(frozen=True)
class Facts:
    """What the rules read about one household (gathered set-based by `run.py`)."""

    desil: int | None  # latest valid DTSEN assessment
    bps14_poor: bool  # latest valid BPS-14 checklist says poor
    local_poor: bool  # latest valid local verification by the unit says poor
    members: int
    uninsured: int  # members without any health insurance
    excluded: int  # members holding insurance that rules a Saraswati card out


@dataclass(frozen=True)
class Decision:
    tier: str
    members: int
    reason: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    valid_from: dt.date
    parameters: dict[str, Parameter] = field(default_factory=dict)

    def value(self, name: str):
        return self.parameters[name].value

    def plain_parameters(self) -> dict:
        return {name: p.value for name, p in sorted(self.parameters.items())}

    # Criteria: each a short rule over Facts that a policy officer can read line by line.
    def in_poverty_database(self, f: Facts) -> bool:
        return (f.desil is not None and f.desil <= self.value("dtsen_poor_max_desil")) or f.bps14_poor

    def is_poor(self, f: Facts) -> bool:
        return self.in_poverty_database(f) or f.local_poor

    def saraswati(self, f: Facts) -> Decision | None:
        covered = f.members - f.excluded
        if self.in_poverty_database(f) and covered > 0:
            return Decision(MELATI, covered, "basis data kemiskinan (DTSEN/BPS-14)")
        if f.local_poor and covered > 0:
            return Decision(MENUR, covered, "verifikasi UPT-PK: miskin")
        if not self.is_poor(f) and f.uninsured > 0:
            return Decision(KENANGA, f.uninsured, "tidak miskin, tanpa jaminan kesehatan")
        return None

    def by_desil(self, f: Facts, parameter: str) -> Decision | None:
        limit = self.value(parameter)
        if f.desil is not None and f.desil <= limit:
            return Decision("", f.members, f"desil DTSEN {f.desil} ≤ {limit}")
        return None

    def household_decisions(self, f: Facts) -> dict[str, Decision]:
        decisions = {
            SARASWATI: self.saraswati(f),
            PKH: self.by_desil(f, "pkh_max_desil"),
            SEMBAKO: self.by_desil(f, "sembako_max_desil"),
            PBI_JK: self.by_desil(f, "pbi_jk_max_desil"),
        }
        return {service: decision for service, decision in decisions.items() if decision}

    def sintawati_pupil(self, f: Facts, school_status: str) -> Decision | None:
        if school_status in self.value("sintawati_school_levels") and self.is_poor(f):
            return Decision("", 1, "pelajar SD–SMA dari keluarga miskin")
        return None


PERBUP = "Perbup Sragen 2/2012 (UPT-PK); standar pelayanan UPT-PK"
RULESETS = [
    RuleSet(
        version="upt-pk-2026.1",
        valid_from=dt.date(2026, 1, 1),
        parameters={
            "dtsen_poor_max_desil": Parameter(4, "DTSEN 2025: desil 1–4 miskin/rentan (Inpres 4/2025)"),
            "pkh_max_desil": Parameter(4, "PKH: desil 1–4 (Kemensos, DTSEN)"),
            "sembako_max_desil": Parameter(5, "Bantuan Sembako: desil 1–5 (Kemensos, DTSEN)"),
            "pbi_jk_max_desil": Parameter(5, "PBI-JK: desil 1–5 (Kemensos, DTSEN)"),
            "saraswati_excluded_insurance": Parameter(
                [
                    c.HealthInsurance.ASKES_PNS,
                    c.HealthInsurance.BPJS_MANDIRI,
                    c.HealthInsurance.BPJS_PPU,
                    c.HealthInsurance.OTHER,
                ],
                f"{PERBUP}: pemegang Askes, BPJS non-PBI, Jamsostek, PNS/TNI/Polri tidak berhak",
            ),  # fmt: skip
            "sintawati_school_levels": Parameter(
                [c.SchoolStatus.SD, c.SchoolStatus.SMP, c.SchoolStatus.SMA], f"{PERBUP}: siswa SD–SMA/SMK"
            ),
        },
    )
]


def ruleset_for(on: dt.date) -> RuleSet:
    """The rule set in force on a date (the latest that started on or before it)."""
    candidates = [r for r in RULESETS if r.valid_from <= on]
    if not candidates:
        raise LookupError(f"Tidak ada aturan yang berlaku pada {on}.")
    return max(candidates, key=lambda r: r.valid_from)


def ruleset(version: str) -> RuleSet:
    return next(r for r in RULESETS if r.version == version)
