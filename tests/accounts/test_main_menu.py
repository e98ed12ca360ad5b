"""The main menu: each role sees the pages it may open and no other, in the visitor's language, although
the menu's HTML is kept between requests."""

import re

import pytest
from django.core.cache import cache

from satupintu.accounts.models import Role
from tests.conftest import KALIJAMBE, KEDEN, make_user

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


@pytest.fixture(autouse=True)
def _services():
    from satupintu.catalogue.data import load_current

    load_current()
    cache.clear()


def menu_links(client, path="/lacak/"):
    body = client.get(path).content.decode()
    return LINK.findall(MENU.search(body).group(1))


@pytest.mark.parametrize(
    "role, area",
    [
        (Role.OPERATOR_DESA, KEDEN),
        (Role.OPERATOR_KECAMATAN, KALIJAMBE),
        (Role.PETUGAS_LAYANAN, None),
        (Role.VERIFIKATOR, None),
        (Role.KASI, None),
        (Role.KEPALA, None),
        (Role.AUDITOR, None),
        (Role.MITRA, None),
        (Role.ADMIN, None),
    ],
)
def test_every_menu_link_of_a_role_opens_for_that_role(client, regions, role, area):
    from satupintu.accounts.models import Agency

    agency = Agency.objects.create(code="rsud", name="RSUD") if role == Role.MITRA else None
    user = make_user(f"user.{role}", role, area, agency=agency)
    client.force_login(user)
    links = menu_links(client)
    assert links, role
    for href, label in links:
        status = client.get(href).status_code
        assert status == 200, f"{role}: menu entry {label} ({href}) answers {status}"


def test_a_role_without_the_capability_gets_no_menu_entry_for_the_page(client, regions):
    client.force_login(make_user("op.keden", Role.OPERATOR_DESA, KEDEN))
    hrefs = [href for href, _label in menu_links(client)]
    assert "/anggaran/" not in hrefs and "/keadilan/" not in "".join(hrefs)
    client.force_login(make_user("auditor", Role.AUDITOR))
    assert "/rumah-tangga/" not in [href for href, _label in menu_links(client)]


def test_a_visitor_gets_the_public_menu_and_staff_the_staff_menu_on_the_same_page(client, regions):
    public = menu_links(client)
    assert ("/masuk/", "Masuk staf") in public or any(label == "Masuk staf" for _h, label in public)
    client.force_login(make_user("kepala", Role.KEPALA))
    staff = menu_links(client)
    assert not any(label == "Masuk staf" for _h, label in staff)
    assert any(label == "Rumah tangga" for _h, label in staff)


def test_the_kept_menu_follows_the_visitors_language(client, regions):
    assert any(label == "Lacak pengaduan" for _h, label in menu_links(client))
    client.cookies["django_language"] = "en"
    english = [label for _h, label in menu_links(client)]
    assert "Track complaint" in english and "Lacak pengaduan" not in english
    client.cookies["django_language"] = "id"
    assert any(label == "Lacak pengaduan" for _h, label in menu_links(client))


def test_the_top_bar_names_the_officer_escaped_and_carries_the_sign_out_and_language_forms(client, regions):
    officer = make_user("op.keden2", Role.OPERATOR_DESA, KEDEN)
    officer.first_name, officer.last_name = "<i>Siti</i>", "& Co"
    officer.save()
    client.force_login(officer)
    body = client.get("/rumah-tangga/", {"x": '"<b>'}).content.decode()
    assert '<span class="who">&lt;i&gt;Siti&lt;/i&gt; &amp; Co · Operator desa/kelurahan · Keden</span>' in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert f'action="/keluar/" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">' in body
    assert '<input name="next" type="hidden" value="/rumah-tangga/?x=%22%3Cb%3E">' in body
    assert '<option value="id" selected>ID</option><option value="en">EN</option>' in body
    client.post("/bahasa/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to page content</a>' in body
    assert '<option value="id">ID</option><option value="en" selected>EN</option>' in body


def test_the_top_bar_of_a_visitor_has_no_officer_and_no_sign_out(client):
    body = client.get("/lacak/").content.decode()
    assert 'class="who"' not in body and 'action="/keluar/"' not in body
    assert 'class="inline lang"><input type="hidden" name="csrfmiddlewaretoken"' in body


def test_the_capabilities_held_are_decided_once_per_role_as_has_decides_them(regions):
    from satupintu.accounts import permissions

    capabilities = tuple(sorted(permissions.ROLES))
    for number, role in enumerate(Role):
        for superuser in (False, True):
            user = make_user(f"u{number}{superuser:d}", role)
            user.is_superuser = superuser
            expected = frozenset(c for c in capabilities if permissions.has(user, c))
            assert permissions.held(user, capabilities) == expected
            user.is_active = False
            assert permissions.held(user, capabilities) == frozenset()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_top_bar_names_the_officer_s_role_in_the_page_s_language(client, regions, language):
    from django.utils import translation

    officer = make_user("kasi2", Role.KASI)
    client.force_login(officer)
    client.cookies["django_language"] = language
    with translation.override(language):
        role = officer.get_role_display()
    assert f'<span class="who">Kasi2 · {role}</span>' in client.get("/lacak/").content.decode()
