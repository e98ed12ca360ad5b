"""Pages of the budget programmes: the year's programmes, a programme with its sources, ceilings,
kecamatan splits and ledger, the forms that write (through `actions`), the realisation report
(HTML, XLSX, PDF) and the DPRD summary."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.accounts.permissions import BUDGET_MANAGE, BUDGET_READ, LEDGER_RECORD, REGISTRY_READ, has, has_any
from satupintu.audit.log import Action, record
from satupintu.lib.exports import XLSX_TYPE, attachment

from . import actions, report, selectors
from .forms import EntryForm, ProgrammeForm, ReverseForm, RevisionForm, SourceForm
from .models import FundingSource, Programme


def _readers(view):
    """Budget readers and ledger officers (an auditor reads the figures, never a ledger row)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_any(request.user, (BUDGET_READ, LEDGER_RECORD)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _need(user, capability):
    if not has(user, capability):
        raise PermissionDenied


def _year(request) -> int:
    try:
        year = int(request.GET.get("tahun") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _sees_rows(user) -> bool:
    """Ledger rows name households: only for those who read the registry (scoped by area)."""
    return has(user, REGISTRY_READ) and has_any(user, (BUDGET_READ, LEDGER_RECORD))


@_readers
def index(request):
    year = _year(request)
    context = {
        "year": year,
        "years": sorted({*selectors.years(), year}, reverse=True),
        "overview": selectors.year_overview(year),
    }
    return render(request, "budgets/index.html", context)


@_readers
def programme_detail(request, pk):
    programme = get_object_or_404(Programme.objects.select_related("service"), pk=pk)
    context = {
        "programme": programme,
        "sources": selectors.source_figures(selectors.sources_of(programme)),
        "revisions": selectors.revisions_of(programme),
        "kecamatan_rows": [r for r in selectors.kecamatan_rows(programme) if r["ceiling"] or r["realised"]],
        "waiting": selectors.waiting(programme),
    }
    if _sees_rows(request.user):
        rows = selectors.ledger_for(request.user, programme).order_by("-on", "-id")
        context["page"] = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "budgets/programme_detail.html", context)


def _form_page(request, template, form, context):
    return render(request, template, {"form": form, **context})


def _written(form, write):
    """`write(cleaned_data)` for a valid form: its result, or None with the refusal shown on the form."""
    try:
        return write(form.cleaned_data)
    except actions.BudgetRefused as refused:
        form.add_error(None, str(refused))
        return None


def _fields(data, *names) -> dict:
    """The named form fields, and the one-time submission key as text (None when absent)."""
    fields = {name: data[name] for name in names}
    if "submission_key" in data:
        fields["submission_key"] = str(data["submission_key"] or "") or None
    return fields


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request):
    _need(request.user, BUDGET_MANAGE)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = ("service", "fiscal_year", "unit", "name")
        programme = _written(form, lambda data: actions.create_programme(actor=request.user, **_fields(data, *names)))
        if programme:
            messages.success(request, _("Program %(name)s dibuat.") % {"name": programme})
            return redirect("budgets:programme", pk=programme.pk)
    return _form_page(request, "budgets/form.html", form, {"title": _("Program anggaran baru")})


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request, pk):
    _need(request.user, BUDGET_MANAGE)
    programme = get_object_or_404(Programme, pk=pk)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = _written(
            form,
            lambda data: actions.add_source(actor=request.user, programme=programme, **_fields(data, "kind", "name")),
        )
        if source:
            messages.success(request, _("Sumber dana %(name)s ditambahkan; isi pagunya.") % {"name": source})
            return redirect("budgets:revision_new", pk=source.pk)
    context = {"title": _("Sumber dana baru"), "programme": programme}
    return _form_page(request, "budgets/form.html", form, context)


