import datetime as dt
import sys

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.views import defaults

from satupintu import dashboard
from satupintu.accounts.permissions import DEADLINE_ESCALATION, has
from satupintu.accounts.scoping import desa_for
from satupintu.cases.public import TrackForm, service_rows
from satupintu.catalogue import versions
from satupintu.catalogue.calendar import working_calendar
from satupintu.justice.public import figures as public_figures
from satupintu.lib import page_cache
from satupintu.lib.versioned_cache import NotReady
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
            "by_status": list(households.values("poverty_result").annotate(n=Count("id")).order_by("poverty_result")),
            "counted_at": timezone.now(),
        }
        cache.set(key, summary, settings.HOME_SUMMARY_SECONDS)
    return summary


def work_summary(user, today) -> dict:
    """The day's work of `user` for the home page, computed at most every HOME_WORK_SECONDS per user
    and language: over a regency's applications the queues, deadlines and the on-time chart cost
    several times the rest of the page. The page shows when they were counted."""
    key = f"home-work:{user.pk}:{today.isoformat()}:{translation.get_language()}"
    summary = cache.get(key) if settings.HOME_WORK_SECONDS else None
    if summary is None:
        queues = dashboard.my_queues(user)
        summary = {
            "queues": queues,
            "empty_queues": [q for q in queues if not q["count"]],
            "deadlines": dashboard.deadlines(user),
            "referrals": dashboard.my_referrals(user),
            "complaints": dashboard.complaints_near_deadline(user, today, working_calendar()),
            "intake": dashboard.intake_today(user, today),
            "on_time": dashboard.on_time_share(user, today),
            "budget": dashboard.budget_realisation(today) if has(user, DEADLINE_ESCALATION) else None,
            "work_counted_at": timezone.now(),
        }
        if settings.HOME_WORK_SECONDS:
            cache.set(key, summary, settings.HOME_WORK_SECONDS)
    return summary


def home(request):
    """The front door: the public home for citizens, the day's work for a signed-in officer.

    The officer's part is built from counts kept per officer (HOME_WORK_SECONDS) and per area
    (HOME_SUMMARY_SECONDS); rendered, it is kept in the worker until the first of them is counted
    again, so a repeat visit neither reads nor renders them (lib/page_cache.py)."""
    if not request.user.is_authenticated:
        return public_home(request)
    user = request.user
    today = timezone.localdate()
    key = ("home", user.pk, translation.get_language())
    version = (
        today,
        user.get_full_name(),
        user.username,
        user.role,
        user.is_superuser,
        user.region_id,
        user.agency_id,
    )
    content = page_cache.kept_fragment(key, version)
    if content is not None:
        return render(request, "core/home.html", {"content": content})
    context = {
        "can_read_registry": user.can_read_registry,
        "today": today,
        "shows_budget": has(user, DEADLINE_ESCALATION),
        **work_summary(user, today),
    }
    until = context["work_counted_at"] + dt.timedelta(seconds=settings.HOME_WORK_SECONDS)
    if user.can_read_registry:
        context.update(area_summary(user))
        until = min(until, context["counted_at"] + dt.timedelta(seconds=settings.HOME_SUMMARY_SECONDS))
    content = render_to_string("core/_home_work.html", context, request)
    page_cache.keep_fragment(key, version, content, until)
    return render(request, "core/home.html", {**context, "content": content})


def public_home(request):
    """Services and their standards, tracking, complaints, letter checks and the published figures."""
    today = timezone.localdate()
    try:
        figures = public_figures()
    except NotReady:
        figures = None
    version = (versions.version(), today, figures and figures.get("build"))
    return page_cache.serve(request, version, lambda: _public_home(request, today, figures))


def _public_home(request, today, figures):
    context = {
        "rows": service_rows(today),
        "today": today,
        "totals": figures["tables"]["services"]["totals"] if figures else None,
        "figures": figures,
        "track_form": TrackForm(),
    }
    return render(request, "public/home.html", context)


def favicon(request):
    return redirect(static("satupintu/favicon.svg"), permanent=True)


def server_error(request):
    """An error outside a view (the session saved after the response, a middleware's query) that
    comes from an unreachable database is a 503 like a view's; anything else is Django's 500."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return defaults.server_error(request)
