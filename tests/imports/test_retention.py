"""Import files and their row copies are deleted once a final batch is past the retention period."""

import datetime as dt
import os

import time_machine
from django.core.management import call_command

from satupintu.audit.models import AuditLog
from satupintu.imports import workflow
from satupintu.imports.models import ImportBatch, PendingPair, RowError, StagedRow
from satupintu.imports.retention import forget_import_files
from satupintu.registry.models import Person

from .helpers import HEAD, SPOUSE, imported, validated
from .test_vectorised import family

T0 = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(days=91)


def a_batch_with_everything(regions):
    """An imported batch with a pending possible-duplicate pair and a row error quoting a value."""
    with time_machine.travel(T0, tick=False):
        rows = [*family(1), *family(2), *family(3), {**HEAD, "no_kk": "3314010403190009", "nik": "12"}]
        batch = imported(rows)
    PendingPair.objects.create(batch=batch, row=1, other_row=2, score=70, reasons=["uji"])
    return batch


def test_a_final_batch_past_retention_loses_its_file_and_row_copies_but_not_its_record(
    regions, django_capture_on_commit_callbacks
):
    batch = a_batch_with_everything(regions)
    path = batch.file.path
    assert StagedRow.objects.filter(batch=batch).count() == 7
    assert RowError.objects.filter(batch=batch).exclude(value="").exists()
    people = Person.objects.count()

    assert forget_import_files(now=T0 + dt.timedelta(days=89)) == 0  # not yet
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):  # the file is deleted once the change commits
        assert forget_import_files(now=LATER) == 1
    batch.refresh_from_db()
    assert batch.forgotten_at == LATER and not batch.file
    assert not StagedRow.objects.filter(batch=batch).exists()
    assert not PendingPair.objects.filter(batch=batch).exists()
    errors = RowError.objects.filter(batch=batch)
    assert errors.exists() and not errors.exclude(value="").exists()  # where and what, not the value
    assert (batch.state, batch.total_rows, batch.people_created) == ("imported", 7, 6)
    assert batch.events.count() >= 3
    assert Person.objects.count() == people  # the registry keeps what was imported
    audit = AuditLog.objects.get(object_type="imports.importbatch", object_id=str(batch.pk))
    assert audit.action == "delete" and audit.changes["staged_rows"] == 7 and audit.changes["file"] is True
    assert "Retensi 90 hari" in audit.reason
    assert not os.path.exists(path)
    assert forget_import_files(now=LATER + dt.timedelta(days=1)) == 0  # done once


def test_batches_still_in_use_or_recently_final_are_kept(regions, kepala):
    with time_machine.travel(T0, tick=False):
        waiting = validated([HEAD, SPOUSE])  # validated, waiting for approval: not final
        rejected = validated([{**HEAD, "no_kk": "3314010403190003", "nik": "3314011205750003"}])
    assert waiting.state == "validated"
    with time_machine.travel(LATER - dt.timedelta(days=10), tick=False):
        workflow.move(rejected, "reject", actor=kepala, reason="uji")  # final only 10 days before LATER
    assert forget_import_files(now=LATER) == 0
    assert StagedRow.objects.filter(batch__in=[waiting, rejected]).count() == 3
    assert forget_import_files(now=LATER + dt.timedelta(days=81)) == 1  # the rejected one, 91 days on
    assert ImportBatch.objects.get(pk=waiting.pk).forgotten_at is None


def test_the_batch_page_says_the_file_was_deleted_and_the_command_reports(regions, client, kepala, capsys):
    batch = a_batch_with_everything(regions)
    with time_machine.travel(LATER, tick=False):
        call_command("forget_import_files")
    assert "forgotten: 1" in capsys.readouterr().out
    client.force_login(kepala)
    page = client.get(f"/impor/{batch.pk}/")
    assert page.status_code == 200
    assert "Berkas dan salinan barisnya dihapus pada 31-08-2026 (retensi 90 hari" in page.content.decode()
