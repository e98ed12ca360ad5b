"""API tokens: stored as a hash, shown once, expiring and revocable; the API's request limits."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from satupintu.accounts import two_factor
from satupintu.accounts.models import Role
from satupintu.api import tokens
from satupintu.api.models import ApiToken
from satupintu.audit.models import AuditLog
from tests.conftest import make_user

LIST = "/api/v1/households/"


def call(key):
    return APIClient().get(LIST, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_new_token_opens_the_api(operator_keden):
    _token, key = tokens.issue(operator_keden)
    assert call(key).status_code == 200


def test_the_database_keeps_only_a_hash_and_a_prefix(operator_keden):
    token, key = tokens.issue(operator_keden, name="SIKS-NG")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in row.values()}
    assert row["digest"] == tokens.digest(key) and key.startswith(row["prefix"])
    assert AuditLog.objects.filter(object_type="api.apitoken", object_id=str(token.pk), action="create").exists()


def test_an_expired_token_gets_401(operator_keden):
    with time_machine.travel("2026-01-01 08:00:00+07:00", tick=False):
        _token, key = tokens.issue(operator_keden, days=30)
        assert call(key).status_code == 200
    with time_machine.travel("2026-01-31 08:00:01+07:00", tick=False):
        response = call(key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "kedaluwarsa" in response.json()["detail"]


def test_the_default_lifetime_is_the_setting(operator_keden, settings):
    settings.API_TOKEN_DAYS = 7
    token, _key = tokens.issue(operator_keden)
    assert token.expires_at - token.created_at == dt.timedelta(days=7)


def test_a_revoked_token_gets_401_and_the_revocation_is_audited(operator_keden, kepala):
    token, key = tokens.issue(operator_keden)
    assert tokens.revoke(token, actor=kepala, reason="Sistem mitra diganti")
    assert call(key).status_code == 401
    row = AuditLog.objects.get(object_type="api.apitoken", object_id=str(token.pk), action="update")
    assert row.actor == kepala and row.reason == "Sistem mitra diganti"
    assert not tokens.revoke(token, actor=kepala, reason="lagi")  # once only


def test_an_unknown_key_and_an_inactive_user_get_401(operator_keden):
    _token, key = tokens.issue(operator_keden)
    assert call(key + "x").status_code == 401
    operator_keden.is_active = False
    operator_keden.save()
    assert call(key).status_code == 401


def test_the_last_use_is_written_at_most_every_quarter_hour(operator_keden):
    token, key = tokens.issue(operator_keden)
    with time_machine.travel("2026-05-04 08:00:00+07:00", tick=False):
        call(key)
    with time_machine.travel("2026-05-04 08:10:00+07:00", tick=False):
        call(key)
    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-05-04T01:00:00+00:00"


def test_create_api_token_prints_the_key_once_and_revoke_api_token_ends_it(operator_keden):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "op.keden", "--days", "10", "--name", "SIKS-NG", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert call(key).status_code == 200
    token = ApiToken.objects.get()
    assert token.name == "SIKS-NG" and token.prefix in err.getvalue() and key not in err.getvalue()
    call_command("revoke_api_token", token.prefix, "--reason", "Tidak dipakai lagi", stdout=io.StringIO())
    assert call(key).status_code == 401


@pytest.fixture
def account_admin(regions):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("admin.satu", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    TOTPDevice.objects.create(user=user, confirmed=True)
    return user


def admin_client(client, user):
    client.force_login(user)
    session = client.session
    session[two_factor.PENDING] = []
    session.save()
    return client


def test_the_admin_shows_the_key_once_then_only_its_prefix(client, account_admin, operator_keden):
    admin = admin_client(client, account_admin)
    form = admin.get(reverse("admin:api_apitoken_add")).content.decode()
    assert 'name="submission_key"' in form
    data = {
        "user": operator_keden.pk,
        "name": "SIKS-NG",
        "days": 30,
        "submission_key": "6f1d7c43-51a3-4c8e-9d54-0b7c2a1e9f10",
    }
    page = admin.post(reverse("admin:api_apitoken_add"), data).content.decode()
    token = ApiToken.objects.get()
    key = page.split('id="api-token-key">', 1)[1].split("<", 1)[0]
    assert key.startswith(token.prefix) and call(key).status_code == 200
    # The same form sent again makes no second token and shows no key.
    again = admin.post(reverse("admin:api_apitoken_add"), data, follow=True).content.decode()
    assert ApiToken.objects.count() == 1 and key not in again
    for url in (reverse("admin:api_apitoken_changelist"), reverse("admin:api_apitoken_change", args=[token.pk])):
        listing = admin.get(url).content.decode()
        assert token.prefix in listing and key not in listing


def test_the_admin_revokes_with_a_reason(client, account_admin, operator_keden):
    token, key = tokens.issue(operator_keden)
    admin = admin_client(client, account_admin)
    url = reverse("admin:api_apitoken_revoke", args=[token.pk])
    assert admin.post(url, {"reason": ""}).status_code == 200
    assert call(key).status_code == 200
    assert admin.post(url, {"reason": "Kebocoran di sistem mitra"}).status_code == 302
    assert call(key).status_code == 401
    assert AuditLog.objects.filter(object_type="api.apitoken", reason="Kebocoran di sistem mitra").exists()


def test_the_clear_text_token_admin_is_gone(client, account_admin):
    admin = admin_client(client, account_admin)
    assert admin.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_a_user_over_the_limit_gets_429_with_retry_after_in_indonesian(operator_keden, settings):
    settings.API_THROTTLE_RATES = {"user": "3/minute", "anon": None}
    _token, key = tokens.issue(operator_keden)
    with time_machine.travel("2026-05-04 08:00:00+07:00", tick=False):
        assert [call(key).status_code for _ in range(3)] == [200, 200, 200]
        response = call(key)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60
    assert response.json()["detail"] == "Terlalu banyak permintaan. Coba lagi dalam 60 detik."
    with time_machine.travel("2026-05-04 08:01:01+07:00", tick=False):
        assert call(key).status_code == 200


def test_anonymous_callers_are_limited_per_address(db, settings):
    settings.API_THROTTLE_RATES = {"user": None, "anon": "2/minute"}
    with time_machine.travel("2026-05-04 08:00:00+07:00", tick=False):
        codes = [APIClient().get("/api/v1/openapi.json").status_code for _ in range(3)]
    assert codes[-1] == 429


def test_the_openapi_document_declares_the_429_of_the_request_limit(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/households/"]["get"]["responses"]
