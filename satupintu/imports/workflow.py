"""The one transition table of an import batch, and the function that applies it.

A transition moves a batch only if it still holds the source state (a conditional UPDATE), so two
workers never run one batch twice; every move appends an ImportEvent.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.accounts.permissions import IMPORT_APPROVE, has

from .models import ImportBatch, ImportEvent, State


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    approver_only: bool = False


TRANSITIONS = {
    "validate": Transition((State.UPLOADED,), State.VALIDATING),
    "validated": Transition((State.VALIDATING,), State.VALIDATED),
    "approve": Transition((State.VALIDATED,), State.IMPORTING, approver_only=True),
    "reject": Transition((State.VALIDATED,), State.REJECTED, approver_only=True),
    "imported": Transition((State.IMPORTING,), State.IMPORTED),
    "fail": Transition((State.VALIDATING, State.IMPORTING), State.FAILED),
}


class TransitionRefused(Exception):
    pass


def refusal(batch: ImportBatch, name: str, actor, *, command_line: bool = False) -> str | None:
    """Why this transition may not happen now (None when it may).

    `command_line`: the server's operator running `import-registry` approves their own file.
    """
    transition = TRANSITIONS[name]
    if batch.state not in transition.sources:
        return _("Batch berstatus %(state)s; tindakan ini tidak berlaku.") % {"state": batch.get_state_display()}
    if transition.approver_only and not command_line and not has(actor, IMPORT_APPROVE):
        return _("Hanya kepala UPT-PK atau admin yang dapat menyetujui atau menolak impor.")
    return None


@transaction.atomic
def move(
    batch: ImportBatch, name: str, *, actor=None, reason: str = "", command_line: bool = False, **fields
) -> ImportBatch:
    problem = refusal(batch, name, actor, command_line=command_line)
    if problem:
        raise TransitionRefused(problem)
    transition = TRANSITIONS[name]
    source = batch.state
    if transition.approver_only:
        fields["decided_by"] = actor if getattr(actor, "is_authenticated", False) else None
    # An approved batch waits, unclaimed (no heartbeat), for a worker; other moves are made by one.
    fields.setdefault("heartbeat", None if transition.target == State.IMPORTING else timezone.now())
    updated = ImportBatch.objects.filter(pk=batch.pk, state=source).update(
        state=transition.target, reason=reason[:500], **fields
    )
    if not updated:
        raise TransitionRefused(_("Batch sudah diubah oleh proses lain; muat ulang halaman."))
    ImportEvent.objects.create(
        batch=batch,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=source,
        to_state=transition.target,
        reason=reason[:500],
    )
    batch.refresh_from_db()
    return batch
