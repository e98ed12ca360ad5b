"""The fast path of an import chunk: KK groups whose household is not in the registry yet.

Most rows of a first load are new households. Their ids are reserved up front in two small
temporary tables (nextval on PostgreSQL; on SQLite, whose writers are serialised, the ids after
the highest one used), so each registry table — households with their head, people, memberships,
KK history, DTSEN assessments, the creation audit rows — gets one INSERT … SELECT joined on
known ids: no lookup in the growing registry, no re-linking, no UPDATE of the staging table.
The general path in `loader.Chunk` gives the same registry content (tested) and handles the
households that already exist. The first load of an empty registry (`firstload`) needs no
reservation: it numbers by formula (`NewHouseholds`, `formula=True`).
"""

from django.db import connection

from satupintu.audit.models import Action, AuditLog
from satupintu.lib.bulk import q, t
from satupintu.registry import choices as c
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment

from .models import PendingPair, StagedRow

GROUPS = "import_new_household"
PEOPLE = "import_new_person"
TABLES = {
    GROUPS: "kk_group bigint PRIMARY KEY, staged_id bigint NOT NULL, household_id bigint NOT NULL",
    PEOPLE: "staged_id bigint PRIMARY KEY, person_id bigint NOT NULL, household_id bigint NOT NULL, is_head boolean",
}


