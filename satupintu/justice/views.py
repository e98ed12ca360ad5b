import threading
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.accounts.permissions import EQUITY_REPORT, REGISTRY_READ, require
from satupintu.cases.models import Application
from satupintu.cases.selectors import applications_for
from satupintu.lib import page_cache
from satupintu.lib.ikm import ELEMENTS
from satupintu.lib.versioned_cache import NotReady

from . import charts, distributive, documents, fairness, tasks
from .emergency import access_section, monthly_section
from .extract import FILTER_KEYS, Period, as_query, extract, filters_from, matches
from .forms import MonthForm, PeriodForm
from .monthly import monthly, overdue
from .public import figures as public_figures
from .report import build


def cases_url(period: Period, **filters) -> str:
    query = {**period.query(), **{key: as_query(value) for key, value in filters.items()}}
    return reverse("justice:cases") + "?" + urlencode(query)


def _period_or_400(request):
    form = PeriodForm(request.GET)
    return form, (form.period() if form.is_valid() else None)


@require(EQUITY_REPORT)
@require_http_methods(["GET", "POST"])
def equity_report(request):
    """The report of a period as a page; posted with a format, its XLSX or PDF export queued as a job
    whose page offers the file."""
    if request.method == "POST":
        return _equity_export(request)
    form, period = _period_or_400(request)
    if period is None:
        return render(request, "justice/equity.html", {"form": form}, status=400)
    report = build(period)
    distributive.withhold_identifiers(report, request.user)
    context = {
        "form": form,
        "report": report,
        "period": period,
        "traceable": request.user.can_read_registry,
        "charts": _equity_charts(report),
        "links": _equity_links(report),
        "export_fields": period.query(),
        "recusals": fairness.recusal_audit(period),
        "emergency": access_section(period),
    }
    return render(request, "justice/equity.html", context)


def _equity_export(request):
    form = PeriodForm(request.POST)
    fmt = request.POST.get("format")
    if not form.is_valid() or fmt not in tasks.FORMATS:
        return HttpResponseBadRequest(_("Periode atau format ekspor tidak sah."))
    job = tasks.equity_export_queue(actor=request.user, period=form.period(), fmt=fmt)
    messages.success(request, _("Ekspor laporan masuk antrean; berkasnya dapat diunduh di sini setelah selesai."))
    return redirect("ops:job", pk=job.pk)


def _equity_links(report) -> dict:
    period = report.period
    for row in report.access["kecamatan_rows"]:
        row["url"] = cases_url(period, kecamatan=row["code"])
    for row in report.access["desa_rows"]:
        row["url"] = cases_url(period, desa=row["code"])
    for item in report.consistency:
        for group in item["groups"]:
            group["url"] = cases_url(period, decided=True, **{item["dimension"]: group["key"]})
    for officer in report.procedural["officers"]:
        if officer["officer"]:
            officer["url"] = cases_url(period, decided=True, officer=officer["officer"])
            officer["override_url"] = cases_url(period, decided=True, officer=officer["officer"], override=True)
    return {
        "all": cases_url(period),
        "decided": cases_url(period, decided=True),
        "incomplete": cases_url(period, decided=True, checks=False),
        "unreasoned": cases_url(period, decided=True, reasoned=False),
        "completed": cases_url(period, completed=True),
    }


def _equity_charts(report) -> dict:
    access = report.access
    result = {
        "access": charts.bars(
            [(row["name"], row["rate"], row["flagged"]) for row in access["kecamatan_rows"]],
            title=_("Permohonan per rumah tangga miskin"),
            reference=access["kecamatan"].median_rate,
        ),
        "procedural": charts.bars(
            [
                (officer["name"], officer["overrides"] + officer["queue_exceptions"], False)
                for officer in report.procedural["officers"]
            ],
            title=_("Penyimpangan aturan dan pengecualian antrean per petugas"),
        ),
        "outcomes": charts.bars(
            [(item["label"], item["per_1000"], False) for item in report.outcomes["complaints"]],
            title=_("Pengaduan per 1.000 permohonan"),
        ),
        "consistency": {},
    }
    for item in report.consistency:
        flagged = item["duration"].flagged
        slow = max((g["median"] for g in item["groups"]), default=None)
        result["consistency"][item["dimension"]] = charts.bars(
            [(g["label"], g["median"], flagged and g["median"] == slow) for g in item["groups"]],
            title=_("Median hari kerja sampai keputusan"),
        )
    return result


