from rest_framework.permissions import SAFE_METHODS, BasePermission


class RegistryAccess(BasePermission):
    """Reading needs a registry role, writing a registry-writing role. Area scoping is in querysets.

    A read is a safe method or one of the view's `read_actions`: a search POSTs its terms so that no
    NIK lands in a URL or a log, and is a read all the same.
    """

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS or getattr(view, "action", None) in getattr(view, "read_actions", ()):
            return user.can_read_registry
        return user.can_write_registry
