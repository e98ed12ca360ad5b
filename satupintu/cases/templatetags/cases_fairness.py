"""The case page's fast-path clock, appointments and recusals (their own include templates).

Their queries, with the officers joined, are the same for every case (for appointments, every case of
a desa): built and compiled once per worker (lib/compiled.py), each run with the case's key."""

from django import template
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.accounts.permissions import (
    CASE_APPOINT_VERIFIER,
    CASE_RECUSAL_OVERRIDE,
    CASE_RECUSAL_REVIEW,
    CASE_WORK,
    REFERRAL_RECEIVE,
    has,
)
from satupintu.lib import compiled

from .. import fastpath
from ..models import CaseRecusal, VerifierAppointment

register = template.Library()


@register.simple_tag
def fast_path_clock(application):
    return fastpath.clock(application)


@register.filter
def duration(minutes):
    """“23 menit”, “2 jam 5 menit”, “3 hari 4 jam”."""
    if minutes is None:
        return "—"
    days, rest = divmod(int(minutes), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s hari %(h)s jam") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s jam %(m)s menit") % {"h": hours, "m": mins}
    return ngettext("%(m)s menit", "%(m)s menit", mins) % {"m": mins}


@register.simple_tag
def case_appointments(application, user):
    """Appointments covering the case (in force or not), and whether `user` may appoint."""
    desa = application.desa_id

    def build(key):  # every appointment naming the case or its desa (appointments.covering_any)
        return (
            VerifierAppointment.objects.filter(Q(application_id=key) | Q(desa=desa))
            .select_related("appointee", "appointed_by", "revoked_by")
            .order_by("-valid_from", "-id")
        )

    items = compiled.instances(("case-appointments", desa), build, application.pk)
    return {"items": items, "may_appoint": has(user, CASE_APPOINT_VERIFIER)}


def _recusals_of(key):
    return CaseRecusal.objects.filter(application_id=key).select_related("officer", "reviewed_by", "overridden_by")


@register.simple_tag
def case_recusals(application, user):
    items = compiled.instances("case-recusals", _recusals_of, application.pk)
    mine = [r for r in items if r.officer_id == user.pk and r.blocks]
    return {
        "items": items,
        "blocked": mine[0] if mine else None,
        "may_declare": has(user, CASE_WORK) and not has(user, REFERRAL_RECEIVE),
        "declared": any(r.officer_id == user.pk and r.kind == CaseRecusal.Kind.DECLARED for r in items),
        "may_review": has(user, CASE_RECUSAL_REVIEW),
        "may_override": has(user, CASE_RECUSAL_OVERRIDE),
        "outcomes": CaseRecusal.Outcome.choices,
    }
