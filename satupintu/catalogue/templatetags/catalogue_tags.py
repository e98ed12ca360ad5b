from django import template
from django.utils.html import format_html

from satupintu.parameters import ASSUMPTION, is_assumption

register = template.Library()


@register.filter
def legal_source(text: str):
    """A source as users see it: an assumption's mark stands out instead of reading as a citation."""
    if text and is_assumption(text):
        return format_html('<strong class="warn assumption">{}</strong>{}', ASSUMPTION, text[len(ASSUMPTION) :])
    return text
