"""Writes on accounts: the second factor (enrol, verify, reset) and the admin's temporary password.
Each runs in one transaction on locked rows and leaves an audit row."""

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.audit import log

from . import two_factor
from .models import User
from .permissions import ACCOUNT_MANAGE, has

ENROLMENT_DEVICE = "Aplikasi autentikator"
RECOVERY_DEVICE = "Kode pemulihan"


def _lock(user) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made on first call (its secret is the QR's)."""
    with transaction.atomic():
        _lock(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE, confirmed=False)
        return device


def confirm_enrolment(request, code: str) -> list[str] | None:
    """The user's first code from the app: the device is confirmed, ten new recovery codes are made
    and returned (shown once), the session is verified. None when the code does not match."""
    user = request.user
    with transaction.atomic():
        _lock(user)
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None or not two_factor.is_totp(code) or not device.verify_token(two_factor.normalise(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        log.record(
            actor=user,
            action=log.Action.CREATE,
            instance=device,
            changes={"two_factor": [None, "enrolled"], "recovery_codes": [None, len(codes)]},
            reason="Pendaftaran verifikasi dua langkah",
        )
    otp_login(request, device)
    two_factor.complete(request, two_factor.ENROL)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [two_factor.new_recovery_code() for _ in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=two_factor.stored_recovery_code(code)) for code in codes]
    )
    return codes


def verify(request, code: str) -> bool:
    """A code at login: a TOTP from the app, or a recovery code (each works once). Wrong codes and
    codes tried too soon after a wrong one (django-otp's throttle) are refused alike."""
    user = request.user
    with transaction.atomic():
        if two_factor.is_totp(code):
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            token = two_factor.normalise(code)
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            token = two_factor.stored_recovery_code(code)
        if device is None or not device.verify_token(token):
            return False
        if isinstance(device, StaticDevice):
            log.record(
                actor=user,
                action=log.Action.UPDATE,
                instance=device,
                changes={"recovery_codes_left": [None, device.token_set.count()]},
                reason="Masuk dengan kode pemulihan",
            )
    otp_login(request, device)
    two_factor.complete(request, two_factor.VERIFY)
    return True


def reset_two_factor(*, actor, user, reason: str) -> None:
    """An admin removes `user`'s authenticator and recovery codes: the next login enrols again."""
    if not has(actor, ACCOUNT_MANAGE):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    with transaction.atomic():
        user = _lock(user)
        removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
        log.record(
            actor=actor,
            action=log.Action.DELETE,
            instance=user,
            changes={"two_factor": ["enrolled" if removed else None, "reset"]},
            reason=reason,
        )


def set_temporary_password(*, actor, user, password: str, reason: str) -> None:
    """An admin gives `user` a temporary password: the user's sessions end (Django's session hash)
    and the next login asks for a new password before any other page."""
    if not has(actor, ACCOUNT_MANAGE):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    with transaction.atomic():
        user = _lock(user)
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        log.record(
            actor=actor,
            action=log.Action.UPDATE,
            instance=user,
            changes={"password": ["", "temporary"], "must_change_password": [False, True]},
            reason=reason,
        )


def change_own_password(request, form) -> None:
    """The user's own new password (Django's PasswordChangeForm, valid): the temporary-password flag
    is cleared and the session stays signed in."""
    from django.contrib.auth import update_session_auth_hash

    with transaction.atomic():
        user = _lock(request.user)
        form.user = user
        form.save(commit=False)
        was_temporary = user.must_change_password
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        log.record(
            actor=user,
            action=log.Action.UPDATE,
            instance=user,
            changes={"password": ["", "changed"], "must_change_password": [was_temporary, False]},
            reason="Penggantian kata sandi oleh pengguna",
        )
    update_session_auth_hash(request, user)
    two_factor.complete(request, two_factor.PASSWORD)
