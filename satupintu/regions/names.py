"""The regions by code, kept per regions version: every signed-in page names the officer's region
and scopes its lists by it, and a query for it on every page cost more than the page's header. Any
save or delete of a region (the admin, `load-regions`) sets a new version."""

from django.db.models.signals import post_delete, post_save

from satupintu.lib import versioned_cache

from .models import Region

NAMESPACE = "regions"


def _changed(**kwargs) -> None:
    versioned_cache.changed(NAMESPACE)


post_save.connect(_changed, sender=Region, dispatch_uid="regions-version-saved")
post_delete.connect(_changed, sender=Region, dispatch_uid="regions-version-deleted")


def _all() -> dict[str, tuple[str, str, str | None]]:
    def build():
        return {code: (name, level, parent) for code, name, level, parent in Region.objects.values_list(
            "code", "name", "level", "parent_id")}  # fmt: skip

    return versioned_cache.cached(NAMESPACE, "all", build)


def region_of(code: str | None) -> Region | None:
    """The region with this code (its code, name, level and parent's code), or None; not saved."""
    found = _all().get(code) if code else None
    if found is None:
        return None
    name, level, parent = found
    return Region(code=code, name=name, level=level, parent_id=parent)


def name_of(code: str | None) -> str:
    """The region's name ("Keden", "Kalijambe"), or "" for no region or an unknown code."""
    found = _all().get(code) if code else None
    return found[0] if found else ""
