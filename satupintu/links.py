"""Absolute addresses that leave the server — QR codes on documents, links in SMS — all built from
the one setting DOCUMENT_VERIFY_BASE_URL, so a printed card and a message point to the same site."""

from django.conf import settings


def public_url(path: str) -> str:
    """`path` (from reverse(), starting with '/') on the public site."""
    return settings.DOCUMENT_VERIFY_BASE_URL.rstrip("/") + path
