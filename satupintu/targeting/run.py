"""Batch eligibility, set-based: the rules run inside the database over the whole registry.

One statement gathers every household's facts into a temporary table (member counts by
insurance; the latest valid assessment of each method, picked with a window function), one more
computes every current line into a second temporary table (the SQL forms of the criteria in
`rules.py`, joined by UNION ALL; temporary: no WAL, no index). The stored lines are validity
intervals (`Eligibility.from_run` … `until_run`): a full outer join of the current lines with the
open stored ones on (household, person, service) finds what differs, and only that is written —
the old line closed, the new one opened, a `Change` row for each line added, removed or with
another tier. A run over an unchanged registry writes nothing but its run record.

The result hash covers stable keys (KK number, NIK), never database ids, and is order-independent:
the sum modulo 2**256 of each line's SHA-256 (`line_sum`), so a run adds its differences to the
previous run's sum instead of re-reading every line; `recompute_hash` rebuilds it for any run from
the stored rows. The same SQL runs on PostgreSQL and SQLite and gives the same lines and hash.
"""

import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from satupintu import parameters as rule_parameters
from satupintu.catalogue.rules.batch import (
    BoundRule,
    HouseholdForm,
    bind,
    bind_checks,
    bind_household,
    column,
    household_checks,
)
from satupintu.lib.bulk import indexes_built_after

from .models import Change, TargetingRun
from .rules import CATALOGUE_RULES, SINTAWATI, SINTAWATI_SQL, RuleSet, ruleset_for, service_column

FACTS = "targeting_facts"

# The facts the rules read, one row per household with members (columns as in `rules.Facts`).
# Ties on the assessment date go to the later record.
CREATE_FACTS = """
CREATE TEMPORARY TABLE targeting_facts AS
WITH latest AS (
    SELECT household_id, method, desil, score, result,
           ROW_NUMBER() OVER (PARTITION BY household_id, method
                              ORDER BY assessed_on DESC, created_at DESC, id DESC) AS n
    FROM registry_povertyassessment
    WHERE is_valid
), status AS (
    SELECT household_id,
           MAX(CASE WHEN method = 'dtsen' THEN desil END) AS desil,
           MAX(CASE WHEN method = 'bps14' THEN score END) AS bps14_score,
           MAX(CASE WHEN method = 'verifikasi_lokal' AND result = 'miskin' THEN 1 ELSE 0 END) AS local_poor
    FROM latest
    WHERE n = 1
    GROUP BY household_id
), people AS (
    SELECT person.household_id,
           COUNT(*) AS members,
           SUM(CASE WHEN {uninsured} THEN 1 ELSE 0 END) AS uninsured,
           SUM(CASE WHEN {excluded} THEN 1 ELSE 0 END) AS excluded
    FROM registry_person AS person
    WHERE person.household_id IS NOT NULL
    GROUP BY person.household_id
)
SELECT people.household_id, household.kk_number, people.members, people.uninsured, people.excluded,
       status.desil, status.bps14_score, COALESCE(status.local_poor, 0) = 1 AS local_poor
FROM people
JOIN registry_household AS household ON household.id = people.household_id
LEFT JOIN status ON status.household_id = people.household_id
"""

