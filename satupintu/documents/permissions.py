"""Who may do what with issued documents (the scoping itself is `area_q`, through the selectors)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from satupintu.accounts.models import Role

# Unit staff revoke, reissue and print cards; desa and kecamatan operators only read their area's.
MANAGER_ROLES = {Role.KEPALA, Role.PETUGAS_LAYANAN, Role.ADMIN}


def can_manage_documents(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role in MANAGER_ROLES)


def document_manager(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_documents(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
