"""Who may see and handle complaints. Outside a user's view a complaint is a 404.

- Handlers (petugas layanan, kasi, kepala, admin) see the ordinary tier: all of it when they are
  not bound to an area, otherwise the complaints of their kecamatan.
- The sensitive tier (bribe requests, discrimination) is seen only by members of the integrity
  group (settings.SATUPINTU_INTEGRITY_GROUP) — not by the kepala, not by a superuser as such.
- Nobody sees a complaint about themselves.
"""

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404

from satupintu.accounts.permissions import COMPLAINT_HANDLE, COMPLAINT_MANAGE, has, holders_q
from satupintu.accounts.scoping import NOTHING
from satupintu.regions.models import Level

from .models import Complaint


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_integrity(user) -> bool:
    if not _active(user):
        return False
    cached = getattr(user, "_integrity_member", None)
    if cached is None:
        cached = user.groups.filter(name=settings.SATUPINTU_INTEGRITY_GROUP).exists()
        user._integrity_member = cached
    return cached


def can_see_complaints(user) -> bool:
    return has(user, COMPLAINT_HANDLE) or is_integrity(user)


def _ordinary_scope(user) -> Q:
    region = user.region
    if region is None:
        return Q()
    kecamatan = region.code if region.level == Level.KECAMATAN else region.parent_id
    if region.level not in (Level.KECAMATAN, Level.DESA):
        return Q(kecamatan__code__startswith=region.code + ".")
    return Q(kecamatan_id=kecamatan)


def complaint_q(user) -> Q:
    if not _active(user):
        return NOTHING
    visible = NOTHING
    if has(user, COMPLAINT_HANDLE):
        visible = Q(sensitive=False) & _ordinary_scope(user)
    if is_integrity(user):
        visible = visible | Q(sensitive=True)
    return visible & ~Q(about_officer=user)


def complaints_for(user):
    return Complaint.objects.filter(complaint_q(user))


def complaint_for_user(user, number: str) -> Complaint:
    qs = complaints_for(user).select_related("assignee", "about_officer", "kecamatan", "desa", "application")
    return get_object_or_404(qs, number=number)


def may_supervise(user, complaint) -> bool:
    """Assign and close: the integrity group for the sensitive tier, kasi/kepala/admin otherwise."""
    if complaint.about_officer_id == user.pk:
        return False
    if complaint.sensitive:
        return is_integrity(user)
    return has(user, COMPLAINT_MANAGE) or is_integrity(user)


def may_be_assigned(user, complaint) -> bool:
    """The recusal rule lives here: a complaint about an officer never goes to that officer."""
    if not user.is_active or complaint.about_officer_id == user.pk:
        return False
    if complaint.sensitive:
        return is_integrity(user)
    return has(user, COMPLAINT_HANDLE) or is_integrity(user)


def eligible_assignees(complaint):
    from satupintu.accounts.models import User

    if complaint.sensitive:
        qs = User.objects.filter(groups__name=settings.SATUPINTU_INTEGRITY_GROUP)
    else:
        qs = User.objects.filter(holders_q(COMPLAINT_HANDLE) | Q(groups__name=settings.SATUPINTU_INTEGRITY_GROUP))
    qs = qs.filter(is_active=True).distinct().order_by("first_name", "username")
    if complaint.about_officer_id:
        qs = qs.exclude(pk=complaint.about_officer_id)
    return qs