# From rule version 2026.3 (`RuleSet.reads_catalogue`): the facts the catalogue's rules read, as
# `cases/facts.py` gathers them for one applicant — the household's latest valid assessment of any
# method (newest date first, then the later record) — and, for each catalogue household service,
# the rule's household form (`catalogue.rules.batch.bind_household`): its conditions over a
# member's facts summed per household (`{counts}`), then over those sums and the household's facts
# the tier and number of the members it finds eligible (`{household}`). The household checks of a
# person service's rule are computed here once per household too (columns `check_<name>`).
# `dtsen_desil` is the latest valid DTSEN desil the PKH, Sembako and PBI-JK lines read, as before.
CREATE_CATALOGUE_FACTS = """
CREATE TEMPORARY TABLE targeting_facts AS
WITH ranked AS (
    SELECT household_id, method, desil, score, result,
           ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY assessed_on DESC, id DESC) AS latest,
           ROW_NUMBER() OVER (PARTITION BY household_id, method
                              ORDER BY assessed_on DESC, created_at DESC, id DESC) AS latest_of_method
    FROM registry_povertyassessment
    WHERE is_valid
), status AS (
    SELECT household_id,
           MAX(CASE WHEN latest = 1 THEN method END) AS poverty_method,
           MAX(CASE WHEN latest = 1 THEN result END) AS poverty_result,
           MAX(CASE WHEN latest = 1 THEN desil END) AS desil,
           MAX(CASE WHEN latest = 1 AND method = 'bps14' THEN score END) AS bps14_score,
           MAX(CASE WHEN latest_of_method = 1 AND method = 'dtsen' THEN desil END) AS dtsen_desil
    FROM ranked
    WHERE latest = 1 OR (latest_of_method = 1 AND method = 'dtsen')
    GROUP BY household_id
), people AS (
    SELECT person.household_id, COUNT(*) AS members{counts}
    FROM registry_person AS person
    WHERE person.household_id IS NOT NULL
    GROUP BY person.household_id
), gathered AS (
    SELECT people.*, household.kk_number, status.poverty_method, status.poverty_result, status.desil,
           status.bps14_score, status.dtsen_desil
    FROM people
    JOIN registry_household AS household ON household.id = people.household_id
    LEFT JOIN status ON status.household_id = people.household_id
)
SELECT gathered.*{household} FROM gathered
"""


@dataclass(frozen=True)
class Catalogue:
    """The catalogue rules of a 2026.3 run bound to its date: each household service's household
    form, each person service's rule (reading its household checks from their columns), those
    columns (name → SQL) and every parameter."""

    households: dict[str, HouseholdForm]
    persons: dict[str, BoundRule]
    household_checks: dict[str, str]
    params: dict


# A person's fact column the catalogue derives a list from (`Derived`), read over the registry.
PERSON_FACTS = ("health_insurance", "occupation", "school_status", "disability")

LINES = "targeting_lines"
DIFF = "targeting_diff"

# Every current line, into a temporary table (no WAL, no index: it lives for one run).
CREATE_LINES = """
CREATE TEMPORARY TABLE targeting_lines AS
{selects}
"""
HOUSEHOLD_LINES = """
SELECT %(service_{n})s AS service, household_id, CAST(NULL AS BIGINT) AS person_id, kk_number,
       '' AS person_key, tier, {members} AS members, {reason} AS reason
FROM (SELECT targeting_facts.*, {tier} AS tier FROM targeting_facts) AS decided
WHERE tier IS NOT NULL
"""
PUPIL_LINES = """
SELECT %(service_{n})s, person.household_id, person.id, targeting_facts.kk_number,
       COALESCE(NULLIF(person.nik, ''), person.name || '/' || CAST(person.birth_date AS TEXT)),
       '', 1, %(reason_sintawati)s
FROM registry_person AS person
JOIN targeting_facts ON targeting_facts.household_id = person.household_id
WHERE {where}
"""

# The differences between the current lines and the open stored ones, matched on (household,
# person, service) — person 0 for household lines, so the join stays a plain equi-join. A line whose
# tier, members, reason or keys differ is closed and opened again; `present` is 0 where the line is
# gone. PostgreSQL: one full outer join (a hash full join). SQLite plans a full outer join as nested
# loops (2 minutes at 20,000 households), so there the same rows come from a left join (an index
# lookup in the stored lines) and an anti-join.
DIFF_COLUMNS = """
       stored.kk_number AS old_kk_number, stored.person_key AS old_person_key,
       stored.tier AS old_tier, stored.members AS old_members,
       CASE WHEN cur.household_id IS NULL THEN 0 ELSE 1 END AS present,
       cur.kk_number, cur.person_key, cur.tier, cur.members, cur.reason
"""
SAME_KEY = """cur.household_id = stored.household_id AND cur.service = stored.service
 AND COALESCE(cur.person_id, 0) = COALESCE(stored.person_id, 0)"""
