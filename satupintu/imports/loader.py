"""Import stage: move a validated batch's valid rows into the registry, set-based, in chunks.

(Into an empty registry on PostgreSQL: all chunks at once in one transaction, indexes built
afterwards — `firstload`.) Each chunk is a range of KK groups and one transaction: households
matched by KK number or created, people matched (NIK, else name + birth date within the household)
and updated or created, memberships, heads, KK history and DTSEN assessments written with
INSERT … SELECT and UPDATE … FROM over the chunk's rows, copied with their links into a temporary
table (the staging table itself when the chunk has only new households). A chunk records the
last KK group it wrote, and adds its counts, on the batch in the same transaction, so an
interrupted import resumes where it stopped; a repeated file changes nothing.

Blank optional cells never erase a value already in the registry. Every change to an existing
household or person gets an audit row with old and new values; every household created gets one
naming the batch (the staged rows keep each person's file and row number).
"""

import json

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from satupintu import parameters
from satupintu.audit.log import plain
from satupintu.audit.models import Action, AuditLog
from satupintu.lib.bulk import bulk_insert, q, t
from satupintu.registry import choices as c
from satupintu.registry import fields, status
from satupintu.registry.actions import counts_changed
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment

from . import firstload, workflow
from .fresh import NewHouseholds
from .models import DuplicatePair, ImportBatch, PendingPair, RowStatus, StagedRow

# The household's facts copied from its KK's first staged row (the KK number matches it, it is
# not copied), and the person's from theirs (the household comes from the KK, not from a column).
HOUSEHOLD_FIELDS = [column for column in fields.copy_columns(fields.HOUSEHOLD_FIELDS) if column != "kk_number"]
PERSON_FIELDS = fields.copy_columns(fields.PERSON_FIELDS)
_IMPORTED = fields.imported((*fields.HOUSEHOLD_FIELDS, *fields.PERSON_FIELDS))
# A blank cell (an optional field's) keeps what the registry has; the defaults apply to new people only.
KEEP_IF_BLANK = {f.column for f in _IMPORTED if not f.required}
NULLABLE = {f.column for f in _IMPORTED if f.null}  # blank is NULL, not ''
DEFAULTS = {f.column: f.default for f in _IMPORTED if f.default is not None}
ROWS = "import_chunk_row"  # the chunk's rows and their links (temporary table)
AUDIT_COLUMNS = ["at", "actor_id", "action", "object_type", "object_id", "household_id", "changes", "reason"]


def _new_value(field: str, staged_expr: str, old_expr: str) -> str:
    """SQL for the value to write: the staged one, or the old one when the cell was blank."""
    if field not in KEEP_IF_BLANK:
        return staged_expr
    if field in NULLABLE:
        return f"COALESCE({staged_expr}, {old_expr})"
    return f"CASE WHEN {staged_expr} = '' THEN {old_expr} ELSE {staged_expr} END"


def _insert_value(field: str, staged_expr: str) -> str:
    if field in DEFAULTS:
        return f"CASE WHEN {staged_expr} = '' THEN '{DEFAULTS[field]}' ELSE {staged_expr} END"
    return staged_expr


def _differs_sql(field: str, old: str, new: str) -> str:
    """SQL for `_differs`, so that only changed rows leave the database."""
    operator = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    distinct = f"{new} {operator} {old}"
    if field in NULLABLE:
        return f"({new} IS NOT NULL AND {distinct})"
    if field in KEEP_IF_BLANK:
        return f"({new} <> '' AND {distinct})"
    return f"({distinct})"


def _differs(field: str, old, new) -> bool:
    if field in KEEP_IF_BLANK and new in ("", None):
        return False
    return plain(old) != plain(new)  # SQLite reads a date from the temporary table as text


