from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def require(predicate_name: str):
    """Login required, then `user.<predicate_name>` must be true (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(request.user, predicate_name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


registry_reader = require("can_read_registry")
registry_writer = require("can_write_registry")
