"""Public pages rendered once per worker (satupintu/lib/page_cache.py): every visitor without a
session gets the kept page with a CSRF token of its own, and everyone else the page rendered for them."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.lib import page_cache

pytestmark = pytest.mark.django_db

PAGES = ["/", "/lacak/", "/layanan/", "/transparansi/"]


def token_of(response) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))
    assert len(tokens) == 1, tokens
    return tokens.pop()


@pytest.mark.parametrize("path", PAGES)
def test_a_kept_public_page_is_served_without_rendering_it_again(path, django_assert_max_num_queries):
    first = Client().get(path)
    assert first.status_code == 200 and first.templates
    again = Client().get(path)
    assert again.status_code == 200
    assert again.templates == []  # served from the worker's kept page, no template rendered
    assert re.sub(r'value="[^"]{64}"', "", again.content.decode()) == re.sub(
        r'value="[^"]{64}"', "", first.content.decode()
    )
    with django_assert_max_num_queries(2):
        Client().get(path)


def test_each_visitor_of_a_kept_page_gets_a_csrf_token_that_its_own_post_passes():
    from satupintu.cases.models import Application

    Client().get("/lacak/")  # the page is now kept
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [visitor.get("/lacak/") for visitor in visitors]
    tokens = [token_of(page) for page in pages]
    assert page_cache.SLOT not in pages[0].content.decode()
    assert all(page.cookies.get("csrftoken") for page in pages)  # each visitor is given its cookie
    assert not Application.objects.exists()
    for visitor, token in zip(visitors, tokens, strict=True):
        answer = visitor.post("/lacak/", {"csrfmiddlewaretoken": token, "number": "UPK0000-000000", "pin": "123456"})
        assert answer.status_code == 200
        assert "tidak cocok" in answer.content.decode()  # the lookup ran: the token was accepted
    refused = Client(enforce_csrf_checks=True)
    refused.get("/lacak/")
    assert refused.post("/lacak/", {"csrfmiddlewaretoken": tokens[0], "number": "X", "pin": "1"}).status_code == 403


def test_a_signed_in_officer_is_not_served_the_page_kept_for_visitors(operator_keden):
    Client().get("/layanan/")
    client = Client()
    client.force_login(operator_keden)
    page = client.get("/layanan/")
    assert page.templates  # rendered for the officer
    assert f"{operator_keden.get_full_name() or operator_keden.username} · " in page.content.decode()
    assert "Keluar</button>" in page.content.decode()


def test_a_page_asked_with_a_query_or_in_another_language_is_not_the_kept_one():
    indonesian = Client().get("/lacak/")
    assert Client().get("/lacak/?x=1").templates
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["django_language"] = "en"
    page = english.get("/lacak/")
    assert page.templates and page.content != indonesian.content
    assert 'lang="en"' in page.content.decode()


def test_a_fragment_is_kept_per_key_while_its_version_holds_until_its_time_and_never_with_a_csrf_token():
    import datetime as dt

    import time_machine

    from satupintu.lib import page_cache

    with time_machine.travel("2026-11-24 09:00 +0700", tick=False):
        now = timezone.now()
        page_cache.keep_fragment("a", 1, "one", now + dt.timedelta(seconds=60))
        page_cache.keep_fragment("b", 1, "other key", now + dt.timedelta(seconds=60))
        page_cache.keep_fragment("c", 1, '<input name="csrfmiddlewaretoken" value="x">', now + dt.timedelta(seconds=60))
        page_cache.keep_fragment("d", 1, "already past", now)
        assert page_cache.kept_fragment("a", 1) == "one" and page_cache.kept_fragment("b", 1) == "other key"
        assert page_cache.kept_fragment("a", 2) is None  # another version
        assert page_cache.kept_fragment("c", 1) is None and page_cache.kept_fragment("d", 1) is None
    with time_machine.travel("2026-11-24 09:01 +0700", tick=False):
        assert page_cache.kept_fragment("a", 1) is None  # its counts are counted again
