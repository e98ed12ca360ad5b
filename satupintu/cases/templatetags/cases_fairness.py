"""The case page's fast-path clock, appointments and recusals (their own include templates).

Most cases have neither appointments nor recusals: their officers are fetched with
`prefetch_related`, one query per relation only when there are rows, not joined into a query that
costs more to build than to run."""

from django import template
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

from .. import appointments, fastpath
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
    items = list(
        VerifierAppointment.objects.filter(pk__in=appointments.covering_any(application))
        .prefetch_related("appointee", "appointed_by", "revoked_by")
        .order_by("-valid_from", "-id")
    )
    return {"items": items, "may_appoint": has(user, CASE_APPOINT_VERIFIER)}


@register.simple_tag
def case_recusals(application, user):
    items = list(
        CaseRecusal.objects.filter(application=application).prefetch_related("officer", "reviewed_by", "overridden_by")
    )
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
