"""API tokens: made, checked and revoked here. The clear key exists only in the answer to `issue`."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.audit import log

from .models import ApiToken

PREFIX = "sp_"
PREFIX_LENGTH = 10  # "sp_" and seven characters of the key: enough to tell a user's tokens apart
# The last use is written at most this often, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=15)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user, *, actor=None, name: str = "", days: int | None = None, submission_key=None) -> tuple[ApiToken, str]:
    """A new token of `user`, valid `days` days (API_TOKEN_DAYS), and its clear key (shown once).

    The same `submission_key` again (a retried form) returns the first token and no key."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValueError("days must be at least 1")
    key = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user,
                name=name,
                prefix=key[:PREFIX_LENGTH],
                digest=digest(key),
                created_at=now,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                expires_at=now + dt.timedelta(days=days),
                submission_key=submission_key,
            )
            log.record(
                actor=actor,
                action=log.Action.CREATE,
                instance=token,
                changes={
                    "user": [None, user.pk],
                    "prefix": [None, token.prefix],
                    "expires_at": [None, token.expires_at.isoformat()],
                },
                reason=name,
            )
    except IntegrityError:
        if submission_key is None:
            raise
        return ApiToken.objects.get(submission_key=submission_key), ""
    return token, key


def authenticate(key: str) -> ApiToken | None:
    """The usable token with this key (its user loaded), or None: unknown, expired or revoked."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(token: ApiToken, *, actor, reason: str) -> bool:
    """Revoke `token` for good; False when it was revoked already."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return False
        token.revoked_at = timezone.now()
        token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        token.revoke_reason = reason[:250]
        token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        log.record(
            actor=actor,
            action=log.Action.UPDATE,
            instance=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            reason=token.revoke_reason,
        )
    return True
