from django import template

from satupintu.complaints.access import HANDLER_ROLES, can_take_complaints
from satupintu.justice.access import can_read_reports

register = template.Library()

register.filter("can_read_reports", can_read_reports)


@register.filter
def complaints_link(user) -> str:
    """The complaints menu entry: the list for handler roles, the desk form for intake roles.
    Decided on the role alone, so the menu costs no query on any page."""
    if user.role in HANDLER_ROLES:
        return "list"
    return "desk" if can_take_complaints(user) else ""


@register.filter
def pct(value):
    return "–" if value is None else f"{100 * value:.1f}%".replace(".", ",")


@register.filter
def dec(value, places=2):
    return "–" if value is None else f"{value:.{int(places)}f}".replace(".", ",")


@register.filter
def cell(value):
    """A published count: suppressed ones read "<5"."""
    from django.conf import settings

    return f"<{settings.SATUPINTU_MIN_CELL}" if value is None else value


@register.filter
def pval(value):
    return "–" if value is None else f"{value:.2g}"
