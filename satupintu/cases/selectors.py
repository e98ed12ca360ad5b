"""Reads of applications. Every one starts from the user's scope (outside it: 404)."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from satupintu.accounts.permissions import CASE_VERIFY, REFERRAL_RECEIVE, has
from satupintu.accounts.scoping import NOTHING, area_q
from satupintu.lib import compiled

from . import appointments, workflow
from .models import Application, CaseRecusal, Referral, Verification, VerifierAppointment
from .status import OPEN_STATUSES


def applications_for(user):
    """Registry roles: their area (a desa, a kecamatan, everything); mitra: referrals to their agency."""
    if has(user, REFERRAL_RECEIVE):
        if user.agency_id is None:
            return Application.objects.filter(NOTHING)
        return Application.objects.filter(
            Exists(Referral.objects.filter(application=OuterRef("pk"), agency_id=user.agency_id))
        )
    area = area_q(user, "desa")
    if area == Q() or area == NOTHING:
        return Application.objects.filter(area)
    # An officer bound to an area also sees what an appointment as verifier gives (appointments.py).
    return Application.objects.filter(area | appointments.appointment_q(user))


def scope_key(user) -> tuple:
    """What `applications_for(user)` is built from: the officer, role, agency, area and the day (the
    appointments in force)."""
    region = user.region
    return (user.pk, user.role, user.is_superuser, user.is_active, user.agency_id,
            region.code if region else None, region.level if region else None, timezone.localdate())  # fmt: skip


def application_for_user(user, number: str) -> Application:
    """The application with its service, applicant, household, desa and standard, or 404 outside the
    user's scope. Its query is compiled once per worker and scope (lib/compiled.py)."""

    def build(stand_in):
        related = ("service__agency", "standard", "applicant", "household__desa", "desa__parent")
        return applications_for(user).select_related(*related).filter(number=stand_in)

    found = compiled.instances(("application", *scope_key(user)), build, number)
    if not found:
        raise Http404
    return found[0]


def queue_items(user, queue):
    """The queue's cases the user may work, first come first served."""
    qs = applications_for(user).filter(status__in=queue.statuses)
    if has(user, CASE_VERIFY):
        assigned = Verification.objects.filter(application=OuterRef("pk"), verifier=user, completed_at__isnull=True)
        qs = qs.filter(Exists(assigned))
    if has(user, REFERRAL_RECEIVE):
        open_referral = Referral.objects.filter(application=OuterRef("pk"), agency_id=user.agency_id).exclude(
            state=Referral.State.DONE
        )
        qs = qs.filter(Exists(open_referral))
    return qs.order_by("received_at", "id")


def with_verification_due(qs):
    """Annotate the due date of the open verification (a verifier's own deadline)."""
    open_verification = Verification.objects.filter(application=OuterRef("pk"), completed_at__isnull=True)
    return qs.annotate(verification_due=Subquery(open_verification.order_by("-assigned_at").values("due_date")[:1]))


def older_in_queue(user, queue, application):
    """Cases in the same queue, visible to the user, received before `application`."""
    earlier = Q(received_at__lt=application.received_at) | Q(received_at=application.received_at, id__lt=application.pk)
    return queue_items(user, queue).filter(earlier)


def referrals_for(user):
    if not has(user, REFERRAL_RECEIVE) or user.agency_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(agency_id=user.agency_id).select_related(
        "application__service", "application__applicant", "application__desa"
    )


def queue_counts(user) -> dict[str, int]:
    queues = workflow.queues_for(user)
    statuses = {s for q in queues for s in q.statuses}
    base = queue_items(user, workflow.Queue("all", "", frozenset(statuses), frozenset()))
    by_status = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    return {q.name: sum(by_status.get(s, 0) for s in q.statuses) for q in queues}


def open_applications_of(household_id, service=None):
    """The household's open applications (of one service, when given), oldest first."""
    qs = Application.objects.filter(household_id=household_id, status__in=OPEN_STATUSES).select_related("service")
    return (qs.filter(service=service) if service is not None else qs).order_by("received_at", "id")


def appointments_visible_to(user):
    """Appointments as a list: all of them for who appoints, one's own otherwise."""
    from satupintu.accounts.permissions import CASE_APPOINT_VERIFIER

    from .models import VerifierAppointment

    qs = VerifierAppointment.objects.select_related("appointee", "appointed_by", "application", "revoked_by")
    qs = qs.prefetch_related("desa")
    return qs if has(user, CASE_APPOINT_VERIFIER) else qs.filter(appointee=user)


def appointed_work(user):
    """Open cases whose verification is assigned to `user` through an appointment."""
    from .status import Status

    assigned = Verification.objects.filter(application=OuterRef("pk"), verifier=user, completed_at__isnull=True)
    return (
        applications_for(user)
        .filter(Exists(assigned), status=Status.VERIFICATION)
        .select_related("service", "applicant", "desa")
        .order_by("received_at", "id")
    )


def appointments_query(application) -> tuple:
    """(key, build, value) of the appointments covering the case (in force or not), for
    `compiled.instances`: the statement is the same for every case of the desa."""
    desa = application.desa_id

    def build(key):  # every appointment naming the case or its desa (appointments.covering_any)
        return (
            VerifierAppointment.objects.filter(Q(application_id=key) | Q(desa=desa))
            .select_related("appointee", "appointed_by", "revoked_by")
            .order_by("-valid_from", "-id")
        )

    return ("case-appointments", desa), build, application.pk


def _recusals_of(key):
    return CaseRecusal.objects.filter(application_id=key).select_related("officer", "reviewed_by", "overridden_by")


def recusals_query(application) -> tuple:
    """(key, build, value) of the case's recusals, for `compiled.instances`."""
    return "case-recusals", _recusals_of, application.pk