DIFFERENT = """(cur.tier <> stored.tier OR cur.members <> stored.members OR cur.reason <> stored.reason
   OR cur.kk_number <> stored.kk_number OR cur.person_key <> stored.person_key)"""
_DIFF_POSTGRESQL = """
CREATE TEMPORARY TABLE targeting_diff AS
SELECT stored.id AS old_id,
       COALESCE(cur.service, stored.service) AS service,
       COALESCE(cur.household_id, stored.household_id) AS household_id,
       COALESCE(cur.person_id, stored.person_id) AS person_id, {DIFF_COLUMNS}
FROM (SELECT id, service, household_id, person_id, kk_number, person_key, tier, members, reason
      FROM targeting_eligibility WHERE until_run_id IS NULL) AS stored
FULL OUTER JOIN targeting_lines AS cur ON {SAME_KEY}
WHERE stored.id IS NULL OR cur.household_id IS NULL OR {DIFFERENT}
"""
_DIFF_SQLITE = """
CREATE TEMPORARY TABLE targeting_diff AS
SELECT stored.id AS old_id, cur.service, cur.household_id, cur.person_id, {DIFF_COLUMNS}
FROM targeting_lines AS cur
LEFT JOIN targeting_eligibility AS stored ON stored.until_run_id IS NULL AND {SAME_KEY}
WHERE stored.id IS NULL OR {DIFFERENT}
UNION ALL
SELECT stored.id, stored.service, stored.household_id, stored.person_id, {DIFF_COLUMNS}
FROM targeting_eligibility AS stored
LEFT JOIN targeting_lines AS cur ON {SAME_KEY}
WHERE stored.until_run_id IS NULL AND cur.household_id IS NULL
"""
_FRAGMENTS = {"DIFF_COLUMNS": DIFF_COLUMNS, "SAME_KEY": SAME_KEY, "DIFFERENT": DIFFERENT}
CREATE_DIFF_POSTGRESQL = _DIFF_POSTGRESQL.format(**_FRAGMENTS)
CREATE_DIFF_SQLITE = _DIFF_SQLITE.format(**_FRAGMENTS)
CLOSE_LINES = """
UPDATE targeting_eligibility SET until_run_id = %(run_id)s
WHERE id IN (SELECT old_id FROM targeting_diff WHERE old_id IS NOT NULL)
"""
_OPEN = """
INSERT INTO targeting_eligibility
       (from_run_id, until_run_id, service, household_id, person_id, kk_number, person_key, tier, members, reason)
SELECT %(run_id)s, NULL, service, household_id, person_id, kk_number, person_key, tier, members, reason
FROM {source}
"""
# In household order: a household's new lines sit together in the table (and in its index).
OPEN_LINES = _OPEN.format(source="targeting_diff WHERE present = 1 ORDER BY household_id")
# The first run into an empty table: every current line, without a diff to build, unsorted (the
# index is built afterwards; sorting 621,031 lines first cost ~0.2 s).
OPEN_ALL_LINES = _OPEN.format(source="targeting_lines")
# As before intervals: added, removed, or another tier (a line reopened for other members or
# another reason only is not a change of eligibility).
INSERT_CHANGES = """
INSERT INTO targeting_change (run_id, service, household_id, person_id, kind, old_tier, new_tier)
SELECT %(run_id)s, service, household_id, person_id,
       CASE WHEN old_id IS NULL THEN 'added' WHEN present = 0 THEN 'removed' ELSE 'tier' END,
       CASE WHEN old_id IS NULL OR present = 0 THEN '' ELSE old_tier END,
       CASE WHEN old_id IS NULL OR present = 0 THEN '' ELSE tier END
FROM targeting_diff
WHERE old_id IS NULL OR present = 0 OR old_tier <> tier
"""
COUNT_DIFF = """
SELECT SUM(CASE WHEN old_id IS NOT NULL THEN 1 ELSE 0 END), SUM(present),
       SUM(CASE WHEN old_id IS NULL THEN 1 ELSE 0 END), SUM(1 - present),
       SUM(CASE WHEN old_id IS NOT NULL AND present = 1 AND old_tier <> tier THEN 1 ELSE 0 END)
FROM targeting_diff
"""