@login_required
@require_http_methods(["GET", "POST"])
def revision_new(request, pk):
    _need(request.user, BUDGET_MANAGE)
    source = get_object_or_404(FundingSource.objects.select_related("programme"), pk=pk)
    form = RevisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = ("amount", "units", "kecamatan", "valid_from", "reason")
        written = _written(
            form, lambda data: actions.revise_ceiling(actor=request.user, source=source, **_fields(data, *names))
        )
        if written:
            messages.success(request, _("Pagu %(source)s dicatat.") % {"source": source})
            return redirect("budgets:programme", pk=source.programme_id)
    context = {
        "title": _("Pagu / revisi pagu: %(source)s") % {"source": source},
        "programme": source.programme,
        "intro": _("Pagu tidak pernah diubah: revisi (mis. APBD-P) dicatat sebagai baris baru dengan alasannya."),
    }
    return _form_page(request, "budgets/form.html", form, context)


ENTRY_FIELDS = (
    "source", "household", "kind", "on", "amount", "units", "method", "recipient_name", "proof", "proof_note",
    "application", "note",
)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request, pk):
    _need(request.user, LEDGER_RECORD)
    programme = get_object_or_404(Programme.objects.select_related("service"), pk=pk)
    form = EntryForm(request.POST or None, request.FILES or None, programme=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        entry = _written(
            form,
            lambda data: actions.record_entry(actor=request.user, programme=programme, **_fields(data, *ENTRY_FIELDS)),
        )
        if entry:
            messages.success(request, _("Entri buku kas #%(pk)s dicatat.") % {"pk": entry.pk})
            return redirect("budgets:entry", pk=entry.pk)
    context = {"title": _("Catat entri buku kas: %(name)s") % {"name": programme}, "programme": programme}
    return _form_page(request, "budgets/form.html", form, context)


def _entry(request, pk):
    if not _sees_rows(request.user):
        raise PermissionDenied
    return selectors.entry_for(request.user, pk)


@login_required
def entry_detail(request, pk):
    entry = _entry(request, pk)
    record(actor=request.user, action=Action.VIEW, instance=entry, household_id=entry.household_id)
    return render(request, "budgets/entry_detail.html", {"entry": entry})


@login_required
def entry_proof(request, pk):
    entry = _entry(request, pk)
    if not entry.proof:
        raise Http404
    record(actor=request.user, action=Action.VIEW, instance=entry, household_id=entry.household_id, reason="bukti")
    return FileResponse(entry.proof.open("rb"), as_attachment=True, filename=entry.proof.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def entry_reverse(request, pk):
    """A confirmation page with the entry and a reason; the reversal is written on POST only."""
    _need(request.user, LEDGER_RECORD)
    entry = _entry(request, pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reversal = _written(
            form,
            lambda data: actions.reverse_entry(actor=request.user, entry=entry, **_fields(data, "reason")),
        )
        if reversal:
            messages.success(request, _("Entri #%(pk)s dibalik.") % {"pk": entry.pk})
            return redirect("budgets:entry", pk=reversal.pk)
    return render(request, "budgets/entry_reverse.html", {"entry": entry, "form": form})


@_readers
def realisation(request):
    year = _year(request)
    context = {
        "year": year,
        "years": sorted({*selectors.years(), year}, reverse=True),
        "tables": report.realisation_tables(year),
        "shares": report.programme_shares(year),
    }
    return render(request, "budgets/report.html", context)


@_readers
def realisation_xlsx(request):
    year = _year(request)
    return attachment(report.xlsx(year), XLSX_TYPE, f"realisasi-anggaran-{year}.xlsx")


@_readers
def realisation_pdf(request):
    year = _year(request)
    return attachment(report.pdf(year), "application/pdf", f"realisasi-anggaran-{year}.pdf")


@_readers
def dprd(request):
    year = _year(request)
    poor = selectors.poor_per_kecamatan()
    summary = []
    for item in selectors.year_overview(year):
        programme = item["programme"]
        summary.append(
            {
                **item,
                "revisions": selectors.revisions_of(programme),
                "reached": selectors.households_reached(programme),
                "waiting": selectors.waiting(programme),
                "kecamatan_rows": selectors.kecamatan_rows(programme, poor=poor),
            }
        )
    context = {"year": year, "years": sorted({*selectors.years(), year}, reverse=True), "summary": summary}
    return render(request, "budgets/dprd.html", context)
