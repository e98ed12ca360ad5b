from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def days_left(value):
    """“3 hari kerja lagi”, “hari ini”, “lewat 2 hari kerja”."""
    if value is None:
        return "—"
    if value > 0:
        return ngettext("%(n)s hari kerja lagi", "%(n)s hari kerja lagi", value) % {"n": value}
    if value == 0:
        return _("jatuh tempo hari ini")
    return ngettext("lewat %(n)s hari kerja", "lewat %(n)s hari kerja", -value) % {"n": -value}


@register.filter
def rupiah(value):
    if value in (None, ""):
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")