@require(REGISTRY_READ)
def case_list(request):
    """The cases behind a figure: the report's own rows, filtered the same way, within the user's scope."""
    form, period = _period_or_400(request)
    if period is None:
        return HttpResponseBadRequest(_("Periode tidak sah."))
    filters = filters_from(request.GET)
    ids = [row["id"] for row in extract(period, base=applications_for(request.user)) if matches(row, filters)]
    page = Paginator(ids, 50).get_page(request.GET.get("page"))
    cases = Application.objects.filter(pk__in=list(page.object_list)).select_related(
        "service", "desa__parent", "applicant"
    )
    query = {key: value for key, value in request.GET.items() if key != "page"}
    context = {
        "form": form,
        "page": page,
        "cases": sorted(cases, key=lambda case: (case.received_at, case.pk)),
        "filters": [(key, as_query(filters[key])) for key in FILTER_KEYS if key in filters],
        "query": urlencode(query),
    }
    return render(request, "justice/cases.html", context)


@require(EQUITY_REPORT)
def skm_results(request):
    from satupintu.survey.actions import ikm_by, ikm_of, responses_in

    form, period = _period_or_400(request)
    if period is None:
        return render(request, "justice/skm.html", {"form": form}, status=400)
    responses = responses_in(period.start, period.end)
    if period.kecamatan:
        responses = responses.filter(kecamatan_id=period.kecamatan)
    context = {
        "form": form,
        "unit": ikm_of(responses),
        "by_service": sorted(ikm_by(responses, "service__name").items(), key=lambda item: item[0]),
        "by_kecamatan": sorted(ikm_by(responses, "kecamatan__name").items(), key=lambda item: item[0]),
        "elements": ELEMENTS,
    }
    return render(request, "justice/skm.html", context)


# The transparency page's tables as HTML, per (language, build of the figures): the same for every
# visitor until the figures are rebuilt, so each worker renders them once per build. The last few
# builds are kept.
_public_bodies: dict[tuple, str] = {}
_public_bodies_lock = threading.Lock()


def _on_time_chart(table: dict, title: str):
    """The on-time share of the rows whose share the table shows (a row with a hidden or too small count
    has none, and shows "–" in the chart as in the table)."""
    return charts.bars(
        [(row["name"], None if row["on_time"] is None else 100 * row["on_time"], False) for row in table["rows"]],
        unit="%",
        title=title,
    )


def _render_public_body(figures: dict) -> str:
    chart_kecamatan = _on_time_chart(figures["tables"]["kecamatan"], _("Selesai tepat waktu per kecamatan"))
    chart_services = _on_time_chart(figures["tables"]["services"], _("Selesai tepat waktu per layanan"))
    context = {**figures, "chart_kecamatan": chart_kecamatan, "chart_services": chart_services}
    return render_to_string("justice/_public_body.html", context)


def _public_body(figures: dict) -> str:
    if figures.get("build") is None:  # figures kept before they carried a build id
        return _render_public_body(figures)
    key = (get_language(), figures["build"])
    body = _public_bodies.get(key)
    if body is None:
        body = _render_public_body(figures)
        with _public_bodies_lock:  # the worker's threads (gthread) share the dictionary
            while len(_public_bodies) >= 8:
                _public_bodies.pop(next(iter(_public_bodies)))
            _public_bodies[key] = body
    return body


def public_page(request):
    # Anyone may ask, and the tables cost seconds over a regency's year: they are built by a schedule
    # (or by one worker at a time), never by every worker at once.
    try:
        figures = public_figures()
    except NotReady:
        response = render(request, "justice/public_preparing.html", status=503)
        response["Retry-After"] = "60"
        return response
    return page_cache.serve(
        request,
        figures.get("build"),
        lambda: render(request, "justice/public.html", {**figures, "body": _public_body(figures)}),
    )


@require(REGISTRY_READ)
def monthly_report(request):
    form = MonthForm(request.GET)
    if not form.is_valid():
        return render(request, "justice/monthly.html", {"form": form}, status=400)
    data = monthly(request.user, form.cleaned_data["month"])
    late = overdue(request.user)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return documents.monthly_export(fmt, data, late)
    context = {
        "form": form,
        "monthly": data,
        "overdue": late[:200],
        "overdue_count": late.count(),
        "chart": charts.bars(
            [(row["name"], row["received"], False) for row in data["tables"]["service"]],
            title=_("Permohonan diterima per layanan"),
        ),
        "chart_finished": charts.bars(
            [(row["name"], row["finished"], False) for row in data["tables"]["service"]],
            title=_("Permohonan selesai per layanan"),
        ),
        "month": f"{form.cleaned_data['month']:%Y-%m}",
        "fast_path": fairness.fast_path_shares(request.user, data["period"]),
        "referral_deadlines": fairness.referral_on_time(request.user, data["period"]),
        "emergency": monthly_section(request.user, data["period"]),
    }
    return render(request, "justice/monthly.html", context)
