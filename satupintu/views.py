import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views import defaults

from satupintu.accounts.scoping import desa_for
from satupintu.middleware import database_unavailable_response, is_database_unavailable
from satupintu.registry.selectors import area_key, household_count, households_for, people_for


def area_summary(user) -> dict:
    """Counts of the user's area for the home page, computed at most every HOME_SUMMARY_SECONDS per
    area: over a regency's 300,000 households the status breakdown costs more than the page."""
    key = f"home-summary:{area_key(user)}"
    summary = cache.get(key)
    if summary is None:
        households = households_for(user)
        summary = {
            "households": household_count(user),
            "people": people_for(user).count(),
            "desa_count": desa_for(user).count(),
            "by_status": list(
                households.with_poverty().values("poverty_result").annotate(n=Count("id")).order_by("poverty_result")
            ),
            "counted_at": timezone.now(),
        }
        cache.set(key, summary, settings.HOME_SUMMARY_SECONDS)
    return summary


@login_required
def home(request):
    user = request.user
    context = {"can_read_registry": user.can_read_registry}
    if user.can_read_registry:
        context.update(area_summary(user))
    return render(request, "core/home.html", context)


def server_error(request):
    """An error outside a view (the session saved after the response, a middleware's query) that
    comes from an unreachable database is a 503 like a view's; anything else is Django's 500."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return defaults.server_error(request)
