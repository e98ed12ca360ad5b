"""The audit log and the events are hash-chained: a row edited, deleted or moved in the database,
bypassing the application, is named by `satupintu verify-audit`; PostgreSQL refuses the change."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from satupintu.audit import chain, log
from satupintu.audit.models import Action, AuditLog
from satupintu.cases.models import Event
from satupintu.demo.accounts import ensure_demo_users
from satupintu.demo.cases import ensure_demo_cases
from satupintu.demo.sample import sample_rows
from satupintu.lib.bulk import bulk_insert, q, t
from tests.conftest import KEDEN, TROBAYAN, household_in, mark_poor
from tests.imports.helpers import imported
from tests.threads import at_once

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


def audit_rows(n, **extra):
    return [
        AuditLog.objects.create(
            action=Action.VIEW,
            object_type="registry.household",
            object_id=str(i),
            household_id=i,
            changes={"nik": [None, f"33140101010100{i:02d}"], "at": dt.date(2026, 1, 2).isoformat()},
            reason=f"baca {i}",
            **extra,
        )
        for i in range(n)
    ]


def verify_audit() -> str:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return out.getvalue() + f"ERROR {error}"
    return out.getvalue()


def raw(sql, params=()):
    """An attacker with the database's superuser password: on PostgreSQL triggers are switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.mark.django_db
def test_it_reports_every_chain_intact_after_ordinary_writes(operator_keden):
    audit_rows(3, actor=operator_keden)
    output = verify_audit()
    assert "audit_auditlog: 3 rows, intact" in output
    assert "cases_event: 0 rows, intact" in output
    assert "ERROR" not in output


@pytest.mark.django_db
def test_it_names_a_row_whose_content_was_edited():
    rows = audit_rows(4)
    raw(f"UPDATE {t(AuditLog)} SET reason = %s WHERE id = %s", ["dihapus", rows[2].pk])  # noqa: S608
    output = verify_audit()
    assert f"audit_auditlog: broken at id {rows[2].pk}: content changed" in output
    assert "ERROR hash chain broken: audit_auditlog" in output


@pytest.mark.django_db
def test_it_names_the_row_after_a_deleted_one():
    rows = audit_rows(4)
    raw(f"DELETE FROM {t(AuditLog)} WHERE id = %s", [rows[1].pk])  # noqa: S608
    assert f"broken at id {rows[2].pk}: rows before it are missing" in verify_audit()


@pytest.mark.django_db
def test_it_notices_that_the_last_rows_were_deleted():
    rows = audit_rows(4)
    raw(f"DELETE FROM {t(AuditLog)} WHERE id >= %s", [rows[2].pk])  # noqa: S608
    assert f"broken at id {rows[1].pk}: rows after it are missing" in verify_audit()


@pytest.mark.django_db
def test_it_names_rows_whose_contents_were_swapped():
    rows = audit_rows(4)
    content = [q(name) for name in chain.content_fields(AuditLog)]
    first, second = rows[1].pk, rows[2].pk
    raw(
        f"UPDATE {t(AuditLog)} SET ({', '.join(content)}) = "  # noqa: S608
        f"(SELECT {', '.join(content)} FROM {t(AuditLog)} WHERE id = %s) WHERE id = %s",
        [second, first],
    )
    assert f"broken at id {first}: content changed" in verify_audit()


@pytest.mark.django_db
def test_it_names_a_row_inserted_outside_the_chain():
    audit_rows(2)
    raw(
        f"INSERT INTO {t(AuditLog)} (at, action, object_type, object_id, changes, reason) "  # noqa: S608
        "VALUES (%s, 'view', 'x', '1', '{}', '')",
        ["2026-01-01 00:00:00+00:00"],
    )
    forged = AuditLog.objects.filter(seq__isnull=True).get()
    assert f"broken at id {forged.pk}: not in the chain" in verify_audit()


