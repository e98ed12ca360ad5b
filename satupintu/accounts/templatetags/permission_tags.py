from django import template

from satupintu.accounts.permissions import has

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """`{% if user|can:"case.intake" %}`: the permission map's check in a template."""
    return has(user, capability)
