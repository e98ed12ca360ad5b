import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.permissions import (
    AMBULANCE_DISPATCH,
    AMBULANCE_ROSTER,
    AMBULANCE_VERIFY,
    CLINIC_VISIT,
    EMERGENCY_REPORT,
    has,
    require,
)
from satupintu.accounts.scoping import area_q

from . import actions, selectors
from .eligibility import check_card, eligibility_of
from .forms import CallForm, CancelForm, CardCheckForm, DispatchForm, PeriodForm, ShiftForm, VerificationForm, VisitForm
from .models import ACTIVE_STATES, CallState, Driver, Shift, Vehicle, VerificationOutcome

BOARD_REFRESH_SECONDS = 20


# --- ambulance ---


@require(AMBULANCE_DISPATCH)
def board(request):
    """The dispatch board: active calls by state with the time since the call; refreshes itself."""
    now = timezone.now()
    calls = list(selectors.board(request.user))
    free = list(actions.free_vehicles(now))
    columns = []
    for state in ACTIVE_STATES:
        rows = [c for c in calls if c.state == state]
        for call in rows:
            call.elapsed = int((now - call.received_at).total_seconds() // 60)
            call.late = bool(
                call.standard_minutes and call.at_pickup_at is None and call.elapsed > call.standard_minutes
            )
            call.next_steps = [s for s in actions.MACHINE.allowed(request.user, state) if s.name != "cancel"]
        columns.append({"state": state, "label": CallState(state).label, "calls": rows})
    context = {
        "columns": columns,
        "free": free,
        "refresh": BOARD_REFRESH_SECONDS,
        "closed": selectors.recent_closed(request.user, now - dt.timedelta(hours=12))[:20],
        "pending_verifications": selectors.verification_list(request.user).count(),
        "now": now,
    }
    return render(request, "emergency/board.html", context)


@require(AMBULANCE_DISPATCH)
def call_new(request):
    form = CallForm(request.POST or None, user=request.user)
    results, chosen = [], None
    if request.method == "POST":
        query = request.POST.get("q", "").strip()
        if "lookup" in request.POST:
            results = [(p, eligibility_of(p)) for p in selectors.patient_lookup(request.user, query)]
            if not results:
                messages.info(request, _("Pasien tidak ditemukan di wilayah Anda; isi nama pasien."))
            form.errors.clear()
        elif form.is_valid():
            return _take(request, form)
        chosen = _chosen(form)
    context = {"form": form, "results": results, "chosen": chosen}
    return render(request, "emergency/call_new.html", context)


def _chosen(form):
    """The patient picked before (kept through a lookup or a refused save), with eligibility."""
    value = form.data.get("patient")
    if not value or not (str(value).isascii() and str(value).isdigit()):
        return None
    person = form.fields["patient"].queryset.filter(pk=value).first()
    return (person, eligibility_of(person)) if person else None


def _take(request, form):
    data = form.cleaned_data
    try:
        call, new = actions.call_take(
            actor=request.user,
            submission_key=data["submission_key"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            caller_relation=data["caller_relation"],
            patient=data["patient"],
            patient_name=data["patient_name"],
            pickup_desa=data["pickup_desa"],
            pickup_rt=data["pickup_rt"],
            pickup_rw=data["pickup_rw"],
            landmark=data["landmark"],
            destination=data["destination"],
            urgency=data["urgency"],
        )
    except actions.StepRefused as exc:
        messages.error(request, str(exc))
        return redirect("emergency:board")
    if not new:
        messages.info(request, _("Panggilan ini sudah tercatat dengan nomor %(n)s.") % {"n": call.number})
    else:
        messages.success(
            request, _("Panggilan %(n)s dicatat: %(e)s.") % {"n": call.number, "e": call.get_eligibility_display()}
        )
    return redirect("emergency:call", number=call.number)


@require(AMBULANCE_DISPATCH)
def call_detail(request, number):
    call = selectors.call_for_user(request.user, number)
    steps = actions.MACHINE.allowed(request.user, call.state)
    context = {
        "call": call,
        "steps": [s for s in steps if s.name not in ("dispatch", "cancel")],
        "can_dispatch": any(s.name == "dispatch" for s in steps),
        "can_cancel": any(s.name == "cancel" for s in steps),
        "dispatch_form": DispatchForm(vehicles=actions.free_vehicles()),
        "cancel_form": CancelForm(),
        "verification_form": VerificationForm() if call.verification_pending else None,
        "can_verify": has(request.user, AMBULANCE_VERIFY),
    }
    return render(request, "emergency/call_detail.html", context)


@require(AMBULANCE_DISPATCH)
@require_POST
def call_step(request, number, name):
    call = selectors.call_for_user(request.user, number)
    data = {"reason": request.POST.get("reason", "")}
    if name == "dispatch":
        form = DispatchForm(request.POST, vehicles=Vehicle.objects.filter(active=True))
        if not form.is_valid():
            messages.error(request, _("Pilih kendaraan yang sedang berjaga."))
            return _back(request, call)
        data["vehicle"] = form.cleaned_data["vehicle"]
    try:
        actions.call_step(actor=request.user, call=call, name=name, data=data)
    except actions.StepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s: %(s)s.") % {"n": call.number, "s": actions.STEPS[name].label})
    return _back(request, call)


def _back(request, call):
    if request.POST.get("next") == "board":
        return redirect("emergency:board")
    return redirect("emergency:call", number=call.number)


@require(AMBULANCE_VERIFY)
def verifications(request):
    pending = selectors.verification_list(request.user)
    done = selectors.verification_list(request.user, pending=False).exclude(verification_outcome="")
    context = {
        "pending": pending[:200],
        "done": done.order_by("-verified_at")[:50],
        "outcomes": VerificationOutcome.choices,
    }
    return render(request, "emergency/verifications.html", context)


@require(AMBULANCE_VERIFY)
@require_POST
def verification_resolve(request, number):
    call = selectors.verification_list(request.user).filter(number=number).first()
    if call is None:
        selectors.call_for_user(request.user, number)  # 404 outside the area
        messages.error(request, _("Panggilan ini tidak menunggu verifikasi."))
        return redirect("emergency:verifications")
    form = VerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih hasil dan isi catatan verifikasi."))
    else:
        try:
            actions.verification_resolve(
                actor=request.user, call=call, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        except actions.StepRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Verifikasi %(n)s dicatat.") % {"n": call.number})
    return redirect("emergency:verifications")


@require(AMBULANCE_DISPATCH)
def roster(request):
    """Vehicles, drivers and the shifts of the last and next day; the roster's keepers add shifts."""
    now = timezone.now()
    can_edit = has(request.user, AMBULANCE_ROSTER)
    form = ShiftForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.shift_create(actor=request.user, **form.cleaned_data)
            except actions.StepRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Jadwal jaga disimpan."))
                return redirect("emergency:roster")
    shifts = (
        Shift.objects.filter(ends_at__gt=now - dt.timedelta(hours=12), starts_at__lt=now + dt.timedelta(hours=36))
        .select_related("vehicle", "driver")
        .order_by("starts_at", "vehicle__name")
    )
    context = {
        "vehicles": Vehicle.objects.order_by("name"),
        "drivers": Driver.objects.order_by("name"),
        "shifts": shifts,
        "free": set(actions.free_vehicles(now).values_list("pk", flat=True)),
        "form": form,
        "now": now,
    }
    return render(request, "emergency/roster.html", context)


# --- Klinik Saraswati ---


@require(CLINIC_VISIT)
def visit_new(request):
    """Check a card (scanned QR text or NIK), then record the visit for one member."""
    people = selectors.people_for(request.user)
    scanned = request.POST.get("scanned", "")
    check_form = CardCheckForm(request.POST if "check" in request.POST else None)
    check, visit_form = None, None
    if request.method == "POST" and scanned.strip():
        check = check_card(scanned, people)
        members = people.filter(household=check.household) if check.found else people.none()
        if "save" in request.POST:
            visit_form = VisitForm(request.POST, members=members)
            if visit_form.is_valid():
                return _visit(request, visit_form, check)
        else:
            chosen = check.person.pk if check.person else None
            visit_form = VisitForm(initial={"scanned": scanned, "person": chosen}, members=members)
            visit_form.fields["referral_agency"].initial = visit_form.fields["referral_agency"].queryset.first()
    return render(request, "emergency/visit_new.html", {"check_form": check_form, "check": check, "form": visit_form})


def _visit(request, form, check):
    data = form.cleaned_data
    try:
        visit, new = actions.visit_register(
            actor=request.user,
            submission_key=data["submission_key"],
            check=check,
            person=data["person"],
            service=data["service"],
            service_note=data["service_note"],
            referred=data["referred"],
            referral_agency=data["referral_agency"],
        )
    except actions.StepRefused as exc:
        messages.error(request, str(exc))
        return redirect("emergency:visit_new")
    if not new:
        messages.info(request, _("Kunjungan ini sudah tercatat."))
    else:
        messages.success(request, _("Kunjungan %(name)s dicatat.") % {"name": visit.person.name})
    return redirect("emergency:visits")


@require(CLINIC_VISIT)
def visits(request):
    visits = selectors.visit_list(request.user).order_by("-visited_at", "-id")
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    return render(request, "emergency/visits.html", {"page": page})


@require(EMERGENCY_REPORT)
def summary(request):
    """Response times per kecamatan and clinic visits per tier and kecamatan, for a period."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "emergency/summary.html", {"form": form}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    scope = area_q(request.user, "pickup_desa") if request.user.can_read_registry else None
    visit_scope = area_q(request.user, "desa") if request.user.can_read_registry else None
    context = {
        "form": form,
        "response": selectors.response_times(start, end, scope=scope),
        "clinic": selectors.clinic_counts(start, end, scope=visit_scope),
        "standard": actions.standard_minutes(end),
    }
    return render(request, "emergency/summary.html", context)
