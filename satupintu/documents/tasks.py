"""Batch card printing as a queued job (ops/jobs.py): the page queues it, the task cluster renders the
sheets and keeps the PDF for the requester and the desa's document managers to download."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import DOCUMENT_MANAGE
from satupintu.audit import log
from satupintu.ops.jobs import JobRefused, job_create
from satupintu.ops.models import Job
from satupintu.regions.models import Region

from . import selectors

MAX_BATCH = 2000


def batch_refusal(user, *, desa_code: str, kind: str) -> str:
    """Why these cards cannot be printed in one batch, or "" when they can."""
    count = selectors.cards_for_print(user, desa_code=desa_code, kind=kind, today=timezone.localdate()).count()
    if not count:
        return _("Tidak ada kartu berlaku untuk desa ini.")
    if count > MAX_BATCH:
        return _("Terlalu banyak kartu untuk sekali cetak (maksimal %(n)d).") % {"n": MAX_BATCH}
    return ""


def card_batch_queue(*, actor, desa_code: str, kind: str) -> Job:
    return job_create(
        actor=actor,
        kind=Job.Kind.CARD_BATCH,
        work="satupintu.documents.tasks.print_cards",
        parameters={"desa": desa_code, "kind": kind},
        permission=DOCUMENT_MANAGE,
        area=desa_code,
    )


def print_cards(job: Job, progress) -> tuple[str, bytes]:
    """The requester's valid cards of the desa, as they are when the job runs, on A4 sheets."""
    actor, desa_code, kind = job.requested_by, job.parameters["desa"], job.parameters["kind"]
    refusal = batch_refusal(actor, desa_code=desa_code, kind=kind)
    if refusal:
        raise JobRefused(refusal)
    cards = list(selectors.cards_for_print(actor, desa_code=desa_code, kind=kind, today=timezone.localdate()))
    region = Region.objects.get(code=desa_code)
    from .render_card import render_sheets  # reportlab: loaded on the first print

    progress(0, len(cards))
    pdf = render_sheets([card.content for card in cards], f"{kind} {region.name}", progress)
    log.record(
        actor=actor,
        action=log.Action.VIEW,
        instance=region,
        changes={"print": [kind, [card.number for card in cards]]},
        reason=_("Cetak kartu"),
    )
    return f"kartu-{kind}-{slugify(region.name)}.pdf", pdf
