"""An audit row in words: "Permohonan dibuat", not "buat cases.application #20"."""

from functools import cache

from django import template
from django.apps import apps
from django.utils.translation import gettext_lazy as _

register = template.Library()

DONE = {
    "create": _("dibuat"),
    "update": _("diubah"),
    "delete": _("dihapus"),
    "view": _("dibuka"),
}


@cache
def _model_name(object_type: str):
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    return model._meta.verbose_name


@register.filter
def audit_subject(entry) -> str:
    """What was done to what, e.g. "Permohonan dibuat" (the object's kind in the user's language)."""
    name = _model_name(entry.object_type)
    done = DONE.get(entry.action)
    if name is None or done is None:
        return f"{entry.get_action_display()} {name or entry.object_type}"
    return f"{str(name)[:1].upper()}{str(name)[1:]} {done}"


@register.filter
def model_label(object_type: str) -> str:
    """ "cases.application" as the kind of record in words ("permohonan")."""
    return str(_model_name(object_type) or object_type)
