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
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class BoundRule:
    eligible: str
    tier: str
    params: dict


def bind(rule: Rule, on: dt.date, distinct: Callable[[str], Iterable]) -> BoundRule:
    """The rule's SQL with the parameter values in force on `on`; `distinct(column)` gives the
    distinct values of a fact column where the SQL runs (for a criterion's derived list). A list
    parameter becomes one placeholder per item (`name__0`, `name__1`, …; NULL when empty)."""
    if not rule.batch:
        raise ValueError(f"{rule.service}: ada kriteria yang hanya dapat dinilai per permohonan.")
    values = {}
    for check in rule.checks:
        derived = {name: d for name, d in check.derived.items()}
        for name in PLACEHOLDER.findall(check.sql):
            if name in derived:
                keep, column = derived[name].keep, derived[name].column
                values[name] = sorted(v for v in set(distinct(column)) if v is not None and keep(v, on))
            else:
                values[name] = p.value(name, on)
    eligible = " AND ".join(f"({check.sql})" for check in rule.criteria)
    if rule.tiers:
        eligible += " AND (" + " OR ".join(f"({check.sql})" for _, check in rule.tiers) + ")"
        assert all(re.fullmatch(r"[a-z_]+", tier) for tier, _ in rule.tiers)
        tier = "CASE " + " ".join(f"WHEN {check.sql} THEN '{tier}'" for tier, check in rule.tiers) + " END"
    else:
        tier = "CAST(NULL AS VARCHAR(20))"
    params = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            items = [f"{name}__{i}" for i in range(len(value))]
            spread = ", ".join(f"%({item})s" for item in items) or "NULL"
            eligible, tier = (sql.replace(f"%({name})s", spread) for sql in (eligible, tier))
            params.update(zip(items, value, strict=True))
        else:
            params[name] = value
    return BoundRule(eligible, tier, params)


def evaluate_facts(rule: Rule, facts: list[dict], on: dt.date) -> list[tuple[bool, str | None]]:
    """(eligible, tier) of each applicant's facts by the rule's SQL form, in a temporary table of
    the database in use, in the order given."""
    table, columns = "rule_facts", list(FACT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        definitions = ", ".join(f"{name} {kind}" for name, kind in FACT_COLUMNS.items())
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (n INTEGER, {definitions})")
        marks = ", ".join(["%s"] * (len(columns) + 1))
        rows = [[n, *(one.get(name) for name in columns)] for n, one in enumerate(facts)]
        cursor.executemany(f"INSERT INTO {table} (n, {', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608

        def distinct(column: str) -> list:
            cursor.execute(f"SELECT DISTINCT {column} FROM {table}")  # noqa: S608 (a name of FACT_COLUMNS)
            return [value for (value,) in cursor.fetchall()]

        bound = bind(rule, on, distinct)
        cursor.execute(f"SELECT {bound.eligible}, {bound.tier} FROM {table} ORDER BY n", bound.params)  # noqa: S608
        answers = [(bool(eligible), tier) for eligible, tier in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {table}")
    return answers
