"""Appointed verifiers (“petugas lain yang ditunjuk”): reads only; writes are in actions.py.

An appointment in force on a day (from–to, not revoked) lets its appointee take the verification step
(`record_verification`, capability CASE_VERIFY) on the appointed case, or on cases of the appointed
desa, once the case's verification is assigned to them; no other step of the case. The appointee sees
the appointed case, and the cases of the appointed desa assigned to them, beside what `area_q` gives.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from satupintu.accounts.permissions import CASE_VERIFY, REGISTRY_READ, has

from .models import Verification, VerifierAppointment


def in_force(on: dt.date | None = None):
    on = on or timezone.localdate()
    return VerifierAppointment.objects.filter(revoked_at__isnull=True, valid_from__lte=on, valid_until__gte=on)


def covering(application, user=None, on: dt.date | None = None):
    """Appointments in force that cover `application` (its case or its desa), of `user` if given."""
    qs = in_force(on).filter(Q(application=application) | Q(desa=application.desa_id))
    return (qs.filter(appointee=user) if user is not None else qs).distinct()


def covering_any(application):
    """Every appointment, in force or not, naming the case or its desa (ids)."""
    qs = VerifierAppointment.objects.filter(Q(application=application) | Q(desa=application.desa_id))
    return qs.values("pk")


def holds_any(user) -> bool:
    """Whether `user` holds an appointment in force (read once per user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not hasattr(user, "_appointed_now"):
        user._appointed_now = in_force().filter(appointee=user).exists()
    return user._appointed_now


def may_verify(user, application) -> bool:
    """The verifier role, or an appointment in force covering this case."""
    if has(user, CASE_VERIFY):
        return True
    return user.is_active and covering(application, user).exists()


def may_be_appointed(user) -> bool:
    """Any active staff user who may read households (not a partner agency or an auditor)."""
    return user.is_active and has(user, REGISTRY_READ)


def appointment_q(user) -> Q:
    """Cases an appointee sees through appointments in force: the appointed case; in an appointed
    desa, the cases whose verification is assigned to them."""
    mine = in_force().filter(appointee=user)
    case = Exists(mine.filter(application=OuterRef("pk")))
    desa = Exists(mine.filter(desa=OuterRef("desa_id"))) & Exists(
        Verification.objects.filter(application=OuterRef("pk"), verifier=user)
    )
    return case | desa


def verifier_choices(application):
    """Who the verification of `application` may be assigned to: verifiers and covering appointees."""
    from satupintu.accounts.models import User
    from satupintu.accounts.permissions import holders_q

    appointees = covering(application).values("appointee_id")
    return User.objects.filter(holders_q(CASE_VERIFY) | Q(pk__in=appointees), is_active=True).order_by("username")
