"""Answers with personal data are never cached (`Cache-Control: no-store`), and every page carries a
strict Content Security Policy that no template needs to loosen."""

import re
from pathlib import Path

from django.urls import reverse

from satupintu.api import tokens
from tests.conftest import apply_for

TEMPLATES = Path(__file__).resolve().parent.parent / "satupintu" / "templates"
# An inline script (a <script> without src), a <style> block, a style="" or an on…="" handler.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_a_household_page_the_api_and_a_tracking_answer_are_not_stored(
    client, operator_keden, petugas, keden_household
):
    client.force_login(operator_keden)
    page = client.get(reverse("registry:household_detail", args=[keden_household.pk]))
    token = tokens.issue(operator_keden)[1]
    api = client.get(f"/api/v1/households/{keden_household.pk}/", HTTP_AUTHORIZATION=f"Token {token}")
    application, pin = apply_for(petugas, keden_household)
    client.logout()
    tracked = client.post(reverse("cases:track"), {"number": application.number, "pin": pin})
    for response in (page, api, tracked):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_every_page_carries_a_policy_without_inline_script_or_style(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_no_template_holds_an_inline_script_style_or_event_handler():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group().strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []


def test_the_policy_is_the_one_django_csp_builds_from_the_settings_and_follows_their_change(client, db, settings):
    from csp.utils import build_policy

    assert client.get(reverse("login"))["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = client.get(reverse("login"))
    directives = set(response["Content-Security-Policy"].split("; "))  # in an order of django-csp's own
    assert directives == {"default-src 'self'", "img-src 'self' data:"}
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_a_view_that_loosens_its_own_policy_still_gets_it(client, db):
    policy = client.get(reverse("api-docs"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "unsafe" not in client.get(reverse("login"))["Content-Security-Policy"]


def test_a_page_that_changes_nothing_of_the_policy_does_not_build_it_again(client, db):
    from unittest import mock

    expected = client.get(reverse("login"))["Content-Security-Policy"]
    with mock.patch("csp.middleware.build_policy", side_effect=AssertionError("built again")):
        assert client.get(reverse("login"))["Content-Security-Policy"] == expected
