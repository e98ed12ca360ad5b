"""Pages for citizens, without login: the service charter and tracking by number + PIN."""

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from satupintu.catalogue import versions
from satupintu.catalogue.calendar import working_calendar
from satupintu.catalogue.models import ServiceType
from satupintu.lib import page_cache

from . import tracking
from .deadlines import due_date_for


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Nomor tanda terima"), max_length=20)
    pin = forms.CharField(
        label=_("PIN tanda terima (6 angka)"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric"}),
        help_text=_("PIN 6 angka yang tertulis di tanda terima permohonan."),
    )


def service_rows(today):
    calendar = working_calendar()
    services = ServiceType.objects.filter(is_active=True).select_related("agency")
    rows = []
    for service in services.prefetch_related("requirements", "standards"):
        standard = service.standard_on(today)
        rows.append({"service": service, "standard": standard, "estimate": due_date_for(standard, today, calendar)})
    return rows


def maklumat(request):
    today = timezone.localdate()
    return page_cache.serve(request, (versions.version(), today), lambda: _maklumat(request, today))


def _maklumat(request, today):
    services = versions.cached(
        "charter",
        lambda: render_to_string("public/_maklumat_services.html", {"rows": service_rows(today), "today": today}),
        get_language(),
        today.isoformat(),
    )
    return render(request, "public/maklumat.html", {"services": mark_safe(services), "today": today})  # noqa: S308


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        return page_cache.serve(request, "form", lambda: render(request, "public/track.html", {"form": TrackForm()}))
    form = TrackForm(request.POST)
    result, failed, limited = None, False, False
    if form.is_valid():
        if tracking.rate_limited(request, form.cleaned_data["number"]):
            limited = True
        else:
            application = tracking.find(form.cleaned_data["number"], form.cleaned_data["pin"])
            result = tracking.public_view(application) if application else None
            failed = application is None
    response = render(
        request, "public/track.html", {"form": form, "result": result, "failed": failed, "limited": limited}
    )
    if limited:
        response.status_code = 429
    return response
