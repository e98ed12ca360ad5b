"""The catalogue's cached views (the public charter, the services API, the intake's services, the
local days of the calendar): built once per catalogue version, language and day. An admin's edit of
a service, its requirements or standards, a partner agency or a local holiday, any save or delete of
such a row elsewhere, and every reload of the reference data, sets a new version."""

from django.db.models.signals import post_delete, post_save

from satupintu.accounts.models import Agency
from satupintu.lib import versioned_cache

from .models import LocalHoliday, Requirement, ServiceStandard, ServiceType

NAMESPACE = "catalogue"


def _row_changed(**kwargs) -> None:
    changed()


for _model in (ServiceType, Requirement, ServiceStandard, LocalHoliday, Agency):
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"catalogue-version-{_model.__name__}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"catalogue-version-{_model.__name__}")


def cached(name: str, build, *parts):
    return versioned_cache.cached(NAMESPACE, name, build, *parts)


def version() -> str:
    """The catalogue's current version (a page built from it is keyed on it)."""
    return versioned_cache.version(NAMESPACE)


def changed() -> None:
    versioned_cache.changed(NAMESPACE)
