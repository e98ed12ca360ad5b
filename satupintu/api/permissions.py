from rest_framework.permissions import SAFE_METHODS, BasePermission


class RegistryAccess(BasePermission):
    """Read needs a registry role; writes need a registry-writing role. Area scoping is in querysets."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return user.can_read_registry
        return user.can_write_registry
