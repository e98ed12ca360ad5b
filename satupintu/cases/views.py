"""Staff pages: work queues, intake, the case page and its actions, the referral inbox."""

import datetime as dt
from typing import NamedTuple

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.accounts.permissions import (
    CASE_INTAKE,
    CASE_QUEUE_EXCEPTIONS,
    CASE_WORK,
    REFERRAL_RECEIVE,
    require,
)
from satupintu.audit import log
from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceType
from satupintu.catalogue.rules import evaluate, saraswati_coverage
from satupintu.lib import compiled, versioned_cache
from satupintu.lib.paging import LookaheadPage
from satupintu.registry.selectors import household_for_user, household_search

from . import actions, selectors, workflow
from .facts import facts_for, facts_reads
from .forms import ActionForm, FindHouseholdForm, IntakeForm
from .models import ClockPause, DocumentCheck, Event, QueueException, Referral, Verification, working_days_left

PAGE_SIZE = 50
CLOSING_STEPS = frozenset({"withdraw", "cancel"})
PIN_SESSION_KEY = "receipt_pins"
DETAIL_LABELS = {
    "ipk": gettext_lazy("IPK"),
    "ptn": gettext_lazy("Perguruan tinggi negeri"),
    "date_of_death": gettext_lazy("Tanggal meninggal"),
    "deceased": gettext_lazy("Almarhum/almarhumah"),
}


# Only what the rows show, as plain values: 50 rows of four model objects each cost more to build
# than the query, and the wide columns (PIN hash, details, rule results) stay in the database.
QUEUE_VALUES = ("number", "status", "received_at", "due_date", "paused_since", "service__domain", "service__name",
                "applicant__name", "desa__name")  # fmt: skip


class ReferralRow(NamedTuple):
    """A row of a partner agency's referral inbox (cases_tags.referral_rows); the names are the values read."""

    application__number: str
    application__service__domain: str
    application__service__name: str
    application__applicant__name: str
    application__desa__name: str
    sent_at: dt.datetime
    due_date: dt.date | None
    state: str
    deadline_state: str


class QueueRow(NamedTuple):
    number: str
    status: str
    received_at: dt.datetime
    due_date: dt.date | None
    paused_since: dt.date | None
    domain: str
    service: str
    applicant: str
    desa: str
    verification_due: dt.date | None = None
    days_left: int | None = None


@require(CASE_WORK)
def queue(request):
    queues = workflow.queues_for(request.user)
    if not queues:
        raise PermissionDenied
    current = workflow.QUEUES.get(request.GET.get("antrean", "")) or queues[0]
    if current not in queues:
        current = queues[0]
    user, calendar, today = request.user, working_calendar(), timezone.localdate()

    def build():
        items = selectors.queue_items(user, current)
        if current.name == "verifikasi":
            return selectors.with_verification_due(items).values_list(*QUEUE_VALUES, "verification_due")
        return items.values_list(*QUEUE_VALUES)

    # The queue's statement is the same all day for the same officer (lib/compiled.py): the key names
    # what the query is built from. The pages are numbered from the tab's count (kept as the tab shows
    # it); the rows, and whether another page follows, are read afresh.
    region = user.region
    key = ("queue", current.name, today, user.pk, user.role, user.is_superuser, user.agency_id,
           region.code if region else None, region.level if region else None)  # fmt: skip
    statement = compiled.statement(key, build)
    counts, counted_at = kept_queue_counts(user)
    page = LookaheadPage(
        statement.rows, PAGE_SIZE, request.GET.get("page"), count=counts[current.name], recount=lambda: build().count()
    )
    lefts: dict = {}  # a page's rows share few (status, due date) pairs: each counted once

    def left(status, due):
        if (status, due) not in lefts:
            lefts[status, due] = working_days_left(status, due, calendar, today)
        return lefts[status, due]

    page.object_list = [QueueRow(*values, days_left=left(values[1], values[3])) for values in page.object_list]
    tabs = [(q, counts[q.name]) for q in queues]
    context = {"tabs": tabs, "current": current, "page": page, "counted_at": counted_at}
    return render(request, "cases/queue.html", context)


def kept_count(key: str, build) -> int:
    """`build()`'s count, counted at most every HOME_WORK_SECONDS (as the queue's tabs): a list numbered
    from it reads its rows afresh (`LookaheadPage`), so a count a minute old only numbers the pages."""
    return versioned_cache.counted(key, lambda: build().count(), settings.HOME_WORK_SECONDS)[0]


