from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from . import two_factor

API_PREFIX = "/api/"
# Pages a session with steps pending may still open: the steps themselves, signing out, the language,
# the health check, and the public pages (a citizen's view of the service).
OPEN_NAMES = (
    *two_factor.STEP_URLS.values(),
    "accounts:qr",
    "accounts:recovery_codes",
    "login",
    "logout",
    "set_language",
    "healthz",
    "transparency",
    "cases:maklumat",
    "cases:track",
    "complaints:public_new",
    "complaints:track",
    "survey:entry",
)


class AccountChecksMiddleware:
    """Sends a signed-in user who owes a step (two_factor.py) to that step's page before any other;
    the API answers 403 to such a session. Reads the session only: no query on an ordinary request."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        from django.conf import settings

        return (settings.STATIC_URL, "/v/", *(reverse(name) for name in OPEN_NAMES))

    def __call__(self, request):
        steps = two_factor.pending(request)
        if steps and not request.path_info.startswith(self.open_prefixes):
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse(
                    {"detail": _("Selesaikan verifikasi dua langkah atau penggantian kata sandi terlebih dahulu.")},
                    status=403,
                )
            return redirect(two_factor.STEP_URLS[steps[0]])
        return self.get_response(request)
