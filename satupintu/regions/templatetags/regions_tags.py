from django import template

from satupintu.regions.names import name_of

register = template.Library()


@register.filter
def region_name(code) -> str:
    """`{{ user.region_id|region_name }}`: the region's name without a query (regions/names.py)."""
    return name_of(code)
