"""Reads of issued documents. Every one starts from the user's scope (the household's desa)."""

from django.shortcuts import get_object_or_404

from satupintu.accounts.scoping import area_q

from .models import IssuedDocument


def documents_for(user):
    return IssuedDocument.objects.filter(area_q(user, "household__desa")).defer("pdf", "content")


def document_list(user, *, kind: str = "", state: str = "", number: str = ""):
    qs = documents_for(user).select_related("household__desa", "issued_by")
    if kind:
        qs = qs.filter(kind=kind)
    if state == "valid":
        qs = qs.filter(revoked_at__isnull=True)
    elif state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    if number:
        qs = qs.filter(number__icontains=number.strip())
    return qs.order_by("-issued_at", "-id")


def document_for_user(user, pk) -> IssuedDocument:
    """The document, or 404 when its household is outside the user's area."""
    qs = IssuedDocument.objects.filter(area_q(user, "household__desa"))
    return get_object_or_404(qs.select_related("household__desa__parent", "person", "addressee", "issued_by"), pk=pk)


def household_documents(household_id):
    """A household's documents, newest first, without their files (the household page lists them)."""
    documents = IssuedDocument.objects.filter(household_id=household_id).defer("pdf", "content")
    return documents.order_by("-issued_at", "-id")


def cards_for_print(user, *, desa_code: str, kind: str, today):
    return (
        documents_for(user)
        .defer(None)
        .defer("pdf")
        .filter(household__desa_id=desa_code, kind=kind)
        .current(today)
        .order_by("household_id", "person_id", "id")
    )
