"""The regions' version (`versioned_cache`, namespace "regions"), under which the kept lists of desa
are stored (registry.forms.desa_choices): any save or delete of a region, in the admin or by
`load-regions`, sets a new one, so a renamed desa shows in those lists at once."""

from django.db.models.signals import post_delete, post_save

from satupintu.lib import versioned_cache

from .models import Region

NAMESPACE = "regions"


def _changed(**kwargs) -> None:
    versioned_cache.changed(NAMESPACE)


post_save.connect(_changed, sender=Region, dispatch_uid="regions-version-saved")
post_delete.connect(_changed, sender=Region, dispatch_uid="regions-version-deleted")
