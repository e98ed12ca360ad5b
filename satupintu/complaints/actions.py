"""Writes to complaints: one transaction each, the row locked, the step checked against the table,
an event appended (with actor and reason) and the notifications queued in the outbox."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.permissions import COMPLAINT_TAKE, has, roles_with
from satupintu.accounts.pins import make_pin_hash
from satupintu.catalogue.calendar import working_calendar
from satupintu.lib.numbers import new_number
from satupintu.lib.transitions import Machine, Refused, Texts, Transition
from satupintu.lib.workdays import Calendar
from satupintu.notifications.actions import notice_to, text_to

from . import access
from .models import SENSITIVE_CATEGORIES, Complaint, ComplaintEvent, EventType, FeedbackType, Status, Track


class StepRefused(Refused):
    """A refused step of a complaint."""


def due_dates(received: dt.date, track: str, calendar: Calendar | None = None) -> tuple[dt.date, dt.date]:
    """(first response due, resolution due): working days after the day of receipt."""
    calendar = calendar or working_calendar()
    days = settings.SATUPINTU_COMPLAINT_DAYS
    return calendar.add_working_days(received, days["response"]), calendar.add_working_days(received, days[track])


def default_track(feedback_type: str) -> str:
    return Track.STANDARD if feedback_type == FeedbackType.PENGADUAN else Track.SIMPLE


def _event(complaint, *, actor, type, from_status="", reason="", extra=None):  # noqa: A002
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        type=type,
        from_status=from_status,
        to_status=complaint.status,
        reason=reason,
        extra=extra or {},
    )


def _tell_reporter(complaint, text: str) -> None:
    if complaint.anonymous or not complaint.reporter_phone:
        return
    text_to(complaint.reporter_phone, f"{complaint.number}: {text}")


def _tell_users(users, text: str) -> None:
    notice_to(users, text)


def complaint_submit(*, submission_key=None, **fields) -> tuple[Complaint, str | None]:
    """Record a complaint (`_record`); returns it and its PIN. A form sent again with the same
    one-time `submission_key` (a retry, a double click) returns the first complaint and no PIN."""
    try:
        with transaction.atomic():
            if submission_key and (earlier := Complaint.objects.filter(submission_key=submission_key).first()):
                return earlier, None
            return _record(submission_key=submission_key, **fields)
    except IntegrityError:  # the same key sent twice at the same moment: the other one was stored
        if not submission_key:
            raise
        return Complaint.objects.get(submission_key=submission_key), None


def _record(
    *,
    submission_key,
    actor,
    channel: str,
    feedback_type: str,
    category: str,
    description: str,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    kecamatan=None,
    desa=None,
    application=None,
    about_officer=None,
) -> tuple[Complaint, str]:
    """Record a complaint from the public site (actor anonymous) or a desk; returns it and its PIN."""
    if getattr(actor, "is_authenticated", False) and not has(actor, COMPLAINT_TAKE):
        raise StepRefused(_("Peran Anda tidak dapat menerima pengaduan."))
    if desa is not None:
        kecamatan = desa.parent
    if anonymous:
        # Nothing that could lead to the reporter is kept; the kecamatan is coarse enough.
        reporter_name = reporter_phone = ""
        desa = application = None
    now = timezone.now()
    today = timezone.localdate(now)
    track = default_track(feedback_type)
    response_due, resolution_due = due_dates(today, track)
    pin = f"{secrets.randbelow(10**8):08d}"
    complaint = Complaint.objects.create(
        number=new_number(Complaint, "ADU", today),
        pin_hash=make_pin_hash(pin),
        submission_key=submission_key,
        feedback_type=feedback_type,
        category=category,
        sensitive=category in SENSITIVE_CATEGORIES,
        channel=channel,
        anonymous=anonymous,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        description=description,
        kecamatan=kecamatan,
        desa=desa,
        application=application,
        about_officer=about_officer,
        track=track,
        received_at=now,
        response_due=response_due,
        resolution_due=resolution_due,
    )
    _event(complaint, actor=actor, type=EventType.RECEIVED, extra={"channel": channel})
    _tell_reporter(
        complaint,
        _("pengaduan Anda kami terima. Tanggapan pertama paling lambat %(due)s.") % {"due": f"{response_due:%d/%m/%Y}"},
    )
    return complaint, pin


def _assign(actor, complaint, data):
    complaint.assignee = data["assignee"]
    extra = {"assignee": complaint.assignee_id}
    track = data.get("track") or complaint.track
    if track != complaint.track:
        complaint.track = track
        complaint.resolution_due = due_dates(timezone.localdate(complaint.received_at), track)[1]
        extra.update(track=track, resolution_due=complaint.resolution_due.isoformat())
    _tell_users([complaint.assignee], _("Pengaduan %(number)s ditugaskan kepada Anda.") % {"number": complaint.number})
    return extra


def _respond(actor, complaint, data):
    complaint.responded_at, complaint.public_response = timezone.now(), data["reason"].strip()
    _tell_reporter(complaint, complaint.public_response)


def _resolve(actor, complaint, data):
    complaint.resolved_at, complaint.resolution = timezone.now(), data["reason"].strip()
    _tell_reporter(complaint, _("tindak lanjut selesai: %(text)s") % {"text": complaint.resolution})


def _close(actor, complaint, data):
    complaint.closed_at = timezone.now()


def _supervisor(complaint, actor, data):
    if not access.may_supervise(actor, complaint):
        return _("Hanya atasan (atau tim integritas untuk aduan sensitif) yang dapat melakukan langkah ini.")
    return None


def _supervisor_and_assignee(complaint, actor, data):
    refusal = _supervisor(complaint, actor, data)
    assignee = data.get("assignee")
    if not refusal and (assignee is None or not access.may_be_assigned(assignee, complaint)):
        return _("Petugas ini tidak dapat ditugaskan (pengaduan tentang dirinya, atau tidak berwenang).")
    return refusal


def _assignee_or_supervisor(complaint, actor, data):
    if complaint.assignee_id != actor.pk and not access.may_supervise(actor, complaint):
        return _("Hanya petugas yang ditugaskan atau atasannya yang dapat melakukan langkah ini.")
    return None


def _not_about_actor(complaint, actor):
    if complaint.about_officer_id == actor.pk:
        return _("Anda tidak dapat menangani pengaduan tentang diri Anda sendiri.")
    return None


@dataclass(frozen=True)
class ComplaintStep(Transition):
    reason_label: str = ""
    # Statuses the step leaves as they are (a reassignment does not undo a response).
    keeps: frozenset = frozenset()


MACHINE = Machine(
    [
        ComplaintStep(
            "assign", gettext_lazy("Tugaskan"), frozenset({Status.RECEIVED, Status.ASSIGNED, Status.RESPONDED}),
            Status.ASSIGNED, event=EventType.ASSIGNED, guard=_supervisor_and_assignee, needs_reason=True,
            effect=_assign, reason_label=gettext_lazy("Catatan penugasan"),
            keeps=frozenset({Status.ASSIGNED, Status.RESPONDED}),
        ),
        ComplaintStep(
            "respond", gettext_lazy("Beri tanggapan pertama"), frozenset({Status.RECEIVED, Status.ASSIGNED}),
            Status.RESPONDED, event=EventType.RESPONDED, guard=_assignee_or_supervisor, needs_reason=True,
            effect=_respond, reason_label=gettext_lazy("Tanggapan untuk pelapor"),
        ),
        ComplaintStep(
            "resolve", gettext_lazy("Catat hasil tindak lanjut"), frozenset({Status.RESPONDED}), Status.RESOLVED,
            event=EventType.RESOLVED, guard=_assignee_or_supervisor, needs_reason=True, effect=_resolve,
            reason_label=gettext_lazy("Hasil tindak lanjut"),
        ),
        ComplaintStep(
            "close", gettext_lazy("Tutup pengaduan"), frozenset({Status.RESOLVED}), Status.CLOSED,
            event=EventType.CLOSED, guard=_supervisor, needs_reason=True, effect=_close,
            reason_label=gettext_lazy("Alasan penutupan"),
        ),
    ],
    state=lambda complaint: complaint.status,
    may=has,
    gate=_not_about_actor,
    texts=Texts(
        wrong_state=lambda complaint: _("Langkah ini tidak berlaku untuk pengaduan berstatus %(status)s.")
        % {"status": complaint.get_status_display()},
        not_allowed=lambda step: _("Peran Anda tidak berwenang untuk langkah ini."),
        reason_missing=lambda step: _("%(label)s wajib diisi.") % {"label": step.reason_label},
    ),
)  # fmt: skip
STEPS = MACHINE.transitions


def as_markdown() -> str:
    """The steps as Markdown (docs/justice.md embeds it; tests/test_workflow_docs.py keeps them equal)."""
    return MACHINE.as_markdown(
        who=lambda capability: ", ".join(sorted(roles_with(capability))), states=Status.values, target=_target
    )


def as_mermaid() -> str:
    return MACHINE.as_mermaid(starts=[("received", "complaint_submit")], ends=["closed"], target=_target)


def _target(step: ComplaintStep, source: str) -> str:
    return source if source in step.keeps else step.target


@transaction.atomic
def complaint_step(*, actor, complaint: Complaint, name: str, data: dict) -> Complaint:
    step = STEPS.get(name)
    if step is None:
        raise StepRefused(_("Langkah tidak dikenal."))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    reason = MACHINE.check(step, complaint, actor, data)
    if reason:
        raise StepRefused(reason)
    before = complaint.status
    extra = step.effect(actor, complaint, data) or {}
    complaint.status = before if before in step.keeps else step.target
    complaint.save()
    _event(complaint, actor=actor, type=step.event, from_status=before, reason=data["reason"].strip(), extra=extra)
    return complaint