def _line_text(prefix: str = "") -> str:
    """SQL for a line as the hash reads it (`line_digest`), from the columns `prefix`kk_number …
    (the service is never prefixed): one text column to fetch instead of five, 0.9–1.0 s instead of
    1.2–1.3 s for 621,031 lines."""
    keys = " || '|' || ".join(f"{prefix}{name}" for name in ("kk_number", "person_key", "tier"))
    return f"service || '|' || {keys} || '|' || CAST({prefix}members AS TEXT)"


# The hash line of each closed (-) and opened (+) line.
DIFF_HASH_LINES = f"""
SELECT -1 AS sign, {_line_text("old_")} AS line FROM targeting_diff WHERE old_id IS NOT NULL
UNION ALL
SELECT 1, {_line_text()} FROM targeting_diff WHERE present = 1
"""  # noqa: S608 (constant column names)
ALL_HASH_LINES = f"SELECT 1 AS sign, {_line_text()} AS line FROM targeting_lines"  # noqa: S608

# Hash definition 1 (runs stored before intervals): SHA-256 over the header and the lines sorted
# byte-wise, one a line. Kept to check those runs' recorded hashes from the interval rows.
V1_SORTED_LINES = """
SELECT line FROM (
    SELECT {line} AS line
    FROM targeting_eligibility
    WHERE from_run_id <= %(run_id)s AND (until_run_id IS NULL OR until_run_id > %(run_id)s)
) AS lines
ORDER BY line {collate}
"""
VALID_LINES = f"""
SELECT {_line_text()} AS line
FROM targeting_eligibility
WHERE from_run_id <= %(run_id)s AND (until_run_id IS NULL OR until_run_id > %(run_id)s)
"""  # noqa: S608 (constant column names)
HASH_VERSION = 2
MODULUS = 2**256


def _execute(cursor, rules: RuleSet, sql: str, **extra) -> None:
    cursor.execute(rules.sql(sql), {**rules.sql_params(), **extra})


def bind_catalogue(cursor, rules: RuleSet) -> Catalogue:
    """The SQL form of each catalogue rule the rule set reads, with the values of its date."""

    def distinct(column: str) -> list:
        if column not in PERSON_FACTS:
            raise ValueError(column)
        cursor.execute(f"SELECT DISTINCT {column} FROM registry_person")  # noqa: S608 (a name of PERSON_FACTS)
        return [value for (value,) in cursor.fetchall()]

    households, persons, stored = {}, {}, {}
    for service, (rule, kind) in CATALOGUE_RULES.items():
        if kind == "household":
            households[service] = bind_household(rule, rules.on, distinct, service_column(service))
        else:
            stored.update({check.name: check for check in household_checks(rule)})
            persons[service] = bind(rule, rules.on, distinct, frozenset(check.name for check in household_checks(rule)))
    sqls, params = bind_checks(stored.values(), rules.on, distinct)
    for form in [*households.values(), *persons.values()]:
        params.update(form.params)
    return Catalogue(households, persons, {column(stored[name]): sql for name, sql in sqls.items()}, params)


