import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from satupintu.accounts.permissions import DOCUMENT_MANAGE, REGISTRY_READ, has, require
from satupintu.audit import log
from satupintu.lib import page_cache

from . import actions, scans, selectors, signing, tasks
from .forms import BatchPrintForm, FilterForm, ReasonForm

PAGE_SIZE = 25


@require(REGISTRY_READ)
@require_GET
def document_list(request):
    form = FilterForm(request.GET or None)
    terms = form.cleaned_data if form.is_bound and form.is_valid() else {}
    documents = selectors.document_list(
        request.user, kind=terms.get("kind", ""), state=terms.get("state", ""), number=terms.get("number", "")
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/document_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_manage": has(request.user, DOCUMENT_MANAGE),
        },
    )


@require(REGISTRY_READ)
@require_GET
def document_detail(request, pk):
    document = selectors.document_for_user(request.user, pk)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "status": document.status_on(timezone.localdate()),
            "scans": document.scans.all()[:10],
            "scan_count": document.scans.aggregate(n=Sum("count"))["n"] or 0,
            "can_manage": has(request.user, DOCUMENT_MANAGE),
            "form": ReasonForm(),
        },
    )


@require(REGISTRY_READ)
@require_GET
def document_download(request, pk):
    document = selectors.document_for_user(request.user, pk)
    pdf = bytes(document.pdf)
    if hashlib.sha256(pdf).hexdigest() != document.sha256:
        raise RuntimeError(f"Stored PDF of document {document.pk} does not match its SHA-256.")
    log.record(actor=request.user, action=log.Action.VIEW, instance=document, household_id=document.household_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(document.number.replace("/", "-"))}.pdf"'
    response["X-Content-SHA256"] = document.sha256
    return response


def _reason_action(request, pk, action, success: str):
    document = selectors.document_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan wajib diisi."))
        return redirect("documents:detail", pk=document.pk)
    try:
        result = action(actor=request.user, document=document, reason=form.cleaned_data["reason"])
    except actions.DocumentError as error:
        messages.error(request, str(error))
        return redirect("documents:detail", pk=document.pk)
    messages.success(request, success % {"number": result.number})
    return redirect("documents:detail", pk=result.pk)


@require(DOCUMENT_MANAGE)
@require_POST
def document_revoke(request, pk):
    return _reason_action(request, pk, actions.document_revoke, _("Dokumen %(number)s dicabut."))


@require(DOCUMENT_MANAGE)
@require_POST
def document_reissue(request, pk):
    return _reason_action(request, pk, actions.document_reissue_card, _("Kartu baru %(number)s diterbitkan."))


@require(DOCUMENT_MANAGE)
@require_http_methods(["GET", "POST"])
def card_batch(request):
    """Queues the desa's valid cards for printing and opens the job's page, which offers the PDF."""
    form = BatchPrintForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        desa, kind = form.cleaned_data["desa"], form.cleaned_data["kind"]
        refusal = tasks.batch_refusal(request.user, desa_code=desa, kind=kind)
        if refusal:
            messages.error(request, refusal)
        else:
            job = tasks.card_batch_queue(actor=request.user, desa_code=desa, kind=kind)
            messages.success(request, _("Cetak kartu masuk antrean; PDF-nya dapat diunduh di sini setelah selesai."))
            return redirect("ops:job", pk=job.pk)
    return render(request, "documents/card_batch.html", {"form": form})


@never_cache
@require_GET
def verify(request, token):
    """The public page a QR code opens: no login, no NIK, only the facts needed to trust the paper."""
    allowed, document, addressee, status = scans.open_and_count(request, token)
    if not allowed:
        response = render(request, "documents/verify_throttled.html", status=429)
        response["Retry-After"] = str(settings.SATUPINTU_VERIFY_WINDOW_SECONDS)
        return response
    if document is None:
        response = render(request, "documents/verify_unknown.html", status=404)
    else:
        # The same page for every reader of this document while its status and fields stay as they are.
        version = (status, *(getattr(document, name) for name in scans.VERIFY_FIELDS), addressee)
        context = {"document": document, "status": status, "addressee": addressee}
        response = page_cache.serve(request, version, lambda: render(request, "documents/verify.html", context))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def public_key(request):
    return HttpResponse(signing.public_key_pem(), content_type="text/plain; charset=us-ascii")
