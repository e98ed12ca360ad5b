"""Batch eligibility, set-based: the rules run inside the database over the whole registry.

One statement gathers every household's facts into a temporary table (member counts by
insurance; the latest valid assessment of each method, picked with a window function), one
INSERT … SELECT writes who is eligible for every service (the SQL forms of the criteria in
`rules.py`, joined by UNION ALL), one more lists the differences from the previous run grouped by
(household, person, service), and the result hash is taken over stable keys (KK number, NIK) in
byte order. Python never holds the registry: the same SQL runs on PostgreSQL and SQLite and gives
the same lines and the same hash.
"""

import hashlib
import json
import time

from django.db import connection, transaction
from django.utils import timezone

from satupintu.catalogue.rules import parameters as catalogue

from .models import Change, TargetingRun
from .rules import SINTAWATI, SINTAWATI_SQL, RuleSet, ruleset_for

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
    SELECT household_id,
           COUNT(*) AS members,
           SUM(CASE WHEN health_insurance = 'tidak_ada' THEN 1 ELSE 0 END) AS uninsured,
           SUM(CASE WHEN health_insurance IN (%(saraswati_excluded_insurance)s) THEN 1 ELSE 0 END) AS excluded
    FROM registry_person
    WHERE household_id IS NOT NULL
    GROUP BY household_id
)
SELECT people.household_id, household.kk_number, people.members, people.uninsured, people.excluded,
       status.desil, status.bps14_score, COALESCE(status.local_poor, 0) = 1 AS local_poor
FROM people
JOIN registry_household AS household ON household.id = people.household_id
LEFT JOIN status ON status.household_id = people.household_id
"""

# Every result line in one statement, in (run, household) order so that the index on those
# columns grows at its right edge instead of splitting pages all over it.
INSERT_RESULTS = """
INSERT INTO targeting_eligibility
       (run_id, service, household_id, person_id, kk_number, person_key, tier, members, reason)
SELECT %(run_id)s, service, household_id, person_id, kk_number, person_key, tier, members, reason
FROM ({selects}) AS results
ORDER BY household_id
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

# One pass over both runs' lines grouped by (household, person, service) — integers first, so a
# sort compares them before any text: present only now → added, only before → removed, in both
# with another tier → tier changed.
INSERT_CHANGES = """
INSERT INTO targeting_change (run_id, service, household_id, person_id, kind, old_tier, new_tier)
SELECT %(run_id)s, service, household_id, person_id,
       CASE WHEN old_tier IS NULL THEN 'added' WHEN new_tier IS NULL THEN 'removed' ELSE 'tier' END,
       COALESCE(old_tier, ''), COALESCE(new_tier, '')
FROM (
    SELECT household_id, person_id, service,
           MAX(CASE WHEN run_id = %(previous_id)s THEN tier END) AS old_tier,
           MAX(CASE WHEN run_id = %(run_id)s THEN tier END) AS new_tier
    FROM targeting_eligibility
    WHERE run_id IN (%(run_id)s, %(previous_id)s)
    GROUP BY household_id, person_id, service
) AS paired
WHERE old_tier IS NULL OR new_tier IS NULL OR old_tier <> new_tier
"""

# The hash reads no database id: the household by its KK number, the person by NIK (or, without
# one, name and birth date), as stored with each line; lines are sorted byte-wise (collation "C"
# on PostgreSQL, which also hashes them itself; SQLite's BINARY order, streamed to Python).
LINES = """
SELECT service || '|' || kk_number || '|' || person_key || '|' || tier || '|' || CAST(members AS TEXT) AS line
FROM targeting_eligibility
WHERE run_id = %(run_id)s
"""
HASH_POSTGRESQL = """
SELECT encode(sha256(convert_to(
    %(header)s || COALESCE(string_agg(E'\\n' || line, '' ORDER BY line COLLATE "C"), ''), 'UTF8')), 'hex')
FROM ({lines}) AS lines
"""
SORTED_LINES = "SELECT line FROM ({lines}) AS lines ORDER BY line"


