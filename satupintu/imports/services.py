"""Entry points used by the commands, the views and the queued task: create, run and decide batches."""

import hashlib
import logging

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import workflow
from .loader import import_batch
from .models import ImportBatch, ImportEvent, State
from .pipeline import validate_batch

logger = logging.getLogger(__name__)


def _sha256(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(2**20), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


@transaction.atomic
def batch_create(*, actor, upload, name: str, source: str = "desa") -> ImportBatch:
    """Store the uploaded file and record the batch as uploaded."""
    sha, size = _sha256(upload)
    region = getattr(actor, "region", None) if getattr(actor, "is_authenticated", False) else None
    batch = ImportBatch.objects.create(
        original_name=name[:200],
        sha256=sha,
        size=size,
        source=(source or "desa")[:40],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        region=region,
    )
    batch.file.save(f"{batch.pk:05d}-{sha[:12]}{'.xlsx' if name.lower().endswith('.xlsx') else '.csv'}", File(upload))
    ImportEvent.objects.create(batch=batch, actor=batch.uploaded_by, to_state=State.UPLOADED)
    return batch


def advance(batch: ImportBatch) -> ImportBatch:
    """Take the batch one step: validate an uploaded one, import an approved one. A batch a run left
    validating is validated again; one left importing resumes at its first chunk not yet loaded."""
    if batch.state == State.UPLOADED:
        batch = workflow.move(batch, "validate")
        return validate_batch(batch)
    if batch.state == State.VALIDATING:
        return validate_batch(batch)
    if batch.state == State.IMPORTING:
        return import_batch(batch)
    return batch


def fail_batch(batch: ImportBatch, error: BaseException) -> ImportBatch:
    """Mark an active batch failed with the error as its reason (the page shows it)."""
    batch.refresh_from_db()
    if batch.state in workflow.TRANSITIONS["fail"].sources:
        return workflow.move(batch, "fail", reason=f"Kesalahan sistem: {str(error)[:300]}")
    return batch


def run_batch(batch: ImportBatch) -> ImportBatch:
    """One step by hand (`satupintu run-imports`): an error fails the batch at once."""
    try:
        return advance(batch)
    except Exception as exc:
        logger.exception("import batch %s failed", batch.pk)
        failed = fail_batch(batch, exc)
        if failed.state != State.FAILED:
            raise
        return failed


def next_batch() -> ImportBatch | None:
    """Claim work: an uploaded or approved batch, or an active one whose worker stopped beating."""
    stale = timezone.now() - timezone.timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    candidates = ImportBatch.objects.filter(
        Q(state=State.UPLOADED)
        | Q(state__in=(State.VALIDATING, State.IMPORTING), heartbeat__lt=stale)
        | Q(state=State.IMPORTING, heartbeat__isnull=True)
    ).order_by("created_at", "id")
    for batch in candidates[:5]:
        # Touch the heartbeat only if nobody else did since we read it: a cheap claim that works
        # on SQLite too (no SKIP LOCKED there).
        claimed = ImportBatch.objects.filter(pk=batch.pk, state=batch.state, heartbeat=batch.heartbeat).update(
            heartbeat=timezone.now()
        )
        if claimed:
            batch.refresh_from_db()
            return batch
    return None


def approved_batch(batch: ImportBatch, actor) -> ImportBatch:
    return workflow.move(batch, "approve", actor=actor)
