"""A rule's SQL form, for a whole registry at once: the same `Rule`, its criteria's SQL joined as
the Python joins their results.

`bind(rule, on, distinct)` gives the condition "eligible", the expression "tier" (NULL for an
untiered rule or where no tier holds) and their parameters, over the facts of one applicant as
columns (`FACT_COLUMNS`, the names of `cases/facts.py`'s dictionary). The targeting run puts them
into its statements over the registry; `evaluate_facts` runs them over given facts, which is how
the rule cases check that both forms agree.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection

from satupintu import parameters as p

from .criteria import Check
from .services import Rule

# The facts a rule's SQL reads, as columns, with their types.
FACT_COLUMNS = {
    "poverty_method": "VARCHAR(20)",
    "poverty_result": "VARCHAR(20)",
    "desil": "INTEGER",
    "bps14_score": "DECIMAL(4, 1)",
    "health_insurance": "VARCHAR(20)",
    "occupation": "VARCHAR(100)",
    "school_status": "VARCHAR(20)",
    "disability": "VARCHAR(20)",
}
# The facts of the household (its latest assessment) rather than of the applicant.
HOUSEHOLD_FACTS = ("poverty_method", "poverty_result", "desil", "bps14_score")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class BoundRule:
    eligible: str  # condition
    tier: str  # expression: the tier, NULL where none holds (always NULL for an untiered rule)
    params: dict


def household_checks(rule: Rule) -> list[Check]:
    """The rule's criteria that read the household's facts only: a whole-registry run can evaluate
    them once per household instead of once per member (`bind(..., per_household=...)`)."""
    return [check for check in rule.checks if set(_reads(check)) <= set(HOUSEHOLD_FACTS)]


def _reads(check: Check) -> list[str]:
    return [name for name in FACT_COLUMNS if re.search(rf"\b{name}\b", check.sql)]


def column(check: Check) -> str:
    """The column holding a check's value where it is evaluated once per household."""
    return f"check_{check.name}"


def bind_checks(checks, on: dt.date, distinct: Callable[[str], Iterable]) -> tuple[dict[str, str], dict]:
    """Each check's SQL by name, with the parameter values in force on `on`, and those values;
    `distinct(column)` gives the distinct values of a fact column where the SQL runs (for a
    criterion's derived list). A list parameter becomes one placeholder per item (`name__0`,
    `name__1`, …; NULL when empty)."""
    sqls, params = {}, {}
    for check in checks:
        if check.sql is None:
            raise ValueError(f"{check.name}: hanya dapat dinilai per permohonan.")
        sql = check.sql
        for name in dict.fromkeys(PLACEHOLDER.findall(sql)):
            if derived := check.derived.get(name):
                value = sorted(v for v in set(distinct(derived.column)) if v is not None and derived.keep(v, on))
            else:
                value = p.value(name, on)
            if isinstance(value, list | tuple):
                items = [f"{name}__{i}" for i in range(len(value))]
                sql = sql.replace(f"%({name})s", ", ".join(f"%({item})s" for item in items) or "NULL")
                params.update(zip(items, value, strict=True))
            else:
                params[name] = value
        sqls[check.name] = sql
    return sqls, params


def bind(
    rule: Rule, on: dt.date, distinct: Callable[[str], Iterable], per_household: frozenset[str] = frozenset()
) -> BoundRule:
    """The rule's SQL with the parameter values in force on `on` (see `bind_checks`). A check
    named in `per_household` is read from its `column` instead, computed by the caller."""
    own = [check for check in rule.checks if check.name not in per_household]
    sqls, params = bind_checks(own, on, distinct)
    sqls.update({name: f"COALESCE({column_of}, FALSE)" for name, column_of in _columns(rule, per_household)})
    criteria = " AND ".join(f"({sqls[check.name]})" for check in rule.criteria) or "TRUE"
    if rule.tiers:
        assert all(re.fullmatch(r"[a-z_]+", tier) for tier, _ in rule.tiers)
        tier = "CASE " + " ".join(f"WHEN {sqls[check.name]} THEN '{tier}'" for tier, check in rule.tiers) + " END"
        any_tier = " OR ".join(f"({sqls[check.name]})" for _, check in rule.tiers)
        return BoundRule(f"{criteria} AND ({any_tier})", tier, params)
    return BoundRule(criteria, "CAST(NULL AS VARCHAR(20))", params)


