"""Eligibility rules as code, versioned: a rule set has a version id, a start date, parameters
(each with its legal source) and criteria.

From version 2026.3 the Kartu Saraswati and Kartu Sintawati lines are the catalogue's own rules
(`CATALOGUE_RULES`, by service code): `satupintu/catalogue/rules` defines each criterion once, in
Python and in SQL, and `run.py` runs that SQL (`catalogue.rules.batch`) over every member. Only
PKH, Sembako and PBI-JK, national programmes the catalogue does not serve, are written here.

The parameter values are the dated rule parameters (`satupintu/parameters/__init__.py`
and the admin's `ParameterValue` rows): `ruleset_for(date)` takes the values in force on that
date, so a value changed in the catalogue applies to the next run from its start date, and the run
records it. A changed rule is a new version beside the old one, never an edit of it: old runs keep
citing the version they used.

Versions 2026.1 and 2026.2 are kept as they were, to run a date of theirs again: every criterion
written twice, side by side: in Python over one household's `Facts` (the text a
policy officer reads, and what the rule cases test) and as a SQL expression over the columns of the
facts table that `run.py` evaluates for the whole registry at once. `%(name)s` in the SQL is the
parameter of that name; `tests/targeting/test_sql_matches_python.py` checks that both forms give
identical result lines on generated households.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from satupintu import parameters as rule_parameters
from satupintu.catalogue.rules.criteria import civil_servant_pattern
from satupintu.catalogue.rules.services import RULES as CATALOGUE
from satupintu.catalogue.rules.services import Rule

SARASWATI = "kartu-saraswati"
SINTAWATI = "kartu-sintawati"
PKH = "pkh"
SEMBAKO = "sembako"
PBI_JK = "pbi-jk"

MELATI, MENUR, KENANGA = "melati", "menur", "kenanga"

# Why a line was produced; stored with it, the same text from the Python and the SQL form.
REASONS = {
    MELATI: "basis data kemiskinan (DTSEN/BPS-14)",
    MENUR: "verifikasi UPT-PK: miskin",
    KENANGA: "tidak miskin, tanpa jaminan kesehatan",
    "sintawati": "pelajar SD–SMA dari keluarga miskin",
}
DESIL_SERVICES = {PKH: "pkh_desil_max", SEMBAKO: "sembako_desil_max", PBI_JK: "pbi_jk_desil_max"}
# The rule parameters the rules read (names as in `satupintu/parameters/__init__.py`).
PARAMETERS = (
    "dtsen_poor_desil_max",
    "bps14_poor_min",
    *DESIL_SERVICES.values(),
    "saraswati_excluded_insurance",
    "pupil_school_levels",
)
# Each version and the day it starts. 2026.2: a member whose occupation names PNS/ASN/TNI/Polri
# (`saraswati_excluded_occupations`, as the catalogue's own Saraswati rule for one applicant) is
# neither covered by a Kartu Saraswati nor counted as uninsured for the Kenanga tier; 2026.1 only
# looked at the members' insurance.
# 2026.3: the Saraswati and Sintawati lines are the catalogue's rules for each member: a household
# is Melati when poor in DTSEN, Menur when poor by the unit's BPS-14 checklist or local verification,
# both read from its latest valid assessment of any method, as for one applicant (2026.1 and
# 2026.2 counted a BPS-14 checklist as Melati and a poor result of any method's latest).
VERSIONS = {
    "upt-pk-2026.1": dt.date(2026, 1, 1),
    "upt-pk-2026.2": dt.date(2026, 11, 28),
    "upt-pk-2026.3": dt.date(2026, 12, 1),
}
OCCUPATION_RULE_FROM = "upt-pk-2026.2"
EXTRA_PARAMETERS = {OCCUPATION_RULE_FROM: ("saraswati_excluded_occupations",)}
CATALOGUE_FROM = "upt-pk-2026.3"
# From CATALOGUE_FROM: the catalogue rule behind each service, and whether a line is a household's
# (listing the members the rule finds eligible, all of one tier) or a person's.
CATALOGUE_RULES: dict[str, tuple[Rule, str]] = {
    SARASWATI: (CATALOGUE["kartu-saraswati"], "household"),
    SINTAWATI: (CATALOGUE["kartu-sintawati"], "person"),
}


@dataclass(frozen=True)
class Parameter:
    value: object
    source: str
    valid_from: dt.date


@dataclass(frozen=True)
class Facts:
    """What the rules read about one household; the SQL form reads the same names as columns."""

    desil: int | None  # latest valid DTSEN assessment
    bps14_score: Decimal | int | None  # criteria met in the latest valid BPS-14 checklist
    local_poor: bool  # latest valid local verification by the unit says poor
    members: int
    uninsured: int  # members without any health insurance
    excluded: int  # members a Saraswati card cannot cover (their insurance; from 2026.2 their occupation)


@dataclass(frozen=True)
class Decision:
    tier: str
    members: int
    reason: str


@dataclass(frozen=True)
class SqlRule:
    """A household service in SQL: `tier` is NULL where the household is not eligible; `members`
    and `reason` may read the computed `tier`."""

    tier: str
    members: str
    reason: str


# SQL forms of the criteria, over the facts table's columns.
IN_POVERTY_DATABASE_SQL = (
    "(COALESCE(desil <= %(dtsen_poor_desil_max)s, FALSE) OR COALESCE(bps14_score >= %(bps14_poor_min)s, FALSE))"
)
IS_POOR_SQL = f"({IN_POVERTY_DATABASE_SQL} OR local_poor)"
SARASWATI_SQL = SqlRule(
    tier=f"""CASE WHEN {IN_POVERTY_DATABASE_SQL} AND members - excluded > 0 THEN 'melati'
                  WHEN local_poor AND members - excluded > 0 THEN 'menur'
                  WHEN NOT {IS_POOR_SQL} AND uninsured > 0 THEN 'kenanga' END""",
    members="CASE WHEN tier = 'kenanga' THEN uninsured ELSE members - excluded END",
    reason="CASE tier WHEN 'melati' THEN %(reason_melati)s WHEN 'menur' THEN %(reason_menur)s "
    "ELSE %(reason_kenanga)s END",
)
SINTAWATI_SQL = f"school_status IN (%(pupil_school_levels)s) AND {IS_POOR_SQL}"
# From 2026.3 the reason of a catalogue household line: the catalogue's text of its tier.
CATALOGUE_REASON = (
    "CASE tier WHEN 'melati' THEN %(reason_melati)s WHEN 'menur' THEN %(reason_menur)s ELSE %(reason_kenanga)s END"
)


def service_column(service: str) -> str:
    """The facts table's column prefix of a catalogue household service (`kartu_saraswati`)."""
    return service.replace("-", "_")