def gather_facts(cursor, rules: RuleSet, catalogue: Catalogue | None = None) -> int:
    """Fill the temporary facts table; returns the number of households with members."""
    cursor.execute(f"DROP TABLE IF EXISTS {FACTS}")
    if catalogue:
        counts, household = "", ""
        for service, form in catalogue.households.items():
            counts += "".join(
                f", SUM(CASE WHEN {sql} THEN 1 ELSE 0 END) AS {name}" for name, sql in form.counts.items()
            )
            household += f", {form.tier} AS {service_column(service)}_tier"
            household += f", {form.members} AS {service_column(service)}_members"
        household += "".join(f", {sql} AS {name}" for name, sql in catalogue.household_checks.items())
        _execute(cursor, rules, CREATE_CATALOGUE_FACTS.format(counts=counts, household=household), **catalogue.params)
        cursor.execute(f"SELECT COUNT(*) FROM {FACTS}")  # noqa: S608 (a constant name)
        return cursor.fetchone()[0]
    civil = []
    if rules.reads_occupation:
        cursor.execute("SELECT DISTINCT occupation FROM registry_person")
        civil = rules.civil_servant_occupations(occupation for (occupation,) in cursor.fetchall())
    excluded, uninsured = rules.member_sql(len(civil))
    params = {f"civil_{i}": occupation for i, occupation in enumerate(civil)}
    _execute(cursor, rules, CREATE_FACTS.format(excluded=excluded, uninsured=uninsured), **params)
    cursor.execute(f"SELECT COUNT(*) FROM {FACTS}")  # noqa: S608 (a constant name)
    return cursor.fetchone()[0]


def compute_lines(cursor, rules: RuleSet, catalogue: Catalogue | None = None) -> dict[str, int]:
    """Fill the temporary lines table from the facts; returns the number of lines per service."""
    selects, services = [], {}
    for n, (service, rule) in enumerate(rules.household_sql().items()):
        selects.append(HOUSEHOLD_LINES.format(n=n, tier=rule.tier, members=rule.members, reason=rule.reason))
        services[f"service_{n}"] = service
    if catalogue:  # each person line of a catalogue rule: that rule's SQL on the person's facts
        selects.append(PUPIL_LINES.format(n=len(selects), where=catalogue.persons[SINTAWATI].eligible))
        services.update(catalogue.params)
    else:
        selects.append(PUPIL_LINES.format(n=len(selects), where=SINTAWATI_SQL))
    services[f"service_{len(selects) - 1}"] = SINTAWATI
    cursor.execute(f"DROP TABLE IF EXISTS {LINES}")
    _execute(cursor, rules, CREATE_LINES.format(selects=" UNION ALL ".join(selects)), **services)
    cursor.execute(f"DROP TABLE {FACTS}")
    # No ANALYZE of the temporary tables: PostgreSQL estimates their rows from their size; measured
    # at 300,000 households the diff stays a hash full join and nothing got slower (ANALYZE of
    # both cost 0.3-0.4 s).
    cursor.execute(f"SELECT service, COUNT(*) FROM {LINES} GROUP BY service ORDER BY service")  # noqa: S608
    return dict(cursor.fetchall())


def _no_lines_stored(cursor) -> bool:
    cursor.execute("SELECT 1 FROM targeting_eligibility LIMIT 1")
    return cursor.fetchone() is None