@dataclass(frozen=True)
class HouseholdForm:
    """A rule asked about every member of a household at once: `counts` are conditions over one
    member's facts, summed per household (column → SQL); `tier` and `members`, over the household's
    facts and those sums, are the tier of the members the rule finds eligible (NULL: none) and how
    many they are. No member is joined to the household's facts."""

    counts: dict[str, str]
    tier: str
    members: str
    params: dict


def bind_household(rule: Rule, on: dt.date, distinct: Callable[[str], Iterable], prefix: str) -> HouseholdForm:
    """The rule's household form, exact for a rule whose tiers over a member's facts (at most one)
    come after those over the household's: a member's tier is the first whose check holds, so a
    household tier that holds gives every eligible member that tier, and a member tier is reached
    only where none of them holds. The sums are named `prefix_0`, `prefix_1`, …."""
    sqls, params = bind_checks(rule.checks, on, distinct)
    household = {check.name for check in household_checks(rule)}
    tiers = list(rule.tiers) or [("", None)]  # an untiered rule: one tier '' and no tier check
    on_member = [i for i, (_, check) in enumerate(tiers) if check is not None and check.name not in household]
    if len(on_member) > 1 or (on_member and on_member[0] != len(tiers) - 1):
        raise ValueError(f"{rule.service}: tingkat per anggota harus satu dan terakhir.")
    member = [sqls[check.name] for check in rule.criteria if check.name not in household]
    gate = [sqls[check.name] for check in rule.criteria if check.name in household]
    named, cases = {}, []  # condition → sum name: tiers counting the same members share one sum
    for i, (tier, check) in enumerate(tiers):
        condition = [*member, *([sqls[check.name]] if i in on_member else [])]
        name = named.setdefault(" AND ".join(f"({sql})" for sql in condition) or "TRUE", f"{prefix}_{len(named)}")
        holds = [*gate, *([sqls[check.name]] if check is not None and i not in on_member else [])]
        cases.append((" AND ".join(f"({sql})" for sql in [*holds, f"{name} > 0"]), tier, name))
        if check is not None and i not in on_member:
            gate.append(f"NOT ({sqls[check.name]})")
    assert all(re.fullmatch(r"[a-z_]*", tier) for tier, _ in tiers)
    tier = "CASE " + " ".join(f"WHEN {when} THEN '{tier}'" for when, tier, _ in cases) + " END"
    members = "CASE " + " ".join(f"WHEN {when} THEN {name}" for when, _, name in cases) + " END"
    return HouseholdForm({name: sql for sql, name in named.items()}, tier, members, params)


def _columns(rule: Rule, names: frozenset[str]):
    return [(check.name, column(check)) for check in rule.checks if check.name in names]


def evaluate_facts(rule: Rule, facts: list[dict], on: dt.date, *, per_household: bool = False) -> list[tuple]:
    """(eligible, tier) of each applicant's facts by the rule's SQL form, in a temporary
    table of the database in use, in the order given. With `per_household` the checks over the
    household's facts are first stored in their own columns, as a whole-registry run does."""
    table, columns = "rule_facts", list(FACT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        definitions = ", ".join(f"{name} {kind}" for name, kind in FACT_COLUMNS.items())
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (n INTEGER, {definitions})")
        marks = ", ".join(["%s"] * (len(columns) + 1))
        rows = [[n, *(one.get(name) for name in columns)] for n, one in enumerate(facts)]
        cursor.executemany(f"INSERT INTO {table} (n, {', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608

        def distinct(name: str) -> list:
            cursor.execute(f"SELECT DISTINCT {name} FROM {table}")  # noqa: S608 (a name of FACT_COLUMNS)
            return [value for (value,) in cursor.fetchall()]

        stored = household_checks(rule) if per_household else []
        sqls, params = bind_checks(stored, on, distinct)
        for check in stored:
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN {column(check)} BOOLEAN")
            cursor.execute(f"UPDATE {table} SET {column(check)} = {sqls[check.name]}", params)  # noqa: S608
        bound = bind(rule, on, distinct, frozenset(check.name for check in stored))
        cursor.execute(f"SELECT {bound.eligible}, {bound.tier} FROM {table} ORDER BY n", bound.params)  # noqa: S608
        answers = [(bool(eligible), tier) for eligible, tier in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {table}")
    return answers
