from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.models import User
from satupintu.accounts.permissions import COMPLAINT_TAKE, has
from satupintu.accounts.pins import attempt_allowed, pin_matches
from satupintu.cases.selectors import applications_for
from satupintu.lib import throttle

from . import access, actions
from .forms import AssignForm, DeskComplaintForm, PublicComplaintForm, StepForm, TrackForm
from .models import Category, Channel, Complaint, Status


def _submit(form, *, actor, channel):
    data = form.cleaned_data
    return actions.complaint_submit(
        actor=actor,
        channel=channel,
        feedback_type=data["feedback_type"],
        category=data["category"],
        description=data["description"],
        anonymous=bool(data.get("anonymous")),
        reporter_name=data.get("reporter_name") or "",
        reporter_phone=data.get("reporter_phone") or "",
        kecamatan=data.get("kecamatan"),
        desa=data.get("desa"),
        application=data.get("application"),
        about_officer=data.get("about_officer"),
        submission_key=data.get("submission_key"),
    )


def _stored_already(request, complaint) -> None:
    messages.info(request, _("Pengaduan ini sudah tersimpan dengan nomor %(number)s.") % {"number": complaint.number})


def public_new(request):
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST":
        number = request.POST.get("application_number", "").strip()
        if not throttle.allow("complaint-submit", request) or (number and not attempt_allowed(request, number)):
            return render(request, "complaints/public_new.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            # A public submission is a citizen's, whoever is logged in on this browser.
            complaint, pin = _submit(form, actor=None, channel=Channel.WEB)
            if pin is None:
                _stored_already(request, complaint)
            request.session["complaint_receipt"] = [complaint.number, pin]
            return redirect("complaints:public_receipt")
    return render(request, "complaints/public_new.html", {"form": form})


def public_receipt(request):
    receipt = request.session.pop("complaint_receipt", None)
    if not receipt:
        return redirect("complaints:public_new")
    complaint = Complaint.objects.get(number=receipt[0])
    return render(request, "complaints/receipt.html", {"complaint": complaint, "pin": receipt[1]})


def track(request):
    form = TrackForm(request.POST or None)
    found, failed = None, False
    if request.method == "POST":
        if form.is_valid():
            if not attempt_allowed(request, form.cleaned_data["number"]):
                return render(request, "complaints/track.html", {"form": form, "throttled": True}, status=429)
            found = (
                Complaint.objects.filter(number=form.cleaned_data["number"].strip().upper())
                .only("pin_hash", "number", "status", "received_at", "response_due", "resolution_due")
                .first()
            )
            valid = pin_matches(form.cleaned_data["pin"], found.pin_hash if found else None)
            if not (found and valid):
                found, failed = None, True
            else:
                found = Complaint.objects.get(pk=found.pk)
    context = {"form": form, "complaint": found, "failed": failed, "today": timezone.localdate()}
    return render(request, "complaints/track.html", context)


@login_required
def desk_new(request):
    if not has(request.user, COMPLAINT_TAKE):
        raise PermissionDenied
    form = DeskComplaintForm(request.POST or None, applications=applications_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            complaint, pin = _submit(form, actor=request.user, channel=form.cleaned_data["channel"])
        except actions.StepRefused as exc:
            messages.error(request, str(exc))
        else:
            if pin is None:
                _stored_already(request, complaint)
            return render(request, "complaints/receipt.html", {"complaint": complaint, "pin": pin, "desk": True})
    return render(request, "complaints/desk_new.html", {"form": form})


def _seeing(request):
    if not access.can_see_complaints(request.user):
        raise PermissionDenied


@login_required
def complaint_list(request):
    _seeing(request)
    qs = access.complaints_for(request.user).select_related("assignee", "kecamatan")
    status, category = request.GET.get("status", ""), request.GET.get("category", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    if category in Category.values:
        qs = qs.filter(category=category)
    if request.GET.get("mine"):
        qs = qs.filter(assignee=request.user)
    page = Paginator(qs.order_by("-received_at", "-id"), 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("category", category)) if v)
    context = {
        "page": page,
        "statuses": Status.choices,
        "categories": Category.choices,
        "status": status,
        "category": category,
        "query": query,
        "integrity": access.is_integrity(request.user),
    }
    return render(request, "complaints/list.html", context)


@login_required
def complaint_detail(request, number):
    _seeing(request)
    complaint = access.complaint_for_user(request.user, number)
    assignees = access.eligible_assignees(complaint)
    forms = {
        name: (AssignForm(assignees=assignees, initial={"track": complaint.track}) if name == "assign" else StepForm())
        for name, step in actions.STEPS.items()
        if complaint.status in step.sources
    }
    context = {
        "complaint": complaint,
        "events": complaint.events.select_related("actor"),
        "forms": [(name, actions.STEPS[name], form) for name, form in forms.items()],
        "supervise": access.may_supervise(request.user, complaint),
    }
    return render(request, "complaints/detail.html", context)


@login_required
@require_POST
def complaint_step(request, number, name):
    _seeing(request)
    complaint = access.complaint_for_user(request.user, number)
    if name == "assign":
        # Any active user parses; the action decides who may be assigned (the recusal rule lives there).
        form = AssignForm(request.POST, assignees=User.objects.filter(is_active=True))
    else:
        form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("complaints:detail", number=number)
    try:
        actions.complaint_step(actor=request.user, complaint=complaint, name=name, data=form.cleaned_data)
    except actions.StepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("complaints:detail", number=number)