@pytest.mark.django_db
def test_rows_written_in_bulk_join_the_chain_after_rows_written_one_by_one():
    audit_rows(2)
    columns = ["at", "action", "object_type", "object_id", "household_id", "changes", "reason"]
    with transaction.atomic():
        bulk_insert(
            AuditLog,
            columns,
            [(dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "create", "registry.household", str(i), i, '{"a": 1.5}', "")
             for i in range(5)],
        )  # fmt: skip
    audit_rows(1)
    assert list(AuditLog.objects.order_by("id").values_list("seq", flat=True)) == list(range(1, 9))
    assert "audit_auditlog: 8 rows, intact" in verify_audit()


@pytest.mark.parametrize("fast_path", [True, False])
def test_an_import_chains_the_audit_rows_and_events_it_writes_set_by_set(regions, fast_path):
    imported(list(sample_rows(12, desa_codes=[KEDEN, TROBAYAN])), fuzzy=False, fast_path=fast_path)
    output = verify_audit()
    assert AuditLog.objects.filter(action=Action.CREATE, object_type="registry.household").count() == 12
    assert "audit_auditlog: " in output and "imports_importevent: " in output
    assert "ERROR" not in output


@pytest.mark.django_db
def test_an_audit_row_refuses_to_be_saved_again_or_deleted():
    row = log.record(actor=None, action=Action.VIEW, instance=audit_rows(1)[0])
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()


@postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET reason = 'x' WHERE id = %s", "DELETE FROM {table} WHERE id = %s"]
)
def test_postgresql_refuses_to_change_or_delete_a_chained_row(statement):
    row = audit_rows(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(statement.format(table=t(AuditLog)), [row.pk])


@postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_never_fork_the_chain():
    errors = []

    def write():
        try:
            for _ in range(10):
                with transaction.atomic():
                    audit_rows(2)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    at_once(write)
    assert errors == []
    assert sorted(AuditLog.objects.values_list("seq", flat=True)) == list(range(1, 81))
    assert "audit_auditlog: 80 rows, intact" in verify_audit()


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_reading_recorded_outside_a_transaction_is_one_statement_and_concurrent_ones_keep_the_chain():
    from django.test.utils import CaptureQueriesContext

    audit_rows(1)  # the stream's head exists
    with CaptureQueriesContext(connection) as queries:
        audit_rows(1)
    assert [q["sql"].split()[0] for q in queries] == ["WITH"]  # no BEGIN, no COMMIT: the statement commits
    errors = []

    def read():
        try:
            for _ in range(10):
                audit_rows(1)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    at_once(read)
    assert errors == []
    count = AuditLog.objects.count()
    assert sorted(AuditLog.objects.values_list("seq", flat=True)) == list(range(1, count + 1))
    assert f"audit_auditlog: {count} rows, intact" in verify_audit()


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_text_the_database_would_read_otherwise_is_chained_as_python_hashes_it(monkeypatch):
    audit_rows(1)
    monkeypatch.setattr(chain, "text_digest", lambda text: "0" * 64)  # the database sees other bytes
    audit_rows(1)
    assert AuditLog.objects.count() == 2
    assert "audit_auditlog: 2 rows, intact" in verify_audit()


@pytest.mark.django_db
def test_the_demo_cases_moved_into_the_past_keep_their_events_chained(regions):
    ensure_demo_users()
    for i in range(14):
        mark_poor(household_in(TROBAYAN, f"Miskin {i}"))
    for i in range(2):
        household_in(KEDEN, f"Keden {i}")
    assert ensure_demo_cases()
    assert Event.objects.filter(at__lt=timezone.now() - dt.timedelta(days=5)).exists()
    output = verify_audit()
    assert "ERROR" not in output and "cases_event: 0 rows" not in output


@pytest.mark.django_db
def test_a_long_reason_is_kept_whole_in_the_chained_audit_log():
    # Officers' reasons (a recusal, an appointment, a queue exception) have no length limit.
    reason = "Alasan panjang. " * 80
    row = log.record(actor=None, action=log.Action.UPDATE, instance=AuditLog(pk=1), reason=reason)
    assert AuditLog.objects.get(pk=row.pk).reason == reason
    assert "ERROR" not in verify_audit()
