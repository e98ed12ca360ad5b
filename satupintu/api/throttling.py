"""API request limits (settings.API_THROTTLE_RATES), counted in the shared cache so that every
worker counts the same requests. A caller over its limit gets 429 with Retry-After."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, throttling
from rest_framework.views import exception_handler as drf_exception_handler


class _SettingRate:
    """The rate read from Django's settings at each request (None: no limit, nothing counted)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class UserThrottle(_SettingRate, throttling.UserRateThrottle):
    pass


class AnonThrottle(_SettingRate, throttling.AnonRateThrottle):
    pass


def exception_handler(exc, context):
    """DRF's answers, with the 429's message in the user's language (Retry-After is DRF's)."""
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        exc.detail = _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.") % {"seconds": wait}
    return drf_exception_handler(exc, context)
