"""The one transition table of an import batch, and the function that applies it.

A transition moves a batch only if it still holds the source state (a conditional UPDATE), so two
workers never run one batch twice; every move appends an ImportEvent.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.permissions import IMPORT_APPROVE, has, roles_with
from satupintu.lib.transitions import Machine, Refused, Texts, Transition

from .models import ImportBatch, ImportEvent, State

# Whoever runs `import-registry` on the server approves their own file.
SERVER_OPERATOR = object()


def _may(actor, capability: str) -> bool:
    return actor is SERVER_OPERATOR or has(actor, capability)


MACHINE = Machine(
    [
        Transition("validate", _("Validasi"), frozenset({State.UPLOADED}), State.VALIDATING),
        Transition("validated", _("Selesai divalidasi"), frozenset({State.VALIDATING}), State.VALIDATED),
        Transition("approve", _("Setujui impor"), frozenset({State.VALIDATED}), State.IMPORTING, IMPORT_APPROVE),
        Transition("reject", _("Tolak impor"), frozenset({State.VALIDATED}), State.REJECTED, IMPORT_APPROVE),
        Transition("imported", _("Selesai diimpor"), frozenset({State.IMPORTING}), State.IMPORTED),
        Transition("fail", _("Gagal"), frozenset({State.VALIDATING, State.IMPORTING}), State.FAILED),
    ],
    state=lambda batch: batch.state,
    may=_may,
    texts=Texts(
        wrong_state=lambda batch: (
            gettext("Batch berstatus %(state)s; tindakan ini tidak berlaku.") % {"state": batch.get_state_display()}
        ),
        not_allowed=lambda transition: gettext(
            "Hanya kepala UPT-PK atau admin yang dapat menyetujui atau menolak impor."
        ),
    ),
)
TRANSITIONS = MACHINE.transitions


def as_markdown() -> str:
    """The table as Markdown (docs/imports.md embeds it; tests/test_workflow_docs.py keeps them equal)."""
    return MACHINE.as_markdown(who=lambda capability: ", ".join(sorted(roles_with(capability))), states=State.values)


def as_mermaid() -> str:
    return MACHINE.as_mermaid(
        starts=[("uploaded", "upload or import-registry")], ends=["imported", "rejected", "failed"]
    )


class TransitionRefused(Refused):
    """A refused move of an import batch."""


@transaction.atomic
def move(
    batch: ImportBatch, name: str, *, actor=None, reason: str = "", command_line: bool = False, **fields
) -> ImportBatch:
    transition = TRANSITIONS[name]
    problem = MACHINE.check(transition, batch, SERVER_OPERATOR if command_line else actor)
    if problem:
        raise TransitionRefused(problem)
    source = batch.state
    if transition.capability:
        fields["decided_by"] = actor if getattr(actor, "is_authenticated", False) else None
    # An approved batch waits, unclaimed (no heartbeat), for a worker; other moves are made by one.
    fields.setdefault("heartbeat", None if transition.target == State.IMPORTING else timezone.now())
    updated = ImportBatch.objects.filter(pk=batch.pk, state=source).update(
        state=transition.target, reason=reason[:500], **fields
    )
    if not updated:
        raise TransitionRefused(gettext("Batch sudah diubah oleh proses lain; muat ulang halaman."))
    ImportEvent.objects.create(
        batch=batch,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=source,
        to_state=transition.target,
        reason=reason[:500],
    )
    batch.refresh_from_db()
    return batch