def kept_queue_counts(user) -> tuple[dict[str, int], dt.datetime | None]:
    """The tab counts of `user`'s queues and when they were counted (None: just now), counted at most
    every HOME_WORK_SECONDS per user, as the home's (`versioned_cache.counted`): over a regency's
    applications the counts cost more than the rest of the page. The rows of the queue are always read
    afresh."""
    if not settings.HOME_WORK_SECONDS:
        return selectors.queue_counts(user), None
    return versioned_cache.counted(f"queue-counts:{user.pk}", lambda: selectors.queue_counts(user),
                                   settings.HOME_WORK_SECONDS)  # fmt: skip


@require(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def intake_find(request):
    form = FindHouseholdForm(request.POST or None)
    households = None
    if request.method == "POST" and form.is_valid():
        households = household_search(request.user, form.cleaned_data["q"])[:20]
    return render(request, "cases/intake_find.html", {"form": form, "households": households})


@require(CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request, household_pk):
    household = household_for_user(request.user, household_pk)
    services = ServiceType.objects.filter(is_active=True).prefetch_related("requirements", "standards")
    service = next((s for s in services if s.code == request.GET.get("layanan")), None)
    open_applications = list(selectors.open_applications_of(household.pk))
    context = {"household": household, "open_applications": open_applications}
    if service is None:
        return render(request, "cases/intake_service.html", {**context, "services": services})
    open_same_service = any(a.service_id == service.pk for a in open_applications)
    form = IntakeForm(request.POST or None, household=household, service=service, open_same_service=open_same_service)
    if request.method == "POST" and form.is_valid():
        try:
            application, pin = actions.application_create(
                actor=request.user,
                service=service,
                applicant=form.cleaned_data["applicant"],
                present_ids=form.present_ids(),
                details=form.details(),
                duplicate_reason=form.cleaned_data.get("duplicate_reason", ""),
                idempotency_key=str(form.cleaned_data["submission_key"] or ""),
            )
        except actions.TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            if pin is None:  # the same form sent again: the first application, its PIN shown then
                message = _("Permohonan ini sudah tersimpan dengan nomor %(number)s.") % {"number": application.number}
                messages.info(request, message)
                return redirect("cases:receipt", number=application.number)
            pins = request.session.get(PIN_SESSION_KEY, {})
            pins[application.number] = pin
            request.session[PIN_SESSION_KEY] = pins
            messages.success(request, _("Permohonan %(number)s tercatat.") % {"number": application.number})
            return redirect("cases:receipt", number=application.number)
    return render(request, "cases/intake.html", {**context, "service": service, "form": form})


@require(CASE_WORK)
def receipt(request, number):
    """The printable tanda terima; the PIN is shown once, right after intake."""
    application = selectors.application_for_user(request.user, number)
    pins = request.session.get(PIN_SESSION_KEY, {})
    pin = pins.pop(number, None)
    request.session[PIN_SESSION_KEY] = pins
    survey_url = request.build_absolute_uri(reverse("survey:entry"))
    context = {
        "application": application,
        "pin": pin,
        "documents": application.documents.select_related("requirement"),
        "survey_url": survey_url,
        # The SKM invitation as a QR the citizen scans once the case is complete (inline PNG, no request).
        "survey_qr": segno.make(survey_url, error="m").png_data_uri(scale=3),
    }
    return render(request, "cases/receipt.html", context)


def action_kind(transition, earlier) -> str:
    """How the case page weighs an action: "closing" (withdraw, cancel: folded away, confirmed),
    "main" (the first other step the user may take), "other" (the alternatives)."""
    if transition.name in CLOSING_STEPS:
        return "closing"
    return "other" if any(f["kind"] == "main" for f in earlier) else "main"


# The case page's lists of one application (`application_id` the case's key).
CASE_LISTS = {
    "documents": lambda key: DocumentCheck.objects.filter(application_id=key).select_related("requirement"),
    "events": lambda key: Event.objects.filter(application_id=key).select_related("actor"),
    "referrals": lambda key: (
        Referral.objects.filter(application_id=key)
        .select_related("agency", "acknowledged_by", "document")
        .defer("document__pdf", "document__content")
    ),
    "pauses": lambda key: ClockPause.objects.filter(application_id=key),
    "verifications": lambda key: (
        Verification.objects.filter(application_id=key).select_related("verifier").annotate(photo_count=Count("photos"))
    ),
}


@require(CASE_WORK)
def detail(request, number):
    application = selectors.application_for_user(request.user, number)
    log.record(actor=request.user, action=log.Action.VIEW, instance=application, household_id=application.household_id)
    # The lists are the same queries for every case, compiled once per worker and read together in one
    # round trip (lib/compiled.py), with the registry facts the rules read while the case is undecided.
    reads = {
        **{name: (f"case-{name}", build, application.pk) for name, build in CASE_LISTS.items()},
        "recusals": selectors.recusals_query(application),
        "appointments": selectors.appointments_query(application),
    }
    if not application.rules_result:
        reads.update({f"fact-{name}": read for name, read in facts_reads(application).items()})
    found = compiled.instances_together(reads)
    facts = {name.removeprefix("fact-"): found.pop(name) for name in list(found) if name.startswith("fact-")}
    rules = application.rules_result or (
        evaluate(
            application.service.code, facts_for(application, facts), timezone.localtime(application.received_at).date()
        ).as_dict()
    )
    forms = []
    for transition in workflow.available(application, request.user):
        queue = workflow.queue_of(application.status) if transition.fair else None
        older = (
            selectors.older_in_queue(request.user, queue, application).count()
            if queue and queue.open_to(request.user)
            else 0
        )
        form = ActionForm(transition=transition, application=application, show_queue_reason=older > 0)
        forms.append({"transition": transition, "form": form, "older": older, "kind": action_kind(transition, forms)})
    context = {
        "application": application,
        "rules": rules,
        "rules_final": bool(application.rules_result),
        "forms": forms,
        "closing_forms": [f for f in forms if f["kind"] == "closing"],
        **found,
        "days_left": application.working_days_left(),
        "masked_nik": application.applicant.masked_nik,
        "coverage": (
            saraswati_coverage(application.household, timezone.localdate())
            if application.service.code == "kartu-saraswati"
            else None
        ),
        "details": [
            (DETAIL_LABELS[k], (_("ya") if v else _("tidak")) if isinstance(v, bool) else v)
            for k, v in application.details.items()
            if k in DETAIL_LABELS
        ],
    }
    return render(request, "cases/detail.html", context)


@require(CASE_WORK)
@require_POST
def act(request, number, name):
    application = selectors.application_for_user(request.user, number)
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise PermissionDenied
    form = ActionForm(
        request.POST, request.FILES, transition=transition, application=application, show_queue_reason=True
    )
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("cases:detail", number=number)
    try:
        actions.application_transition(
            actor=request.user,
            application=application,
            name=name,
            data=form.data_for_action(),
            queue_reason=form.cleaned_data.get("queue_reason", ""),
        )
    except actions.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(step)s: tersimpan.") % {"step": transition.label})
    return redirect("cases:detail", number=number)


@require(REFERRAL_RECEIVE)
def referrals(request):
    user = request.user

    def build():
        return selectors.referrals_for(user).order_by("state", "sent_at", "id").values_list(*ReferralRow._fields)

    # The inbox's statement is the agency's (lib/compiled.py); its rows are plain values (`ReferralRow`),
    # numbered from a count kept as the queue's tabs are, and read afresh with one row ahead.
    statement = compiled.statement(("referrals", user.role, user.is_superuser, user.agency_id), build)
    page = LookaheadPage(
        statement.rows, PAGE_SIZE, request.GET.get("page"), count=kept_count(f"referral-count:{user.agency_id}", build),
        recount=lambda: build().count(),
    )  # fmt: skip
    page.object_list = [ReferralRow(*values) for values in page.object_list]
    return render(request, "cases/referrals.html", {"page": page})


@require(CASE_QUEUE_EXCEPTIONS)
def queue_exceptions(request):
    """Queue exceptions per officer (kepala, kasi): how often each one served out of order."""
    visible = QueueException.objects.filter(application__in=selectors.applications_for(request.user))
    per_officer = visible.values("actor__username", "actor__first_name", "actor__last_name").annotate(n=Count("id"))
    recent = visible.select_related("actor", "application")[:50]
    return render(request, "cases/queue_exceptions.html", {"per_officer": per_officer.order_by("-n"), "recent": recent})
