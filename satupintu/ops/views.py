"""A user's job: its page (progress, outcome, the download link) and its file. Both answer 404 to
anyone but the requester and the holders of the job's permission in its area."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from satupintu.accounts.permissions import has
from satupintu.accounts.scoping import area_q
from satupintu.regions.models import Region

from .models import Job

REFRESH_SECONDS = 3


def may_open(user, job: Job) -> bool:
    if job.requested_by_id == user.pk:
        return True
    if not job.permission or not has(user, job.permission):
        return False
    return not job.area or Region.objects.filter(area_q(user, ""), code=job.area).exists()


def _job_for(user, pk) -> Job:
    job = get_object_or_404(Job.objects.select_related("requested_by"), pk=pk)
    if not may_open(user, job):
        raise Http404
    return job


@login_required
@require_GET
def job_detail(request, pk):
    job = _job_for(request.user, pk)
    return render(request, "ops/job.html", {"job": job, "refresh": REFRESH_SECONDS if job.is_open else None})


@login_required
@require_GET
def job_download(request, pk):
    job = _job_for(request.user, pk)
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.filename)