def write_differences(
    cursor, run_id: int, total_lines: int, *, first: bool = False
) -> tuple[dict[str, int], Callable[[], int]]:
    """Close the stored lines that differ from the current ones, open the new ones, list the
    changes; returns the counts, and a function giving the signed sum of the digests the hash adds
    (the caller calls it before dropping the temporary tables). Writes nothing where nothing differs.

    The first run (`first`: no run before it) lists no `Change` rows: every line is new, and its
    lines (`from_run` = the run) are that list already; it counts them as added. Into an empty
    table it inserts the current lines as they are, no diff needed, and the index is built
    afterwards (PostgreSQL; nobody reads the table yet). Its lines (all of them) are fetched first
    and their digests added up by a second thread while the database writes them (the driver
    waits without holding the GIL): 300,000 households' 620,000 lines took 0.5 s of hashing after
    the write, now done beside it."""
    empty = _no_lines_stored(cursor)
    if first and empty:
        cursor.execute(ALL_HASH_LINES)
        lines = cursor.fetchall()
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest_sum = pool.submit(_add_digests, lines, signed=True)
            with indexes_built_after(cursor, "targeting_eligibility"):
                cursor.execute(OPEN_ALL_LINES, {"run_id": run_id})
                opened = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE targeting_eligibility")
            digest_sum.result()  # wait here: hashing belongs to this phase
        counts = {"closed": 0, "opened": opened, Change.Kind.ADDED: opened, Change.Kind.REMOVED: 0, Change.Kind.TIER: 0}
        return counts, digest_sum.result
    cursor.execute(f"DROP TABLE IF EXISTS {DIFF}")
    if connection.vendor == "postgresql":
        cursor.execute(CREATE_DIFF_POSTGRESQL)
    else:
        cursor.execute(f"CREATE INDEX targeting_lines_household ON {LINES} (household_id)")
        cursor.execute(CREATE_DIFF_SQLITE)
    cursor.execute(f"DROP TABLE {LINES}")
    cursor.execute(COUNT_DIFF)
    closed, opened, added, removed, tier = (n or 0 for n in cursor.fetchone())
    if closed:
        cursor.execute(CLOSE_LINES, {"run_id": run_id})
    if opened:
        with indexes_built_after(cursor, "targeting_eligibility", enabled=empty):
            cursor.execute(OPEN_LINES, {"run_id": run_id})
    if (added or removed or tier) and not first:
        cursor.execute(INSERT_CHANGES, {"run_id": run_id})
    if connection.vendor == "postgresql" and (closed + opened) * 10 > total_lines:
        # Statistics for the next run's plan where a run rewrote much (autovacuum may be off or late;
        # with the table's size unknown the planner sorts both sides for a merge join: 2.5 × slower).
        cursor.execute("ANALYZE targeting_eligibility")
    counts = {"closed": closed, "opened": opened, Change.Kind.ADDED: added, Change.Kind.REMOVED: removed,
              Change.Kind.TIER: tier}  # fmt: skip
    return counts, lambda: _sum_lines(DIFF_HASH_LINES, {}, signed=True)


def line_digest(service: str, kk_number: str, person_key: str, tier: str, members: int) -> int:
    """A line's own SHA-256, as an integer: the hash adds these up, so the order does not matter."""
    return _digest(f"{service}|{kk_number}|{person_key}|{tier}|{members}")


def _digest(line: str) -> int:
    return int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")


def _sum_lines(sql: str, params: dict, signed: bool = False) -> int:
    """The digests of the lines `sql` selects, streamed (a server-side cursor on PostgreSQL: memory
    stays flat however many lines a first run writes)."""
    total = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20000):
            total += _add_digests(rows, signed=signed)
    return total % MODULUS


def _add_digests(rows, *, signed: bool) -> int:
    """The sum of the digests of (line,) rows, or of sign × digest for (sign, line) rows."""
    if signed:
        return sum(sign * _digest(line) for sign, line in rows)
    return sum(_digest(line) for (line,) in rows)


def line_sum_at(run_id: int) -> int:
    """The sum of the digests of the lines valid at a run, from the stored rows."""
    return _sum_lines(VALID_LINES, {"run_id": run_id})


def hash_of(rules_header: str, line_sum: int) -> str:
    """Hash definition 2: SHA-256 of the rule version and parameters (`header`), a newline, and the
    line sum as 64 hex digits."""
    return hashlib.sha256(f"{rules_header}\n{line_sum:064x}".encode()).hexdigest()


def header(version: str, plain_parameters: dict) -> str:
    return version + json.dumps(plain_parameters, sort_keys=True)


