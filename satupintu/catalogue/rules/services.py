"""One rule per service: which criteria, how they combine, and what they give (tier, amount)."""

import datetime as dt

from satupintu import parameters as p

from . import criteria as c
from .criteria import RuleResult


def kartu_saraswati(facts: dict, on: dt.date) -> RuleResult:
    """Melati: poor in DTSEN; Menur: verified poor by the unit; Kenanga: not poor but uninsured."""
    exclusions = [c.no_other_health_insurance(facts, on), c.not_civil_servant(facts, on)]
    national = c.in_national_database(facts, on)
    poor = c.household_poor(facts, on)
    uninsured = (facts.get("health_insurance") or "tidak_ada") == "tidak_ada"
    tier = "melati" if national.met else "menur" if poor.met else "kenanga" if uninsured else None
    tier_text = {
        "melati": "Tingkat Melati: terdaftar miskin di basis data nasional.",
        "menur": "Tingkat Menur: miskin menurut verifikasi UPT-PK.",
        "kenanga": "Tingkat Kenanga: tidak miskin, tetapi tanpa jaminan kesehatan.",
        None: "Tidak masuk tingkat mana pun: tidak miskin dan sudah punya jaminan kesehatan.",
    }[tier]
    tier_criterion = c.Criterion("tingkat_kartu", tier is not None, tier_text)
    criteria = [*exclusions, national, poor, tier_criterion]
    eligible = all(x.met for x in exclusions) and tier is not None
    return RuleResult("kartu-saraswati", eligible, criteria, tier=tier)


def saraswati_coverage(household, on: dt.date) -> list[tuple]:
    """Every member of the household, oldest first, with whether its Kartu Saraswati covers them.
    The card prints exactly the covered ones and the case page shows this same list."""
    return [
        (
            member,
            c.covered_by_saraswati({"health_insurance": member.health_insurance, "occupation": member.occupation}, on),
        )
        for member in household.members.order_by("birth_date", "id")
    ]


def kartu_sintawati(facts: dict, on: dt.date) -> RuleResult:
    criteria = [c.pupil(facts, on), c.household_poor(facts, on)]
    return RuleResult("kartu-sintawati", all(x.met for x in criteria), criteria)


def beasiswa_prestasi(facts: dict, on: dt.date) -> RuleResult:
    criteria = [
        c.registration_window(facts, on),
        c.university_student(facts, on),
        c.gpa(facts, on),
        c.household_poor(facts, on),
    ]
    eligible = all(x.met for x in criteria)
    return RuleResult(
        "beasiswa-prestasi", eligible, criteria, amount=p.value("beasiswa_amount", on) if eligible else None
    )


def santunan_duka(facts: dict, on: dt.date) -> RuleResult:
    criteria = [c.death_recorded(facts, on), c.household_poor(facts, on)]
    eligible = all(x.met for x in criteria)
    return RuleResult("santunan-duka", eligible, criteria, amount=p.value("sangduta_amount", on) if eligible else None)


def kursi_roda(facts: dict, on: dt.date) -> RuleResult:
    criteria = [c.has_disability(facts, on), c.household_poor(facts, on)]
    return RuleResult("kursi-roda", all(x.met for x in criteria), criteria)


def rujukan_jamkesda(facts: dict, on: dt.date) -> RuleResult:
    criteria = [c.holds_card(facts, on)]
    return RuleResult("rujukan-jamkesda", criteria[0].met, criteria)


def biaya_pendidikan_siswa(facts: dict, on: dt.date) -> RuleResult:
    criteria = [c.pupil(facts, on), c.household_poor(facts, on)]
    return RuleResult("biaya-pendidikan-siswa", all(x.met for x in criteria), criteria)


def poor_household_only(code: str):
    def rule(facts: dict, on: dt.date) -> RuleResult:
        criteria = [c.household_poor(facts, on)]
        return RuleResult(code, criteria[0].met, criteria)

    rule.__doc__ = f"{code}: for households classed poor."
    return rule


RULES = {
    "kartu-saraswati": kartu_saraswati,
    "kartu-sintawati": kartu_sintawati,
    "beasiswa-prestasi": beasiswa_prestasi,
    "santunan-duka": santunan_duka,
    "kursi-roda": kursi_roda,
    "rujukan-jamkesda": rujukan_jamkesda,
    "biaya-pendidikan-siswa": biaya_pendidikan_siswa,
}
# Every other service of the catalogue: the household must be classed poor.
GENERIC = (
    "rekomendasi-ppa-pkh",
    "biaya-pendidikan-nonformal",
    "rtlh-apbd",
    "rtlh-csr",
    "raskin",
    "klinik-saraswati",
    "ambulans-gratis",
)
RULES.update({code: poor_household_only(code) for code in GENERIC})


def evaluate(service_code: str, facts: dict, on: dt.date) -> RuleResult:
    """The rules' result for a service on a date (the date of receipt: later rule changes do not apply)."""
    rule = RULES.get(service_code, poor_household_only(service_code))
    return rule(facts, on)
