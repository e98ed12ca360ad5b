"""What a signed-in session still owes before any other page: enrolling or giving a second factor
(TOTP, or a recovery code), and changing a temporary password.

The steps are worked out once, at login, and kept in the session; each step's page removes its
step when done. A signed-in session that carries no list has it worked out on its next request:
a session is never taken as verified by default.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import TWO_FACTOR, has

PENDING = "_account_steps"
ENROL, VERIFY, PASSWORD = "enrol", "verify", "password"
STEP_URLS = {ENROL: "accounts:enrol", VERIFY: "accounts:verify", PASSWORD: "accounts:password_change"}
RECOVERY_CODES = 10
# Recovery codes: ten characters without look-alikes (0/o, 1/l/i), about 49 bits each.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_LENGTH = 10


def required(user) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED) and has(user, TWO_FACTOR)


def steps_for(user) -> list[str]:
    steps = []
    if required(user):
        steps.append(VERIFY if TOTPDevice.objects.filter(user=user, confirmed=True).exists() else ENROL)
    if user.must_change_password:
        steps.append(PASSWORD)
    return steps


def on_login(sender, request, user, **kwargs):
    """user_logged_in: the steps this new session owes."""
    if request is not None and hasattr(request, "session"):
        request.session[PENDING] = steps_for(user)


def pending(request) -> list[str]:
    """The steps the signed-in session of `request` still owes (none for an anonymous one)."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return []
    steps = session.get(PENDING)
    if steps is None:
        steps = session[PENDING] = steps_for(request.user)
    if not settings.TWO_FACTOR_REQUIRED:
        steps = [step for step in steps if step == PASSWORD]
    return steps


def complete(request, step: str) -> None:
    request.session[PENDING] = [s for s in request.session.get(PENDING, []) if s != step]


def new_recovery_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))


def normalise(code: str) -> str:
    """A code as typed: spaces and dashes dropped, lower case."""
    return "".join(ch for ch in code if ch not in " -\t").lower()


def stored_recovery_code(code: str) -> str:
    """What the database keeps of a recovery code: 16 hex digits of its SHA-256, never the code."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()[:16]


def show(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def is_totp(code: str) -> bool:
    code = normalise(code)
    return len(code) == 6 and code.isdigit()
