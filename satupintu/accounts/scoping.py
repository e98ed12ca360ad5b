"""The one scoping function: which areas a user may see.

Every list, detail page and API endpoint that shows household-level data filters through
`area_q`. Views fetch single objects with a scoped queryset, so an object outside the user's area
is a 404, never a 403 that would confirm it exists.
"""

from django.db.models import Q

from satupintu.regions.models import Level, Region

from .models import AREA_ROLES
from .permissions import REGISTRY_READ, has

NOTHING = Q(pk__in=[])


def area_q(user, desa_path: str = "desa") -> Q:
    """A filter for rows whose desa is reached by `desa_path` ("" for Region rows themselves).

    - anonymous or inactive users, mitra and auditor: nothing at household level;
    - a user bound to a desa: that desa; to a kecamatan: its desa; unbound unit staff: everything.
    """
    if not has(user, REGISTRY_READ):
        return NOTHING
    region = user.region
    if region is None:
        bound = user.role in AREA_ROLES and not user.is_superuser
        return NOTHING if bound else Q()
    prefix = f"{desa_path}__" if desa_path else ""
    if region.level == Level.DESA:
        return Q(**{f"{prefix}code": region.code})
    if region.level == Level.KECAMATAN:
        return Q(**{f"{prefix}parent_id": region.code})
    return Q(**{f"{prefix}code__startswith": region.code + "."})


def desa_for(user):
    """The desa/kelurahan a user may see and register households in."""
    return Region.objects.filter(level=Level.DESA).filter(area_q(user, "")).select_related("parent")
