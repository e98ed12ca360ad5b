from django import template

from satupintu.lib.nik import mask_nik
from satupintu.registry.choices import PovertyResult

register = template.Library()


@register.filter
def masked(value):
    """331401********23: the region part and the last two digits of a NIK or KK number."""
    return mask_nik(value)


@register.filter
def poverty_label(value):
    return PovertyResult(value).label if value in PovertyResult.values else ""
