from django import template
from django.utils import timezone

from satupintu.documents import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def household_documents(context, household):
    """The documents of a household the page already shows (the page itself is scoped)."""
    context["today"] = timezone.localdate()
    return list(selectors.household_documents(household))


@register.filter
def status_on(document, today):
    return document.status_on(today)