def _sequence(cursor, model) -> str:
    """The name of the sequence behind `model`'s id (PostgreSQL)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
    return cursor.fetchone()[0]


class NewHouseholds:
    """`formula=True` (the first load, PostgreSQL, registry empty and locked): no reservation
    tables; a household's id is a base plus its KK group, a person's a base plus their staged
    row's id, both bases taken from the sequences, which are then moved past the highest id used.
    Every statement reads the staging table alone."""

    def __init__(self, chunk, *, person_fields, household_fields, insert_value, assessment_select, formula=False):
        self.chunk = chunk
        self.person_fields, self.household_fields = person_fields, household_fields
        self.insert_value, self.assessment_select = insert_value, assessment_select
        self.reason = f"Impor {chunk.batch.reference}"
        self.formula = formula and connection.vendor == "postgresql"
        staged, where, args = chunk.staged, chunk.where, chunk.args
        # What each statement reads, per household (`groups`) or per person (`people`): the FROM
        # clause, the WHERE clause (for `groups` always present: assessments add AND …) and its
        # parameters; the id expressions over them.
        self.groups = (f"{GROUPS} g JOIN {staged} s ON s.id = g.staged_id", "WHERE TRUE", [])
        self.people = (f"{PEOPLE} p JOIN {staged} s ON s.id = p.staged_id", "", [])
        self.household_id, self.person_id, self.member_household_id = "g.household_id", "p.person_id", "p.household_id"
        self.head_join = f"LEFT JOIN {PEOPLE} h ON h.household_id = g.household_id AND h.is_head"
        self.head_id = "h.person_id"
        if self.formula:
            self.groups = (f"{staged} s", f"WHERE {where} AND s.first_of_kk", args)
            self.people = (f"{staged} s", f"WHERE {where}", args)
            self.head_join = ""

    def run(self, cursor) -> tuple[int, int]:
        """(households created, people created)."""
        if self.formula:
            households, people = self.number_by_formula(cursor)
        else:
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
        if not self.formula:
            for name in TABLES:
                cursor.execute(f"DROP TABLE {name}")
        return households, people

    def number_by_formula(self, cursor) -> tuple[int, int]:
        """Take the id ranges from the sequences and set the id expressions; (households, people)."""
        chunk = self.chunk
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN s.first_of_kk THEN 1 ELSE 0 END), MIN(s.id), MAX(s.id), "  # noqa: S608
            f"MIN(s.kk_group), MAX(s.kk_group) FROM {chunk.staged} s WHERE {chunk.where}",
            chunk.args,
        )
        people, households, first_row, last_row, first_group, last_group = cursor.fetchone()
        if not people:
            return 0, 0
        # Whole numbers computed here, written into the SQL as literals.
        household_base = self._take_ids(cursor, Household, last_group - first_group + 1) - first_group
        person_base = self._take_ids(cursor, Person, last_row - first_row + 1) - first_row
        self.household_id = self.member_household_id = f"({household_base} + s.kk_group)"
        self.person_id = f"({person_base} + s.id)"
        # The head is most often the KK's first row; else looked up (by the (batch, KK group) index).
        head = f"'{c.Relationship.HEAD}'"
        staged = chunk.staged
        self.head_id = (
            f"({person_base} + CASE WHEN s.relationship = {head} THEN s.id ELSE (SELECT h.id FROM {staged} h "  # noqa: S608
            f"WHERE h.batch_id = s.batch_id AND h.kk_group = s.kk_group AND h.status = s.status "
            f"AND h.relationship = {head}) END)"
        )
        return households, people

    @staticmethod
    def _take_ids(cursor, model, count: int) -> int:
        """The first of `count` consecutive ids of `model`, its sequence moved past the last of them.
        Safe only while `model`'s table is locked against every other writer (the first load)."""
        sequence = _sequence(cursor, model)
        cursor.execute("SELECT nextval(%s::regclass)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s::regclass, %s)", [sequence, first + count - 1])
        return first

    def _next_ids(self, cursor, model, order: str) -> tuple[str, list]:
        """SQL for one fresh id per selected row, and its parameter."""
        if connection.vendor == "postgresql":
            return "nextval(%s::regclass)", [_sequence(cursor, model)]
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
        source, where, params = self.groups
        cursor.execute(
            f"INSERT INTO {t(Household)} ({', '.join(q(f) for f in columns)}) "  # noqa: S608
            f"SELECT {self.household_id}, s.kk_number, {', '.join(f's.{q(f)}' for f in self.household_fields)}, "
            f"{self.head_id}, %s, %s FROM {source} {self.head_join} {where}",
            [now, now, *params],
        )

    def insert_people(self, cursor) -> None:
        columns = ["id", *self.person_fields, "household_id", "created_at", "updated_at"]
        values = ", ".join(self.insert_value(f, f"s.{q(f)}") for f in self.person_fields)
        source, where, params = self.people
        now, today = self.chunk.now, self.chunk.today
        cursor.execute(
            f"INSERT INTO {t(Person)} ({', '.join(q(f) for f in columns)}) "  # noqa: S608
            f"SELECT {self.person_id}, {values}, {self.member_household_id}, %s, %s FROM {source} {where}",
            [now, now, *params],
        )
        cursor.execute(
            f"INSERT INTO {t(Membership)} (person_id, household_id, relationship, start, {q('end')}, reason) "  # noqa: S608
            f"SELECT {self.person_id}, {self.member_household_id}, s.relationship, %s, NULL, %s FROM {source} {where}",
            [today, self.reason, *params],
        )

    def insert_history(self, cursor) -> None:
        """KK history, DTSEN assessments and one creation audit row per household."""
        source, where, where_params = self.groups
        chunk = self.chunk
        cursor.execute(
            f"INSERT INTO {t(KKNumber)} (household_id, number, valid_from, valid_to, reason) "  # noqa: S608
            f"SELECT {self.household_id}, s.kk_number, %s, NULL, %s FROM {source} {where}",
            [chunk.today, self.reason, *where_params],
        )
        columns, select, params = self.assessment_select(self.household_id)
        cursor.execute(
            f"INSERT INTO {t(PovertyAssessment)} ({columns}) {select} FROM {source} {where} AND s.desil IS NOT NULL",  # noqa: S608
            [*params, *where_params],
        )
        changes = "%s || s.kk_number || %s"
        if connection.vendor == "postgresql":
            changes = f"CAST({changes} AS jsonb)"
        audit = ["at", "actor_id", "action", "object_type", "object_id", "household_id", "changes", "reason"]
        cursor.execute(
            f"INSERT INTO {t(AuditLog)} ({', '.join(q(f) for f in audit)}) "  # noqa: S608
            f"SELECT %s, %s, %s, %s, CAST({self.household_id} AS TEXT), {self.household_id}, {changes}, %s "
            f"FROM {source} {where}",
            [chunk.now, chunk.actor_id(), Action.CREATE, "registry.household", '{"kk_number": [null, "', '"]}',
             self.reason, *where_params],
        )  # fmt: skip
        AuditLog.after_bulk_insert()

    def link_pending_rows(self, cursor) -> None:
        """Rows with a possible duplicate keep their person, for the review queue (`queue_pending_pairs`)."""
        staged, pending = t(StagedRow), t(PendingPair)
        batch = self.chunk.batch.pk
        pending_rows = (
            f"(id IN (SELECT {q('row')} FROM {pending} WHERE batch_id = %s) "  # noqa: S608
            f"OR id IN (SELECT other_row FROM {pending} WHERE batch_id = %s))"
        )
        if self.formula:
            cursor.execute(
                f"UPDATE {staged} AS s SET person_id = {self.person_id}, household_id = {self.household_id} "  # noqa: S608
                f"WHERE {self.chunk.where} AND {pending_rows}",
                [*self.chunk.args, batch, batch],
            )
            return
        cursor.execute(
            f"UPDATE {staged} SET "  # noqa: S608
            f"person_id = (SELECT p.person_id FROM {PEOPLE} p WHERE p.staged_id = {staged}.id), "
            f"household_id = (SELECT p.household_id FROM {PEOPLE} p WHERE p.staged_id = {staged}.id) "
            f"WHERE id IN (SELECT staged_id FROM {PEOPLE}) AND {pending_rows}",
            [batch, batch],
        )