class Chunk:
    def __init__(self, batch: ImportBatch, actor, start: int, stop: int, *, fast_path: bool = True):
        self.batch, self.actor, self.start, self.stop = batch, actor, start, stop
        self.fast_path = fast_path
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.where = "s.batch_id = %s AND s.status = %s AND s.kk_group >= %s AND s.kk_group < %s"
        self.args = [batch.pk, RowStatus.VALID, start, stop]
        self.audit: list[tuple] = []
        self.counts = {"households_created": 0, "households_updated": 0, "people_created": 0, "people_updated": 0}
        self.on_step = None  # called with a step's name after each step of the fast path (first load)
        self.staged = t(StagedRow)  # where the chunk's rows are read: the staging table, or ROWS
        self.rows = 0  # valid rows of the chunk, for the progress bar

    def stepped(self, name: str) -> None:
        if self.on_step:
            self.on_step(name)

    def execute(self, cursor, sql: str, params=()):
        # Identifiers are quoted model metadata; every value is a parameter.
        cursor.execute(sql, list(params))
        return cursor

    def _update_from(self, cursor, target_model, set_sql: str, join: str, extra: str, set_params, extra_params):
        """UPDATE target SET … FROM staged s WHERE join AND chunk (PostgreSQL and SQLite ≥ 3.33)."""
        target = t(target_model)
        sql = f"UPDATE {target} SET {set_sql} FROM {self.staged} s WHERE {join} AND {self.where} {extra}"  # noqa: S608
        return self.execute(cursor, sql, [*set_params, *self.args, *extra_params]).rowcount

    def run(self):
        self.work()
        return self.record()

    def work(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                cursor.execute("SET LOCAL jit = off")  # as in `firstload`: compiling cost more than it saved
            if self.fast_path and not self._any_existing(cursor):
                # Only new households (most chunks of a file of new ones): the fast path reads the
                # staging table itself, whose rows are not linked; nothing to copy.
                self.linked = False
                self.create_new_households(cursor)
                self.rows = self.counts["people_created"]  # every valid row of the chunk
                return
            self.copy_rows(cursor)
            if not self.fast_path:
                self.create_households(cursor)
                self.link_households(cursor)
            self.linked = not self.fast_path or self._any_linked(cursor)
            if self.linked:
                self.update_households(cursor)
                self.link_people(cursor, by_nik=False)
                self.update_people(cursor)
                self.create_people(cursor)
                self.set_heads(cursor)
                self.record_assessments(cursor)
            if self.fast_path:
                self.create_new_households(cursor)
            if self.linked:
                self.keep_pending_links(cursor)
            cursor.execute(f"DROP TABLE {ROWS}")
            self.staged = t(StagedRow)
            bulk_insert(AuditLog, AUDIT_COLUMNS, self.audit)

    def copy_rows(self, cursor):
        """The chunk's valid rows into the temporary table ROWS, each with the id of the household
        carrying its KK number and of that household's member with its NIK, read in the same pass.

        The links are written there, not in the staging table: updating a million wide, WAL-logged
        staging rows cost more than the rest of a no-op re-import. Rows are copied whole so every
        later statement reads them as it would read the staging table."""
        cursor.execute(f"DROP TABLE IF EXISTS {ROWS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {ROWS} AS SELECT * FROM {t(StagedRow)} WHERE 1 = 0")  # noqa: S608
        fields = [f.column for f in StagedRow._meta.concrete_fields if f.column not in ("household_id", "person_id")]
        names = ", ".join(q(f) for f in fields)
        cursor.execute(
            f"INSERT INTO {ROWS} ({names}, household_id, person_id) "  # noqa: S608
            f"SELECT {', '.join(f's.{q(f)}' for f in fields)}, x.id, p.id FROM {t(StagedRow)} s "
            f"LEFT JOIN {t(Household)} x ON x.kk_number = s.kk_number "
            f"LEFT JOIN {t(Person)} p ON p.nik = s.nik AND p.household_id = x.id WHERE {self.where}",
            self.args,
        )
        self.rows = cursor.rowcount
        if connection.vendor == "postgresql":  # temporary tables are never analysed automatically;
            # the columns plans filter and join on with few distinct values (the text ones cost most)
            cursor.execute(f"ANALYZE {ROWS} (first_of_kk, household_id, person_id, relationship)")
        self.staged = ROWS

    def keep_pending_links(self, cursor):
        """Rows of existing households with a possible duplicate keep their person in the staging
        table, for the review queue (`queue_pending_pairs`)."""
        if not PendingPair.objects.filter(batch=self.batch).exists():
            return
        staged, pending = t(StagedRow), t(PendingPair)
        cursor.execute(
            f"UPDATE {staged} SET household_id = r.household_id, person_id = r.person_id FROM {ROWS} r "  # noqa: S608
            f"WHERE r.id = {staged}.id AND r.person_id IS NOT NULL "
            f"AND (r.id IN (SELECT {q('row')} FROM {pending} WHERE batch_id = %s) "
            f"OR r.id IN (SELECT other_row FROM {pending} WHERE batch_id = %s))",
            [self.batch.pk, self.batch.pk],
        )

    def record(self):
        """The chunk's last KK group and its counts on the batch (in the chunk's transaction)."""
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            imported_groups=self.stop - 1, **{key: F(key) + value for key, value in self.counts.items()}
        )
        return self.counts

    def _any_existing(self, cursor) -> bool:
        """Whether any row of the chunk carries the KK number of a household in the registry."""
        sql = (
            f"SELECT 1 FROM {t(StagedRow)} s JOIN {t(Household)} x ON x.kk_number = s.kk_number "  # noqa: S608
            f"WHERE {self.where} LIMIT 1"
        )
        return self.execute(cursor, sql, self.args).fetchone() is not None

    def _any_linked(self, cursor) -> bool:
        """Whether any row of the chunk belongs to a household already in the registry."""
        sql = f"SELECT 1 FROM {self.staged} s WHERE {self.where} AND s.household_id IS NOT NULL LIMIT 1"  # noqa: S608
        return self.execute(cursor, sql, self.args).fetchone() is not None

    def create_new_households(self, cursor, *, formula: bool = False):
        fast = NewHouseholds(
            self,
            formula=formula,
            person_fields=PERSON_FIELDS,
            household_fields=HOUSEHOLD_FIELDS,
            insert_value=_insert_value,
            assessment_select=self.assessment_select,
        )
        households, people = fast.run(cursor)
        self.counts["households_created"] += households
        self.counts["people_created"] += people

    def _link(self, cursor, column: str, source: str, join: str, extra: str = "") -> None:
        """UPDATE staged AS s SET column = x.id FROM source x WHERE join AND chunk (a join, not a subquery)."""
        sql = (
            f"UPDATE {self.staged} AS s SET {column} = x.id FROM {source} x "  # noqa: S608
            f"WHERE {join} AND {self.where} AND s.{column} IS NULL {extra}"
        )
        self.execute(cursor, sql, self.args)

    def link_households(self, cursor):
        """Link rows to their household by KK number and, in the same pass, to the member with their NIK
        (one write of each staged row instead of two)."""
        sql = (
            f"UPDATE {self.staged} AS s SET household_id = x.id, "  # noqa: S608
            f"person_id = (SELECT p.id FROM {t(Person)} p WHERE p.nik = s.nik AND p.household_id = x.id) "
            f"FROM {t(Household)} x WHERE x.kk_number = s.kk_number AND {self.where} AND s.household_id IS NULL"
        )
        self.execute(cursor, sql, self.args)

    def create_households(self, cursor):
        columns = ["kk_number", *HOUSEHOLD_FIELDS, "created_at", "updated_at"]
        values = ["s.kk_number", *(f"s.{f}" for f in HOUSEHOLD_FIELDS), "%s", "%s"]
        sql = (
            f"INSERT INTO {t(Household)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM {self.staged} s "
            f"WHERE {self.where} AND s.first_of_kk AND s.household_id IS NULL RETURNING id, kk_number"
        )
        created = self.execute(cursor, sql, [self.now, self.now, *self.args]).fetchall()
        if not created:
            return
        reason = f"Impor {self.batch.reference}"
        bulk_insert(KKNumber, ["household_id", "number", "valid_from", "valid_to", "reason"],
                    [(hid, kk, self.today, None, reason) for hid, kk in created])  # fmt: skip
        self.audit.extend(
            (self.now, self.actor_id(), Action.CREATE, "registry.household", str(hid), hid,
             json.dumps({"kk_number": [None, kk]}), reason)
            for hid, kk in created
        )  # fmt: skip
        self.counts["households_created"] += len(created)

    def actor_id(self):
        return self.actor.pk if getattr(self.actor, "is_authenticated", False) else None

    def _changed(self, cursor, model, fields, join: str, household: str, extra: str = ""):
        """(id, household id, {field: [old, new]}) for matched registry rows whose staged values differ."""
        old = ", ".join(f"x.{q(f)}" for f in fields)
        new = ", ".join(f"s.{q(f)}" for f in fields)
        sql = (
            f"SELECT x.id, {household}, {old}, {new} FROM {self.staged} s JOIN {t(model)} x ON {join} "  # noqa: S608
            f"WHERE {self.where} {extra} AND ({' OR '.join(_differs_sql(f, f'x.{q(f)}', f's.{q(f)}') for f in fields)})"
        )
        n = len(fields)
        for row in self.execute(cursor, sql, self.args).fetchall():
            olds, news = row[2 : 2 + n], row[2 + n :]
            changes = {f: [plain(o), plain(v)] for f, o, v in zip(fields, olds, news, strict=True) if _differs(f, o, v)}
            if changes:
                yield row[0], row[1], changes

    def update_households(self, cursor):
        changed = list(
            self._changed(
                cursor,
                Household,
                HOUSEHOLD_FIELDS,
                "x.kk_number = s.kk_number",
                "x.id",
                "AND s.first_of_kk",
            )
        )
        self._apply(
            cursor, Household, HOUSEHOLD_FIELDS, changed, f"{t(Household)}.kk_number = s.kk_number AND s.first_of_kk"
        )
        self.counts["households_updated"] += len(changed)

    def _apply(self, cursor, model, fields, changed, join):
        if not changed:
            return
        table = t(model)
        set_sql = (
            ", ".join(f"{q(f)} = {_new_value(f, f's.{q(f)}', f'{table}.{q(f)}')}" for f in fields) + ", updated_at = %s"
        )
        ids = [row[0] for row in changed]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(part))
            self._update_from(cursor, model, set_sql, join, f"AND {table}.id IN ({marks})", [self.now], part)
        label = model._meta.label_lower
        reason = f"Impor {self.batch.reference}"
        self.audit.extend(
            (self.now, self.actor_id(), Action.UPDATE, label, str(pk), hid, json.dumps(changes), reason)
            for pk, hid, changes in changed
        )

    def link_people(self, cursor, *, by_nik: bool = True):
        """Link rows to their person: by NIK (rows were linked so when copied; again after
        create_people), then people without NIK by name and birth date within the household."""
        person = t(Person)
        if by_nik:
            self._link(cursor, "person_id", person, "x.nik = s.nik AND x.household_id = s.household_id")
        self._link(
            cursor,
            "person_id",
            person,
            "x.household_id = s.household_id AND x.name = s.name AND x.birth_date = s.birth_date "
            "AND (x.nik IS NULL OR s.nik IS NULL)",
        )

    def update_people(self, cursor):
        changed = list(self._changed(cursor, Person, PERSON_FIELDS, "x.id = s.person_id", "x.household_id"))
        self._apply(cursor, Person, PERSON_FIELDS, changed, f"{t(Person)}.id = s.person_id")
        moved = [pk for pk, _hid, changes in changed if "relationship" in changes]
        for start in range(0, len(moved), 500):
            part = moved[start : start + 500]
            Membership.objects.filter(person_id__in=part, end__isnull=True).update(end=self.today)
            sql = (
                f"INSERT INTO {t(Membership)} (person_id, household_id, relationship, start, {q('end')}, reason) "  # noqa: S608
                f"SELECT id, household_id, relationship, %s, NULL, %s FROM {t(Person)} "
                f"WHERE id IN ({', '.join(['%s'] * len(part))})"
            )
            self.execute(cursor, sql, [self.today, f"Impor {self.batch.reference}", *part])
        self.counts["people_updated"] += len(changed)

    def create_people(self, cursor):
        columns = [*PERSON_FIELDS, "household_id", "created_at", "updated_at"]
        values = [_insert_value(f, f"s.{q(f)}") for f in PERSON_FIELDS]
        sql = (
            f"INSERT INTO {t(Person)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
            f"SELECT {', '.join(values)}, s.household_id, %s, %s FROM {self.staged} s "
            f"WHERE {self.where} AND s.person_id IS NULL AND s.household_id IS NOT NULL"
        )
        created = self.execute(cursor, sql, [self.now, self.now, *self.args]).rowcount
        if not created:
            return
        self.link_people(cursor)
        sql = (
            f"INSERT INTO {t(Membership)} (person_id, household_id, relationship, start, {q('end')}, reason) "  # noqa: S608
            f"SELECT s.person_id, s.household_id, s.relationship, %s, NULL, %s FROM {self.staged} s "
            f"WHERE {self.where} AND NOT EXISTS (SELECT 1 FROM {t(Membership)} m WHERE m.person_id = s.person_id)"
        )
        self.execute(cursor, sql, [self.today, f"Impor {self.batch.reference}", *self.args])
        self.counts["people_created"] += created

    def set_heads(self, cursor):
        household = t(Household)
        # Joined on the KK number (unique index), not on s.household_id: the staging table's
        # statistics were taken before household_id was filled in, and PostgreSQL would plan for none.
        join = f"s.kk_number = {household}.kk_number AND s.relationship = '{c.Relationship.HEAD}'"
        self._update_from(cursor, Household, "head_id = s.person_id", join, f"AND {household}.head_id IS NULL", [], [])

    def assessment_select(self, household: str) -> tuple[str, str, list]:
        """Columns, and SELECT … (without FROM) over staged rows `s`, of a DTSEN assessment per household."""
        # The dated thresholds in force on the assessment date, as registry.poverty.classify_desil reads them.
        poor = parameters.value("dtsen_poor_desil_max", self.today)
        vulnerable = parameters.value("dtsen_vulnerable_desil_max", self.today)
        columns = ["household_id", "method", "desil", "answers", "score", "result", "source", "assessed_on",
                   "is_valid", "invalidated_reason", "created_at"]  # fmt: skip
        select = (
            f"SELECT {household}, %s, s.desil, '{{}}', s.desil, "
            "CASE WHEN s.desil <= %s THEN %s WHEN s.desil <= %s THEN %s ELSE %s END, %s, %s, %s, '', %s"
        )
        params = [
            c.AssessmentMethod.DTSEN, poor, c.PovertyResult.POOR, vulnerable, c.PovertyResult.VULNERABLE,
            c.PovertyResult.NOT_POOR, self.batch.source, self.today, True, self.now,
        ]  # fmt: skip
        return ", ".join(q(name) for name in columns), select, params

    def record_assessments(self, cursor):
        columns, select, params = self.assessment_select("s.household_id")
        sql = (
            f"INSERT INTO {t(PovertyAssessment)} ({columns}) {select} "  # noqa: S608
            f"FROM {self.staged} s WHERE {self.where} AND s.first_of_kk AND s.desil IS NOT NULL "
            "AND s.household_id IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {t(PovertyAssessment)} a WHERE a.household_id = s.household_id "
            f"AND a.method = %s AND a.desil = s.desil AND a.source = %s AND a.is_valid)"
        )
        self.execute(cursor, sql, [*params, *self.args, c.AssessmentMethod.DTSEN, self.batch.source])


