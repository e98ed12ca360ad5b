from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from satupintu.accounts.models import Role

# Unit-wide readers of the equity audit and the SKM results (aggregates, no personal data).
REPORT_ROLES = frozenset({Role.KASI, Role.KEPALA, Role.AUDITOR, Role.ADMIN})


def can_read_reports(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.role in REPORT_ROLES or user.is_superuser))


def report_reader(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_read_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