def _run_header(run: TargetingRun) -> str:
    plain = {name: (p["value"] if isinstance(p, dict) else p) for name, p in sorted(run.parameters.items())}
    return header(run.ruleset_version, plain)


def recompute_hash(run: TargetingRun) -> str:
    """The run's result hash recomputed from the stored rows, by the definition it was recorded
    with (`hash_version`): comparing it with `run.result_hash` checks the stored lines."""
    if run.hash_version == 1:
        collate = 'COLLATE "C"' if connection.vendor == "postgresql" else ""
        digest = hashlib.sha256(_run_header(run).encode())
        with connection.cursor() as cursor:
            cursor.execute(V1_SORTED_LINES.format(collate=collate, line=_line_text()), {"run_id": run.pk})
            while rows := cursor.fetchmany(20000):
                digest.update("".join(f"\n{line}" for (line,) in rows).encode())
        return digest.hexdigest()
    return hash_of(_run_header(run), line_sum_at(run.pk))


# Any fixed number: the key of the PostgreSQL advisory lock that serialises targeting runs.
RUN_LOCK = 0x5A7A_0006


def _one_run_at_a_time() -> None:
    """Runs started at once run one after the other, each comparing with the one before it (without
    this both would diff against the same previous run). SQLite's IMMEDIATE transactions already
    serialise writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_LOCK])


def run_targeting(*, actor=None, on=None) -> TargetingRun:
    """Evaluate the rules over the registry and store what changed; `run.profile` holds each
    phase's seconds (not stored)."""
    started = time.perf_counter()
    profile, mark = {}, started

    def lap(phase: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        profile[phase] = now - mark
        mark = now

    rule_parameters.clear_cache()  # a batch run reads the parameters as they are now
    rules = ruleset_for(on or timezone.localdate())
    with transaction.atomic():
        _one_run_at_a_time()
        # By id, the order the intervals follow (runs are serialised, so it is also the start order).
        previous = TargetingRun.objects.order_by("-id").first()
        run = TargetingRun.objects.create(
            ruleset_version=rules.version,
            parameters=rules.recorded_parameters(),
            previous=previous,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            hash_version=HASH_VERSION,
        )
        if previous is None:
            previous_sum = 0
        elif previous.line_sum:
            previous_sum = int(previous.line_sum, 16)
        else:  # a run stored before intervals (hash definition 1): once, from its rows
            previous_sum = line_sum_at(previous.pk)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One large batch: sorts and aggregates in memory, no JIT compiling (it costs more
                # than it saves on these statements).
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
            lap("start")
            catalogue = bind_catalogue(cursor, rules) if rules.reads_catalogue else None
            households = gather_facts(cursor, rules, catalogue)
            lap("facts")
            counts = compute_lines(cursor, rules, catalogue)
            lap("lines")
            diff, digest_sum = write_differences(cursor, run.pk, sum(counts.values()), first=previous is None)
            lap("diff + write")
            # Python adds the digests up while streaming the differences: on PostgreSQL summing
            # them in SQL (the digest cut into words, each cast to an integer) took twice as long.
            line_sum = (previous_sum + digest_sum()) % MODULUS
            cursor.execute(f"DROP TABLE IF EXISTS {DIFF}")
            cursor.execute(f"DROP TABLE IF EXISTS {LINES}")
            lap("hash")
        TargetingRun.objects.filter(pk=run.pk).update(
            households=households,
            counts=counts,
            line_sum=f"{line_sum:064x}",
            result_hash=hash_of(header(rules.version, rules.plain_parameters()), line_sum),
            added=diff[Change.Kind.ADDED],
            removed=diff[Change.Kind.REMOVED],
            changed=diff[Change.Kind.TIER],
            seconds=time.perf_counter() - started,
        )
        lap("run record")
    lap("commit")
    run.refresh_from_db()
    run.profile = {**profile, "written": diff["closed"] + diff["opened"]}
    return run
