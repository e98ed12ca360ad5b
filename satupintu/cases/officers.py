"""Pages about officers on cases: appointed verifiers and recusals (writes in actions.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.accounts.permissions import CASE_APPOINT_VERIFIER, CASE_WORK, has, require

from . import actions, selectors
from .models import CaseRecusal
from .officer_forms import AppointmentForm, RevokeForm


@require(CASE_WORK)
@require_http_methods(["GET", "POST"])
def appointments(request):
    """Kasi/kepala: every appointment, a new one, revoking; an appointee: their appointments and work."""
    may_appoint = has(request.user, CASE_APPOINT_VERIFIER)
    form = None
    if may_appoint:
        initial = {"number": request.GET.get("permohonan", "")}
        form = AppointmentForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            created = _appoint(request, form)
            if created:
                return redirect(request.path)
    elif request.method == "POST":
        raise Http404
    context = {
        "form": form,
        "may_appoint": may_appoint,
        "items": selectors.appointments_visible_to(request.user).order_by("-valid_from", "-id")[:200],
        "work": selectors.appointed_work(request.user)[:200],
        "revoke_form": RevokeForm(),
    }
    return render(request, "cases/appointments.html", context)


def _appoint(request, form) -> bool:
    data = form.cleaned_data
    application = None
    number = (data.get("number") or "").strip()
    if number:
        application = selectors.applications_for(request.user).filter(number=number).first()
        if application is None:
            form.add_error("number", _("Permohonan tidak ditemukan."))
            return False
    try:
        actions.appointment_create(
            actor=request.user,
            appointee=data["appointee"],
            application=application,
            desa=list(data.get("desa") or []),
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            reason=data["reason"],
            submission_key=data.get("submission_key"),
        )
    except actions.TransitionRefused as refused:
        form.add_error(None, str(refused))
        return False
    messages.success(request, _("Penunjukan verifikator tersimpan."))
    return True


@require(CASE_APPOINT_VERIFIER)
@require_POST
def appointment_revoke(request, pk):
    appointment = get_object_or_404(selectors.appointments_visible_to(request.user), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pencabutan wajib diisi."))
        return redirect("cases:appointments")
    try:
        actions.appointment_revoke(actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"])
    except actions.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Penunjukan dicabut."))
    return redirect("cases:appointments")


def _on_case(request, number, write, done: str):
    """Run one write of the case page; its refusal or `done` as the message, then back to the case."""
    try:
        write()
    except actions.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("cases:detail", number=number)


@require(CASE_WORK)
@require_POST
def recusal_declare(request, number):
    application = selectors.application_for_user(request.user, number)
    relation = request.POST.get("relation", "")
    return _on_case(
        request,
        number,
        lambda: actions.recusal_declare(actor=request.user, application=application, relation=relation),
        _("Pernyataan hubungan tercatat; Anda tidak lagi memproses permohonan ini."),
    )


def _recusal(request, number, pk) -> CaseRecusal:
    application = selectors.application_for_user(request.user, number)
    return get_object_or_404(CaseRecusal.objects.select_related("application"), pk=pk, application=application)


@require(CASE_WORK)
@require_POST
def recusal_review(request, number, pk):
    recusal = _recusal(request, number, pk)
    outcome, reason = request.POST.get("outcome", ""), request.POST.get("reason", "")
    return _on_case(
        request,
        number,
        lambda: actions.recusal_review(actor=request.user, recusal=recusal, outcome=outcome, reason=reason),
        _("Hasil telaah tersimpan."),
    )


@require(CASE_WORK)
@require_POST
def recusal_override(request, number, pk):
    recusal = _recusal(request, number, pk)
    reason = request.POST.get("reason", "")
    return _on_case(
        request,
        number,
        lambda: actions.recusal_override(actor=request.user, recusal=recusal, reason=reason),
        _("Pengecualian tersimpan."),
    )
