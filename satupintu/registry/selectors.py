"""Reads of the registry. Every one starts from the user's scope."""

import uuid

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from satupintu.accounts.scoping import NOTHING, area_q
from satupintu.lib import compiled, versioned_cache

from .models import Death, Household, KKNumber, Person


def households_for(user):
    return Household.objects.filter(area_q(user, "desa"))


# The version of the kept counts: a household created or removed (registry.actions.counts_changed)
# makes every area count again.
COUNTS = "registry-counts"


def area_key(user) -> str:
    """One key per area a user sees: their region, the whole kabupaten, or nothing (not yet bound)."""
    return str(user.region_id or ("none" if area_q(user) == NOTHING else "all"))


def household_count(user) -> int:
    """The households of the user's area, counted at most every HOME_SUMMARY_SECONDS per area: the
    unfiltered list and the home page show it without counting a regency on every view."""

    def build() -> int:  # the query is built only when the kept count is missing
        return households_for(user).count()

    return versioned_cache.cached(COUNTS, "households", build, area_key(user), timeout=settings.HOME_SUMMARY_SECONDS)


def people_for(user):
    return Person.objects.filter(area_q(user, "household__desa"))


def household_search(user, query: str = "", desa_code: str = "", poverty: str = ""):
    """Households the user may see, matching a NIK, KK number (current or past) or a member's name."""
    qs = households_for(user).select_related("desa__parent", "head")
    query = (query or "").strip()
    digits = query.replace(" ", "")
    if digits.isascii() and digits.isdigit() and len(digits) == 16:
        # IN over indexed lookups, not EXISTS per household: the database finds the few matches first.
        qs = qs.filter(
            Q(pk__in=KKNumber.objects.filter(number=digits).values("household_id"))
            | Q(pk__in=Person.objects.filter(nik=digits).values("household_id"))
        )
    elif query:
        qs = qs.filter(Exists(Person.objects.filter(household=OuterRef("pk"), name__icontains=query)))
    if desa_code:
        qs = qs.filter(desa_id=desa_code)
    if poverty:
        qs = qs.filter(poverty_result=poverty)
    return qs.order_by("desa_id", "id")


def household_for_user(user, pk) -> Household:
    """The household, or 404 when it is outside the user's area (never a 403 that confirms it). Its
    query is compiled once per worker and area (lib/compiled.py)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None

    def build(stand_in):
        return households_for(user).select_related("desa__parent", "head").filter(pk=stand_in)

    found = compiled.instances(("household", user.role, user.is_superuser, area_key(user)), build, pk)
    if not found:
        raise Http404
    return found[0]


def person_for_user(user, pk) -> Person:
    return get_object_or_404(people_for(user).select_related("household__desa"), pk=pk)


def death_by_key(user, key):
    """The death recorded with this one-time submission key in the user's area, if any."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return Death.objects.filter(area_q(user, "household__desa"), submission_key=key).select_related("person").first()
