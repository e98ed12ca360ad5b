import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.accounts.permissions import BUDGET_MANAGE, BUDGET_READ, RASKIN_DISTRIBUTE, has, has_any, require
from satupintu.lib.exports import XLSX_TYPE, attachment
from satupintu.lib.transitions import Refused
from satupintu.registry.selectors import households_for

from . import actions, exports, selectors
from .forms import CorrectionForm, HandoverForm, OpenMonthForm


def _readers(view):
    """Distribution staff and budget readers (an auditor sees the months and no household)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_any(request.user, (RASKIN_DISTRIBUTE, BUDGET_READ)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@_readers
@require_http_methods(["GET", "POST"])
def month_list(request):
    form = OpenMonthForm(request.POST or None) if has(request.user, BUDGET_MANAGE) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            source = form.cleaned_data["source"]
            try:
                opened = actions.open_month(
                    actor=request.user,
                    programme=source.programme,
                    source=source,
                    year=source.programme.fiscal_year,
                    month=form.cleaned_data["month"],
                )
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Bulan penyaluran %(month)s dibuka.") % {"month": opened.label})
                return redirect("raskin:month_detail", pk=opened.pk)
    return render(request, "raskin/month_list.html", {"months": selectors.months(), "form": form})


@_readers
def month_detail(request, pk):
    month = selectors.month_for(pk)
    rows = selectors.progress(month, request.user)
    totals = {
        "households": sum(r.households for r in rows),
        "handed": sum(r.handed for r in rows),
        "kg_allocated": sum((r.kg_allocated for r in rows), start=month.kg_per_household * 0),
        "kg_handed": sum((r.kg_handed for r in rows), start=month.kg_per_household * 0),
    }
    totals["kg_left"] = totals["kg_allocated"] - totals["kg_handed"]
    return render(request, "raskin/month_detail.html", {"month": month, "rows": rows, "totals": totals})


@_readers
def desa_detail(request, pk, code):
    month = selectors.month_for(pk)
    desa = selectors.desa_for(request.user, code)
    recipients = selectors.recipients(month, request.user, desa.code)
    for r in recipients:
        r.key = uuid.uuid4()
    context = {
        "month": month,
        "desa": desa,
        "recipients": recipients,
        "handed": sum(1 for r in recipients if r.handover),
        "relations": HandoverForm.base_fields["relation"].choices,
        "can_record": has(request.user, RASKIN_DISTRIBUTE),
    }
    return render(request, "raskin/desa_detail.html", context)


def _download(request, pk, code):
    month = selectors.month_for(pk)
    desa = selectors.desa_for(request.user, code)
    return month, desa, selectors.recipients(month, request.user, desa.code)


def _filename(month, desa, ext):
    return f"raskin-{month.year}-{month.month:02d}-{desa.code}.{ext}"


@_readers
def desa_pdf(request, pk, code):
    month, desa, recipients = _download(request, pk, code)
    officer = request.user.get_full_name() or request.user.username
    content = exports.pdf(month, desa, recipients, officer)
    return attachment(content, "application/pdf", _filename(month, desa, "pdf"))


@_readers
def desa_xlsx(request, pk, code):
    month, desa, recipients = _download(request, pk, code)
    return attachment(exports.xlsx(month, desa, recipients), XLSX_TYPE, _filename(month, desa, "xlsx"))


@require(RASKIN_DISTRIBUTE)
@require_POST
def handover(request, pk, household):
    month = selectors.month_for(pk)
    household = get_object_or_404(households_for(request.user).select_related("desa"), pk=household)
    back = redirect("raskin:desa_detail", pk=month.pk, code=household.desa_id)
    form = HandoverForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{household.reference}: {error}")
        return back
    data = form.cleaned_data
    try:
        given = actions.record_handover(
            actor=request.user,
            month=month,
            household=household,
            on=data["on"],
            received_by=data["received_by"],
            relation=data["relation"],
            evidence=data["evidence"],
            thumbprint_note=data["thumbprint_note"],
            submission_key=data["submission_key"],
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(ref)s: raskin %(month)s diserahkan kepada %(name)s.")
            % {"ref": household.reference, "month": month.label, "name": given.received_by},
        )
    return back


@require(RASKIN_DISTRIBUTE)
@require_POST
def correct(request, pk):
    given = selectors.handover_for(request.user, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pembatalan penyerahan harus menyebut alasan."))
    else:
        try:
            actions.correct_handover(actor=request.user, handover=given, reason=form.cleaned_data["reason"])
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Penyerahan %(ref)s dibatalkan.") % {"ref": given.household.reference})
    return redirect("raskin:desa_detail", pk=given.month_id, code=given.desa_id)
