"""The import's queued work: uploading or approving a batch queues `run_import`, which
`satupintu qcluster` runs (docs/operations.md, Background work).

A run that raises queues the next run at once, up to IMPORT_TASK_ATTEMPTS runs in all (a batch left
validating is validated again, one left importing resumes at its first chunk not yet loaded); after
the last one the batch fails with the error as its reason. Every failed run stays in the admin's
failed tasks.

A run whose worker is killed (the machine or its cluster dies) raises nothing: a Redis queue has
already handed its task out and loses it, the database queue hands it out again only after Q_RETRY
seconds. The `resume-imports` schedule queues such a batch again once its heartbeat is older than
IMPORT_STALE_SECONDS.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.exceptions import TimeoutException
from django_q.tasks import async_task

from .models import ImportBatch, State
from .services import advance, fail_batch

logger = logging.getLogger(__name__)


def enqueue_import(batch: ImportBatch, *, attempt: int = 1) -> None:
    """Queue the batch's next step once the current transaction has committed."""
    name = f"impor-{batch.reference}-{attempt}"
    transaction.on_commit(lambda: async_task(run_import, batch.pk, attempt, task_name=name, group="impor"))


def run_import(batch_id: int, attempt: int = 1) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        batch = advance(batch)
    except (Exception, TimeoutException) as exc:
        logger.exception("import batch %s: run %s of %s failed", batch_id, attempt, settings.IMPORT_TASK_ATTEMPTS)
        if attempt < settings.IMPORT_TASK_ATTEMPTS:
            enqueue_import(batch, attempt=attempt + 1)
        else:
            fail_batch(batch, exc)
        raise
    return f"{batch.reference}: {batch.state}"


def resume_stalled() -> list[str]:
    """Queue again each validating or importing batch whose worker stopped beating; the batches'
    references. The heartbeat is touched in the same update that claims the batch, so another
    cluster's scheduler, or the next tick, does not queue it twice."""
    stale = timezone.now() - timezone.timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    resumed = []
    stalled = ImportBatch.objects.filter(state__in=(State.VALIDATING, State.IMPORTING), heartbeat__lt=stale)
    for batch in stalled.order_by("id"):
        with transaction.atomic():
            claimed = ImportBatch.objects.filter(pk=batch.pk, state=batch.state, heartbeat=batch.heartbeat)
            if claimed.update(heartbeat=timezone.now()):
                logger.warning("import batch %s: no heartbeat since %s, queued again", batch.pk, batch.heartbeat)
                enqueue_import(batch)
                resumed.append(batch.reference)
    return resumed
