"""The case page's fast-path clock, appointments and recusals (their own include templates).

The appointments and recusals are read by the case page's view with its other lists
(`selectors.appointments_query`, `selectors.recusals_query`); the tags decide what the officer may do."""

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

from .. import fastpath
from ..models import CaseRecusal

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
def case_appointments(application, user, items):
    """Appointments covering the case (`items`, read by the view with the page's other lists:
    `selectors.appointments_query`), and whether `user` may appoint."""
    return {"items": items, "may_appoint": has(user, CASE_APPOINT_VERIFIER)}


@register.simple_tag
def case_recusals(application, user, items):
    """The case's recusals (`items`, read by the view with the page's other lists:
    `selectors.recusals_query`) and what `user` may do about them."""
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
