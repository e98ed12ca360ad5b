from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.accounts.permissions import REGISTRY_READ, TARGETING_RUN, has, require

from . import selectors
from .models import TargetingRun
from .tasks import targeting_queue

PAGE_SIZE = 25


@require(REGISTRY_READ)
def run_list(request):
    page = Paginator(TargetingRun.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "jobs": selectors.unfinished_jobs(), "can_run": has(request.user, TARGETING_RUN)}
    return render(request, "targeting/run_list.html", context)


@require_POST
@require(TARGETING_RUN)
def run_start(request):
    targeting_queue(actor=request.user)
    messages.success(
        request, _("Penetapan sasaran berjalan di latar belakang; hasilnya tampil di daftar ini setelah selesai.")
    )
    return redirect("targeting:run_list")


@require(REGISTRY_READ)
def run_detail(request, pk):
    """A run's changes since the run before it; for the first run, which has none to compare with,
    the lines it found (all of them new)."""
    run = get_object_or_404(TargetingRun, pk=pk)
    first, lines = selectors.run_lines(request.user, run)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "targeting/run_detail.html", {"run": run, "page": page, "first": first})
