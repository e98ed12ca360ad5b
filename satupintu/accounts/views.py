"""The steps a session owes after the password (two_factor.py): enrol or verify a second factor,
see the recovery codes once, change a temporary password."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import actions, two_factor
from .forms import CodeForm

SHOWN_CODES = "_recovery_codes"
# One message for a wrong code and for a code tried too soon after a wrong one: the answer does not
# tell a guesser which.
REFUSED = _("Kode tidak diterima. Periksa kodenya, tunggu beberapa detik, lalu coba lagi.")


def _next_page(request):
    steps = two_factor.pending(request)
    return redirect(two_factor.STEP_URLS[steps[0]] if steps else "home")


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    if two_factor.ENROL not in two_factor.pending(request):
        return _next_page(request)
    device = actions.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.confirm_enrolment(request, form.cleaned_data["code"])
        if codes is not None:
            request.session[SHOWN_CODES] = codes
            return redirect("accounts:recovery_codes")
        form.add_error("code", REFUSED)
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))},
        status=400 if form.errors else 200,
    )


@login_required
def qr(request):
    """The enrolment QR (otpauth:// URI) as SVG: an image from the site itself (the CSP allows it)."""
    if two_factor.ENROL not in two_factor.pending(request):
        raise Http404
    device = actions.enrolment_device(request.user)
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
def recovery_codes(request):
    codes = request.session.pop(SHOWN_CODES, None)
    if not codes:
        return _next_page(request)
    return render(request, "accounts/recovery_codes.html", {"codes": [two_factor.show(code) for code in codes]})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if two_factor.VERIFY not in two_factor.pending(request):
        return _next_page(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.verify(request, form.cleaned_data["code"]):
            return _next_page(request)
        form.add_error("code", REFUSED)
    return render(request, "accounts/verify.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    if {two_factor.ENROL, two_factor.VERIFY} & set(two_factor.pending(request)):
        return _next_page(request)  # the second factor first: a temporary password alone is not enough
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_own_password(request, form)
        messages.success(request, _("Kata sandi sudah diganti."))
        return _next_page(request)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
        status=400 if form.errors else 200,
    )
