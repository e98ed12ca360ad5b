"""One rule per service: which criteria, how they combine, and what they give (tier, amount).

A `Rule` is the one definition of a service's eligibility: `evaluate` runs it on one applicant's
facts (the case page, the intake, the decision), and a rule whose criteria all carry SQL runs on a
whole registry through `batch.py` (targeting's Kartu Saraswati and Kartu Sintawati lines).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from satupintu import parameters as p

from . import criteria as c
from .criteria import Check, RuleResult

MELATI, MENUR, KENANGA = "melati", "menur", "kenanga"


@dataclass(frozen=True)
class Rule:
    """Eligible when every criterion is met and, for a tiered rule, one tier's criterion is: the
    first one met gives the tier. `amount` names the dated parameter an eligible applicant gets."""

    service: str
    criteria: tuple[Check, ...]
    tiers: tuple[tuple[str, Check], ...] = ()
    amount: str | None = None

    def __call__(self, facts: dict, on: dt.date) -> RuleResult:
        return self.evaluate(facts, on)

    def evaluate(self, facts: dict, on: dt.date) -> RuleResult:
        criteria = [check(facts, on) for check in self.criteria]
        eligible = all(x.met for x in criteria)
        amount = p.value(self.amount, on) if self.amount and eligible else None
        return RuleResult(self.service, eligible, criteria, amount=amount)

    def tier(self, facts: dict, on: dt.date) -> tuple[str | None, list]:
        """The first tier whose criterion is met (or None), and each tier criterion's result."""
        results = [(tier, check(facts, on)) for tier, check in self.tiers]
        return next((tier for tier, result in results if result.met), None), [result for _, result in results]

    @property
    def checks(self) -> tuple[Check, ...]:
        return (*self.criteria, *(check for _, check in self.tiers))

    @property
    def batch(self) -> bool:
        """Whether every criterion reads registry facts only, so the rule has a SQL form."""
        return all(check.sql is not None for check in self.checks)


class SaraswatiRule(Rule):
    """Kartu Saraswati lists its tier as a criterion line of its own."""

    # In the unit's language: a targeting run stores them as its lines' reasons (`targeting.rules`).
    TEXTS = {
        MELATI: gettext_noop("Tingkat Melati: terdaftar miskin di basis data nasional."),
        MENUR: gettext_noop("Tingkat Menur: miskin menurut verifikasi UPT-PK."),
        KENANGA: gettext_noop("Tingkat Kenanga: tidak miskin, tetapi tanpa jaminan kesehatan."),
        None: gettext_noop("Tidak masuk tingkat mana pun: tidak miskin dan sudah punya jaminan kesehatan."),
    }

    def evaluate(self, facts: dict, on: dt.date) -> RuleResult:
        exclusions = [check(facts, on) for check in self.criteria]
        tier, (national, poor, _uninsured) = self.tier(facts, on)
        tier_criterion = c.Criterion("tingkat_kartu", tier is not None, gettext(self.TEXTS[tier]))
        eligible = all(x.met for x in exclusions) and tier is not None
        return RuleResult(self.service, eligible, [*exclusions, national, poor, tier_criterion], tier=tier)


# Melati: poor in DTSEN; Menur: poor by the unit's own verification (BPS-14 checklist or local
# verification); Kenanga: not poor but uninsured. Members with other insurance or PNS/TNI/Polri: none.
kartu_saraswati = SaraswatiRule(
    "kartu-saraswati",
    criteria=(c.no_other_health_insurance, c.not_civil_servant),
    tiers=((MELATI, c.in_national_database), (MENUR, c.household_poor), (KENANGA, c.uninsured)),
)


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


def poor_household_only(code: str) -> Rule:
    """`code`: for households classed poor."""
    return Rule(code, (c.household_poor,))


RULES = {
    rule.service: rule
    for rule in (
        kartu_saraswati,
        Rule("kartu-sintawati", (c.pupil, c.household_poor)),
        Rule(
            "beasiswa-prestasi",
            (c.registration_window, c.university_student, c.gpa, c.household_poor),
            amount="beasiswa_amount",
        ),
        Rule("santunan-duka", (c.death_recorded, c.household_poor), amount="sangduta_amount"),
        Rule("kursi-roda", (c.has_disability, c.household_poor)),
        Rule("rujukan-jamkesda", (c.holds_card,)),
        Rule("biaya-pendidikan-siswa", (c.pupil, c.household_poor)),
    )
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


def rule_for(service_code: str) -> Rule:
    return RULES.get(service_code) or poor_household_only(service_code)


def evaluate(service_code: str, facts: dict, on: dt.date) -> RuleResult:
    """The rules' result for a service on a date (the date of receipt: later rule changes do not apply)."""
    return rule_for(service_code).evaluate(facts, on)
