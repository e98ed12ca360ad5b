from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.accounts.permissions import REGISTRY_READ, REGISTRY_WRITE, require

from . import actions, selectors, services, workflow
from .forms import DecisionForm, UploadForm
from .models import PairStatus, RowError
from .report import write_error_report, write_template
from .tasks import enqueue_import

PAGE_SIZE = 25


@require(REGISTRY_READ)
def batch_list(request):
    batches = selectors.batches_for(request.user).select_related("uploaded_by")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/batch_list.html", {"page": page, "form": UploadForm()})


@require(REGISTRY_WRITE)
@require_http_methods(["GET", "POST"])
def batch_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.batch_create(
            actor=request.user, upload=upload, name=upload.name, source=form.cleaned_data["source"]
        )
        enqueue_import(batch)
        messages.success(request, _("Berkas diterima; pemeriksaan berjalan di latar belakang."))
        return redirect("imports:batch_detail", pk=batch.pk)
    return render(request, "imports/batch_upload.html", {"form": form})


@require(REGISTRY_READ)
def batch_detail(request, pk):
    batch = selectors.batch_for_user(request.user, pk)
    context = {
        "batch": batch,
        "events": batch.events.select_related("actor"),
        "errors": RowError.objects.filter(batch=batch)[:50],
        "can_decide": workflow.MACHINE.check(workflow.TRANSITIONS["approve"], batch, request.user) is None,
        "retention_days": settings.IMPORT_RETENTION_DAYS,
        "same_file": selectors.same_file_batches(request.user, batch),
    }
    return render(request, "imports/batch_detail.html", context)


@require(REGISTRY_READ)
def batch_status(request, pk):
    batch = selectors.batch_for_user(request.user, pk)
    return JsonResponse(
        {
            "state": batch.state,
            "state_label": batch.get_state_display(),
            "percent": batch.progress_percent,
            "done": batch.progress_done,
            "total": batch.progress_total,
            "final": batch.is_final or batch.state == "validated",
        }
    )


@require(REGISTRY_READ)
def batch_errors(request, pk):
    batch = selectors.batch_for_user(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kesalahan-{batch.reference}.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    write_error_report(batch, response)
    return response


@require_POST
@require(REGISTRY_READ)
def batch_decide(request, pk):
    batch = selectors.batch_for_user(request.user, pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        workflow.move(batch, decision, actor=request.user, reason=note)
    except workflow.TransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect("imports:batch_detail", pk=batch.pk)
    if decision == "approve":
        enqueue_import(batch)
        messages.success(request, _("Disetujui; baris yang valid sedang diimpor."))
    else:
        messages.success(request, _("Batch ditolak; tidak ada yang diimpor."))
    return redirect("imports:batch_detail", pk=batch.pk)


@require(REGISTRY_READ)
def template_download(request):
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-satupintu.xlsx"'
    write_template(response)
    return response


@require(REGISTRY_READ)
def pair_list(request):
    status = request.GET.get("status", PairStatus.OPEN)
    if status not in PairStatus.values:
        status = PairStatus.OPEN
    page = Paginator(selectors.pairs_for(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/pair_list.html", {"page": page, "status": status, "statuses": PairStatus.choices})


@require_POST
@require(REGISTRY_WRITE)
def pair_decide(request, pk):
    pair = selectors.pair_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decision = request.POST.get("decision")
    try:
        if decision == "dismiss":
            actions.pair_dismiss(actor=request.user, pair=pair, note=note)
            messages.success(request, _("Ditandai bukan duplikat."))
        elif decision in ("keep_a", "keep_b"):
            keep = pair.person_a if decision == "keep_a" else pair.person_b
            actions.pair_merge(actor=request.user, pair=pair, keep=keep, note=note)
            messages.success(request, _("Data digabung; %(name)s dipertahankan.") % {"name": keep.name})
        else:
            raise Http404
    except actions.PairClosed:
        messages.error(request, _("Pasangan ini sudah diputuskan oleh petugas lain."))
    return redirect("imports:pair_list")
