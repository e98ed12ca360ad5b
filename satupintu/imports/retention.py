"""Retention of import files and their working copies (UU 27/2022: keep personal data no longer
than its purpose needs).

An uploaded file is a desa's or a whole regency's personal data (NIK, health insurance,
disability, children), and validating it keeps a normalised copy of every row (staged rows) and
quotes the bad cells (row errors). Once a batch is final — imported, rejected or failed — and
`IMPORT_RETENTION_DAYS` have passed since that last state change, these have done their work: the
registry holds what was imported, with its own history and audit rows. `forget_import_files`
then deletes the stored file, the staged rows and the possible-duplicate pairs still pending, and
blanks the quoted values of the row errors (row, column and message stay, so the error report
still says what was wrong where). The batch itself, its counters and its state history stay for
good, and each forgotten batch gets an audit row.

It also keeps the staging table from growing with every import ever made: the set-based checks
scan it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from satupintu.audit.models import Action, AuditLog

from .models import FINAL_STATES, ImportBatch, PendingPair, RowError, StagedRow


def due(now: dt.datetime | None = None):
    """Final batches whose last state change is older than the retention period, not yet forgotten."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    return (
        ImportBatch.objects.filter(state__in=FINAL_STATES, forgotten_at__isnull=True)
        .annotate(final_at=Max("events__at"))
        .filter(final_at__lt=cutoff)
        .order_by("id")
    )


def forget_batch(batch: ImportBatch, *, now: dt.datetime | None = None) -> dict:
    """Delete one final batch's file, staged rows and pending pairs and blank its error values, in
    one transaction under the batch's row lock; {} when it was forgotten already."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.forgotten_at is not None or batch.state not in FINAL_STATES:
            return {}
        rows = StagedRow.objects.filter(batch=batch).delete()[0]  # one DELETE: nothing refers to staged rows
        pairs = PendingPair.objects.filter(batch=batch).delete()[0]
        values = RowError.objects.filter(batch=batch).exclude(value="").update(value="")
        name = batch.file.name
        ImportBatch.objects.filter(pk=batch.pk).update(forgotten_at=now, file="")
        facts = {"staged_rows": rows, "pending_pairs": pairs, "error_values": values, "file": bool(name)}
        AuditLog.objects.create(
            actor=None,
            action=Action.DELETE,
            object_type="imports.importbatch",
            object_id=str(batch.pk),
            changes=facts,
            reason=f"Retensi {settings.IMPORT_RETENTION_DAYS} hari: berkas impor {batch.reference} dan salinan "
            "barisnya dihapus",
        )
        if name:  # the file goes once the database has recorded it
            transaction.on_commit(lambda: batch.file.storage.delete(name))
    return facts


def forget_import_files(*, now: dt.datetime | None = None) -> int:
    """Forget every batch that is due; returns how many. Safe to run again and from several
    workers at once (a forgotten batch is not selected twice; each is decided under its row lock)."""
    count = 0
    for batch in due(now):
        if forget_batch(batch, now=now):
            count += 1
    return count
