from django import template
from django.utils import timezone

from satupintu.documents import selectors
from satupintu.lib import compiled

register = template.Library()


@register.simple_tag(takes_context=True)
def household_documents(context, household):
    """The documents of a household the page already shows (the page itself is scoped); the query is
    compiled once per worker (lib/compiled.py)."""
    context["today"] = timezone.localdate()
    return compiled.instances("household-documents", selectors.household_documents, household.pk)


@register.filter
def status_on(document, today):
    return document.status_on(today)