def import_batch(batch: ImportBatch, *, actor=None, progress=True, fast_path=True, first_load=True) -> ImportBatch:
    """importing → imported: every valid row in, in chunks of IMPORT_CHUNK_HOUSEHOLDS KK groups, or
    into an empty PostgreSQL registry in one transaction with its indexes built afterwards
    (`firstload`).

    `fast_path=False` sends new households through the general path too, `first_load=False` keeps
    an empty registry on the chunked path (the tests compare them).
    """
    batch.refresh_from_db()
    last = StagedRow.objects.filter(batch=batch).order_by("-kk_group").values_list("kk_group", flat=True).first() or 0
    size = settings.IMPORT_CHUNK_HOUSEHOLDS
    if fast_path and first_load:
        stop = 1 + size * -(-last // size)  # where the last chunk would end: the same imported_groups
        if firstload.load(batch, Chunk(batch, actor or batch.decided_by, 1, stop), progress=progress):
            return _finish(batch)
    valid = StagedRow.objects.filter(batch=batch, status=RowStatus.VALID)
    done = valid.filter(kk_group__lte=batch.imported_groups).count()
    for number, start in enumerate(range(batch.imported_groups + 1, last + 1, size)):
        chunk = Chunk(batch, actor or batch.decided_by, start, start + size, fast_path=fast_path)
        with transaction.atomic():
            chunk.run()
        if number == 0 and chunk.linked:
            _refresh_statistics()
        if progress:
            done += chunk.rows  # the chunk's valid rows, counted when copied
            ImportBatch.objects.filter(pk=batch.pk).update(
                progress_done=done, progress_total=batch.valid_rows, heartbeat=timezone.now()
            )
    return _finish(batch)


def _finish(batch: ImportBatch) -> ImportBatch:
    batch.refresh_from_db()
    unchanged = max(0, batch.valid_rows - batch.people_created - batch.people_updated)
    queue_pending_pairs(batch)
    with transaction.atomic():
        # Households gained, moved or re-assessed people: their kept status is recomputed, set-based,
        # and the batch is marked imported in the same transaction (a resumed import does it again).
        status.refresh_all()
        if batch.households_created or batch.households_updated:
            counts_changed()
        return workflow.move(batch, "imported", unchanged_rows=unchanged, progress_done=batch.valid_rows)


def _refresh_statistics() -> None:
    """After a first chunk that took the general path: the registry may have grown from nothing;
    stale statistics make PostgreSQL plan nested loops. (The fast path joins on reserved ids and
    needs none.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in firstload.REGISTRY:
            cursor.execute(f"ANALYZE {t(model)}")


def queue_pending_pairs(batch: ImportBatch) -> int:
    """Possible duplicates found while validating become review-queue pairs of registry people."""
    pending = list(
        PendingPair.objects.filter(batch=batch).values_list("row", "other_row", "other_person", "score", "reasons")
    )
    if not pending:
        return 0
    rows = {r for p in pending for r in (p[0], p[1]) if r}
    person_of = dict(StagedRow.objects.filter(pk__in=rows, person_id__isnull=False).values_list("id", "person_id"))
    pairs = []
    for row, other_row, other_person, score, reasons in pending:
        a, b = person_of.get(row), person_of.get(other_row) if other_row else other_person
        if a and b and a != b:
            pairs.append((min(a, b), max(a, b), score, reasons))
    desa = dict(
        Person.objects.filter(pk__in={x for p in pairs for x in p[:2]}, household__isnull=False).values_list(
            "id", "household__desa_id"
        )
    )
    objects = [
        DuplicatePair(person_a_id=a, person_b_id=b, desa_a_id=desa[a], desa_b_id=desa[b], score=score,
                      level="possible", reasons=reasons, batch=batch)
        for a, b, score, reasons in pairs
        if a in desa and b in desa
    ]  # fmt: skip
    DuplicatePair.objects.bulk_create(objects, ignore_conflicts=True, batch_size=2000)
    return len(objects)