def desil_sql(parameter: str, desil: str = "desil") -> SqlRule:
    """`desil`: the column of the latest valid DTSEN desil (`dtsen_desil` from 2026.3, whose `desil`
    is the catalogue's fact: the desil of the latest assessment of any method)."""
    return SqlRule(
        tier=f"CASE WHEN {desil} <= %({parameter})s THEN '' END",
        members="members",
        reason=f"'desil DTSEN ' || CAST({desil} AS TEXT) || ' ≤ ' || CAST(%({parameter})s AS TEXT)",
    )


@dataclass(frozen=True)
class RuleSet:
    version: str
    valid_from: dt.date
    parameters: dict[str, Parameter] = field(default_factory=dict)
    on: dt.date | None = None  # the date whose parameter values it holds

    def value(self, name: str):
        return self.parameters[name].value

    @property
    def reads_catalogue(self) -> bool:
        """Whether the Saraswati and Sintawati lines are the catalogue's rules (`CATALOGUE_RULES`)."""
        return self.valid_from >= VERSIONS[CATALOGUE_FROM]

    def plain_parameters(self) -> dict:
        return {name: p.value for name, p in sorted(self.parameters.items())}

    def recorded_parameters(self) -> dict:
        """What a run stores: each value with its start date and legal source."""
        return {
            name: {"value": p.value, "valid_from": p.valid_from.isoformat(), "source": p.source}
            for name, p in sorted(self.parameters.items())
        }

    # Who counts for a Saraswati card, per member: the facts table sums these over a household.
    @property
    def reads_occupation(self) -> bool:
        return "saraswati_excluded_occupations" in self.parameters

    def civil_servant(self, occupation: str) -> bool:
        """The occupation names PNS/ASN/TNI/Polri as a word (as `catalogue.rules.criteria.not_civil_servant`)."""
        if not self.reads_occupation:
            return False
        return re.search(civil_servant_pattern(self.value("saraswati_excluded_occupations")), occupation or "",
                         flags=re.IGNORECASE) is not None  # fmt: skip

    def member_excluded(self, health_insurance: str, occupation: str) -> bool:
        return health_insurance in self.value("saraswati_excluded_insurance") or self.civil_servant(occupation)

    def member_uninsured(self, health_insurance: str, occupation: str) -> bool:
        return health_insurance == "tidak_ada" and not self.civil_servant(occupation)

    # Criteria: each a short rule over Facts that a policy officer can read line by line.
    def in_poverty_database(self, f: Facts) -> bool:
        desil_poor = f.desil is not None and f.desil <= self.value("dtsen_poor_desil_max")
        bps14_poor = f.bps14_score is not None and f.bps14_score >= self.value("bps14_poor_min")
        return desil_poor or bps14_poor

    def is_poor(self, f: Facts) -> bool:
        return self.in_poverty_database(f) or f.local_poor

    def saraswati(self, f: Facts) -> Decision | None:
        covered = f.members - f.excluded
        if self.in_poverty_database(f) and covered > 0:
            return Decision(MELATI, covered, REASONS[MELATI])
        if f.local_poor and covered > 0:
            return Decision(MENUR, covered, REASONS[MENUR])
        if not self.is_poor(f) and f.uninsured > 0:
            return Decision(KENANGA, f.uninsured, REASONS[KENANGA])
        return None

    def by_desil(self, f: Facts, parameter: str) -> Decision | None:
        limit = self.value(parameter)
        if f.desil is not None and f.desil <= limit:
            return Decision("", f.members, f"desil DTSEN {f.desil} ≤ {limit}")
        return None

    def household_decisions(self, f: Facts) -> dict[str, Decision]:
        decisions = {SARASWATI: self.saraswati(f)}
        decisions.update({service: self.by_desil(f, name) for service, name in DESIL_SERVICES.items()})
        return {service: decision for service, decision in decisions.items() if decision}

    def sintawati_pupil(self, f: Facts, school_status: str) -> Decision | None:
        if school_status in self.value("pupil_school_levels") and self.is_poor(f):
            return Decision("", 1, REASONS["sintawati"])
        return None

    # The same rules in SQL (see the module docstring).
    def household_sql(self) -> dict[str, SqlRule]:
        if self.reads_catalogue:  # the catalogue's household lines come with the facts (run.py)
            catalogue = {
                service: SqlRule(
                    tier=f"{service_column(service)}_tier",
                    members=f"{service_column(service)}_members",
                    reason=CATALOGUE_REASON,
                )
                for service, (_, kind) in CATALOGUE_RULES.items()
                if kind == "household"
            }
            desil = {service: desil_sql(name, "dtsen_desil") for service, name in DESIL_SERVICES.items()}
            return {**catalogue, **desil}
        return {SARASWATI: SARASWATI_SQL, **{service: desil_sql(name) for service, name in DESIL_SERVICES.items()}}

    def sql(self, template: str) -> str:
        """`template` with each list parameter's placeholder spread over its items."""
        for name, p in self.parameters.items():
            if isinstance(p.value, list | tuple):
                items = ", ".join(f"%({name}__{i})s" for i in range(len(p.value)))
                template = template.replace(f"%({name})s", items or "NULL")
        return template

    def civil_servant_occupations(self, occupations) -> list[str]:
        """Of the registry's distinct occupations (a few hundred values, not a million people), those
        that name a civil servant, by `civil_servant` itself: the batch run and the per-applicant rule
        read an occupation the same way, non-ASCII letters next to the word included."""
        return sorted(occupation for occupation in occupations if self.civil_servant(occupation))

    def member_sql(self, civil_servant_occupations: int) -> tuple[str, str]:
        """SQL over `registry_person AS person`: (excluded, uninsured), as member_excluded /
        member_uninsured, given how many occupations `civil_servant_occupations` found; they
        are the parameters %(civil_0)s, %(civil_1)s, … (a list in the statement: no join against
        the people, and no test at all when there are none)."""
        excluded = "person.health_insurance IN (%(saraswati_excluded_insurance)s)"
        uninsured = "person.health_insurance = 'tidak_ada'"
        if not self.reads_occupation or not civil_servant_occupations:
            return excluded, uninsured
        civil = f"person.occupation IN ({', '.join(f'%(civil_{i})s' for i in range(civil_servant_occupations))})"
        return f"({excluded} OR {civil})", f"({uninsured} AND NOT {civil})"

    def sql_params(self) -> dict:
        params = {f"reason_{key}": text for key, text in REASONS.items()}
        if self.reads_catalogue:  # a Saraswati line's reason is the catalogue's text of its tier
            params.update({f"reason_{tier}": text for tier, text in CATALOGUE["kartu-saraswati"].TEXTS.items() if tier})
        for name, p in self.parameters.items():
            if isinstance(p.value, list | tuple):
                params.update({f"{name}__{i}": item for i, item in enumerate(p.value)})
            else:
                params[name] = p.value
        return params


def ruleset_for(on: dt.date) -> RuleSet:
    """The rule version in force on a date, with the catalogue's parameter values of that date."""
    started = [(since, version) for version, since in VERSIONS.items() if since <= on]
    if not started:
        raise LookupError(f"Tidak ada aturan yang berlaku pada {on}.")
    valid_from, version = max(started)
    if valid_from >= VERSIONS[CATALOGUE_FROM]:
        read = [name for rule, _ in CATALOGUE_RULES.values() for check in rule.checks for name in check.parameters]
        names = [*dict.fromkeys([*read, *DESIL_SERVICES.values()])]
    else:
        extra = [name for since, names in EXTRA_PARAMETERS.items() if valid_from >= VERSIONS[since] for name in names]
        names = [*PARAMETERS, *extra]
    values = {name: rule_parameters.at(name, on) for name in names}
    parameters = {name: Parameter(v.value, v.source, v.valid_from) for name, v in values.items()}
    return RuleSet(version=version, valid_from=valid_from, parameters=parameters, on=on)