def _execute(cursor, rules: RuleSet, sql: str, **extra) -> None:
    cursor.execute(rules.sql(sql), {**rules.sql_params(), **extra})


def gather_facts(cursor, rules: RuleSet) -> int:
    """Fill the temporary facts table; returns the number of households with members."""
    cursor.execute(f"DROP TABLE IF EXISTS {FACTS}")
    _execute(cursor, rules, CREATE_FACTS)
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {FACTS}")  # temporary tables get no statistics otherwise
    cursor.execute(f"SELECT COUNT(*) FROM {FACTS}")  # noqa: S608 (a constant name)
    return cursor.fetchone()[0]


def write_results(cursor, rules: RuleSet, run_id: int) -> None:
    selects, services = [], {}
    for n, (service, rule) in enumerate(rules.household_sql().items()):
        selects.append(HOUSEHOLD_LINES.format(n=n, tier=rule.tier, members=rule.members, reason=rule.reason))
        services[f"service_{n}"] = service
    selects.append(PUPIL_LINES.format(n=len(selects), where=SINTAWATI_SQL))
    services[f"service_{len(services)}"] = SINTAWATI
    _execute(cursor, rules, INSERT_RESULTS.format(selects=" UNION ALL ".join(selects)), run_id=run_id, **services)
    cursor.execute(f"DROP TABLE {FACTS}")


def write_changes(cursor, run_id: int, previous_id: int | None) -> dict[str, int]:
    cursor.execute(INSERT_CHANGES, {"run_id": run_id, "previous_id": previous_id})
    cursor.execute("SELECT kind, COUNT(*) FROM targeting_change WHERE run_id = %s GROUP BY kind", [run_id])
    return dict(cursor.fetchall())


def count_results(cursor, run_id: int) -> dict[str, int]:
    cursor.execute(
        "SELECT service, COUNT(*) FROM targeting_eligibility WHERE run_id = %s GROUP BY service ORDER BY service",
        [run_id],
    )
    return dict(cursor.fetchall())


def result_hash(rules: RuleSet, run_id: int) -> str:
    """SHA-256 over the rule version, its parameters and the run's result lines, one a line."""
    header = rules.version + json.dumps(rules.plain_parameters(), sort_keys=True)
    params = {"run_id": run_id, "header": header}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(HASH_POSTGRESQL.format(lines=LINES), params)
            return cursor.fetchone()[0]
    digest = hashlib.sha256(header.encode())
    with connection.cursor() as cursor:
        cursor.execute(SORTED_LINES.format(lines=LINES), params)
        while rows := cursor.fetchmany(20000):
            digest.update("".join(f"\n{line}" for (line,) in rows).encode())
    return digest.hexdigest()


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
    started = time.perf_counter()
    catalogue.clear_cache()  # a batch run reads the parameters as they are now
    rules = ruleset_for(on or timezone.localdate())
    with transaction.atomic():
        _one_run_at_a_time()
        previous = TargetingRun.objects.order_by("-started_at", "-id").first()
        run = TargetingRun.objects.create(
            ruleset_version=rules.version,
            parameters=rules.recorded_parameters(),
            previous=previous,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One large batch: sorts and aggregates in memory, no JIT compiling (it costs more
                # than it saves on these statements).
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
            households = gather_facts(cursor, rules)
            write_results(cursor, rules, run.pk)
            changes = write_changes(cursor, run.pk, previous and previous.pk)
            counts = count_results(cursor, run.pk)
        TargetingRun.objects.filter(pk=run.pk).update(
            households=households,
            counts=counts,
            result_hash=result_hash(rules, run.pk),
            added=changes.get(Change.Kind.ADDED, 0),
            removed=changes.get(Change.Kind.REMOVED, 0),
            changed=changes.get(Change.Kind.TIER, 0),
            seconds=time.perf_counter() - started,
        )
    run.refresh_from_db()
    return run
