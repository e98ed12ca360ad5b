"""The fast path of an import chunk: KK groups whose household is not in the registry yet.

Most rows of a first load are new households. Their ids are reserved up front in two small
temporary tables (nextval on PostgreSQL; on SQLite, whose writers are serialised, the ids after
the highest one used), so each registry table — households with their head, people, memberships,
KK history, DTSEN assessments, the creation audit rows — gets one INSERT … SELECT joined on
known ids: no lookup in the growing registry, no re-linking, no UPDATE of the staging table.
The general path in `loader.Chunk` gives the same registry content (tested) and handles the
households that already exist.
"""

from django.db import connection

from satupintu.audit.models import Action, AuditLog
from satupintu.registry import choices as c
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment

from .models import PendingPair, StagedRow

GROUPS = "import_new_household"
PEOPLE = "import_new_person"
TABLES = {
    GROUPS: "kk_group bigint PRIMARY KEY, staged_id bigint NOT NULL, household_id bigint NOT NULL",
    PEOPLE: "staged_id bigint PRIMARY KEY, person_id bigint NOT NULL, household_id bigint NOT NULL, is_head boolean",
}


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def t(model) -> str:
    return q(model._meta.db_table)


class NewHouseholds:
    def __init__(self, chunk, *, person_fields, household_fields, insert_value, assessment_select):
        self.chunk = chunk
        self.person_fields, self.household_fields = person_fields, household_fields
        self.insert_value, self.assessment_select = insert_value, assessment_select
        self.reason = f"Impor {chunk.batch.reference}"

    def run(self, cursor) -> tuple[int, int]:
        """(households created, people created)."""
        for name, columns in TABLES.items():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
        households = self.reserve_households(cursor)
        people = self.reserve_people(cursor) if households else 0
        self.chunk.stepped("reserve")
        if households:
            self.insert_households(cursor)
            self.chunk.stepped("households")
            self.insert_people(cursor)
            self.chunk.stepped("people")
            self.insert_history(cursor)
            self.chunk.stepped("history")
            if PendingPair.objects.filter(batch=self.chunk.batch).exists():
                self.link_pending_rows(cursor)
        for name in TABLES:
            cursor.execute(f"DROP TABLE {name}")
        return households, people

    def _next_ids(self, cursor, model, order: str) -> tuple[str, list]:
        """SQL for one fresh id per selected row, and its parameter."""
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
            return "nextval(%s::regclass)", [cursor.fetchone()[0]]
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM {t(model)} "  # noqa: S608
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [model._meta.db_table],
        )
        return f"%s + ROW_NUMBER() OVER (ORDER BY {order})", [cursor.fetchone()[0] or 0]

    def _reserve(self, cursor, table: str, columns: str, model, order: str, select: str, source: str, **extra):
        """INSERT INTO table SELECT … over the chunk's rows, `{ids}` one fresh `model` id per row."""
        ids, params = self._next_ids(cursor, model, order)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {select.format(ids=ids)} "  # noqa: S608
            f"FROM {source} WHERE {self.chunk.where} {extra.get('where', '')}",
            [*params, *extra.get("params", ()), *self.chunk.args],
        )
        count = cursor.rowcount
        if connection.vendor == "postgresql":  # temporary tables are never analysed automatically
            cursor.execute(f"ANALYZE {table}")
        return count

    def reserve_households(self, cursor) -> int:
        """One new household id for each KK group of the chunk that the general path did not link."""
        return self._reserve(
            cursor, GROUPS, "kk_group, staged_id, household_id", Household, "s.kk_group",
            "s.kk_group, s.id, {ids}", f"{self.chunk.staged} s", where="AND s.first_of_kk AND s.household_id IS NULL",
        )  # fmt: skip

    def reserve_people(self, cursor) -> int:
        return self._reserve(
            cursor, PEOPLE, "staged_id, person_id, household_id, is_head", Person, "s.id",
            "s.id, {ids}, g.household_id, s.relationship = %s",
            f"{self.chunk.staged} s JOIN {GROUPS} g ON g.kk_group = s.kk_group", params=[c.Relationship.HEAD],
        )  # fmt: skip

    def insert_households(self, cursor) -> None:
        # The head is a person inserted just after: foreign keys are checked at commit.
        columns = ["id", "kk_number", *self.household_fields, "head_id", "created_at", "updated_at"]
        now = self.chunk.now
        cursor.execute(
            f"INSERT INTO {t(Household)} ({', '.join(q(f) for f in columns)}) "  # noqa: S608
            f"SELECT g.household_id, s.kk_number, {', '.join(f's.{q(f)}' for f in self.household_fields)}, "
            f"h.person_id, %s, %s FROM {GROUPS} g JOIN {self.chunk.staged} s ON s.id = g.staged_id "
            f"LEFT JOIN {PEOPLE} h ON h.household_id = g.household_id AND h.is_head",
            [now, now],
        )

    def insert_people(self, cursor) -> None:
        columns = ["id", *self.person_fields, "household_id", "created_at", "updated_at"]
        values = ", ".join(self.insert_value(f, f"s.{q(f)}") for f in self.person_fields)
        joined = f"{PEOPLE} p JOIN {self.chunk.staged} s ON s.id = p.staged_id"
        now, today = self.chunk.now, self.chunk.today
        cursor.execute(
            f"INSERT INTO {t(Person)} ({', '.join(q(f) for f in columns)}) "  # noqa: S608
            f"SELECT p.person_id, {values}, p.household_id, %s, %s FROM {joined}",
            [now, now],
        )
        cursor.execute(
            f"INSERT INTO {t(Membership)} (person_id, household_id, relationship, start, {q('end')}, reason) "  # noqa: S608
            f"SELECT p.person_id, p.household_id, s.relationship, %s, NULL, %s FROM {joined}",
            [today, self.reason],
        )

    def insert_history(self, cursor) -> None:
        """KK history, DTSEN assessments and one creation audit row per household."""
        joined = f"{GROUPS} g JOIN {self.chunk.staged} s ON s.id = g.staged_id"
        chunk = self.chunk
        cursor.execute(
            f"INSERT INTO {t(KKNumber)} (household_id, number, valid_from, valid_to, reason) "  # noqa: S608
            f"SELECT g.household_id, s.kk_number, %s, NULL, %s FROM {joined}",
            [chunk.today, self.reason],
        )
        columns, select, params = self.assessment_select("g.household_id")
        cursor.execute(
            f"INSERT INTO {t(PovertyAssessment)} ({columns}) {select} FROM {joined} WHERE s.desil IS NOT NULL",  # noqa: S608
            params,
        )
        changes = "%s || s.kk_number || %s"
        if connection.vendor == "postgresql":
            changes = f"CAST({changes} AS jsonb)"
        audit = ["at", "actor_id", "action", "object_type", "object_id", "household_id", "changes", "reason"]
        cursor.execute(
            f"INSERT INTO {t(AuditLog)} ({', '.join(q(f) for f in audit)}) "  # noqa: S608
            f"SELECT %s, %s, %s, %s, CAST(g.household_id AS TEXT), g.household_id, {changes}, %s FROM {joined}",
            [chunk.now, chunk.actor_id(), Action.CREATE, "registry.household", '{"kk_number": [null, "', '"]}',
             self.reason],
        )  # fmt: skip

    def link_pending_rows(self, cursor) -> None:
        """Rows with a possible duplicate keep their person, for the review queue (`queue_pending_pairs`)."""
        staged, pending = t(StagedRow), t(PendingPair)
        batch = self.chunk.batch.pk
        cursor.execute(
            f"UPDATE {staged} SET "  # noqa: S608
            f"person_id = (SELECT p.person_id FROM {PEOPLE} p WHERE p.staged_id = {staged}.id), "
            f"household_id = (SELECT p.household_id FROM {PEOPLE} p WHERE p.staged_id = {staged}.id) "
            f"WHERE id IN (SELECT staged_id FROM {PEOPLE}) "
            f"AND (id IN (SELECT {q('row')} FROM {pending} WHERE batch_id = %s) "
            f"OR id IN (SELECT other_row FROM {pending} WHERE batch_id = %s))",
            [batch, batch],
        )
