"""Two-factor authentication: who must enrol, how a code is checked, recovery codes, admin reset,
and the temporary password an admin gives."""

import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts import two_factor
from satupintu.accounts.models import Role
from satupintu.audit.models import AuditLog
from tests.conftest import make_user

PASSWORD = "Rahasia-123!"
REFUSED = "Kode tidak diterima."
QUEUE = "/permohonan/"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def login(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def code_of(device, offset=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def enrol(client, user):
    """Log in and enrol through the pages; the recovery codes shown once."""
    login(client, user)
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"code": code_of(device)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)


@pytest.mark.parametrize("persona", ["kepala", "operator_keden", "petugas"])
def test_a_role_that_reads_the_registry_or_decides_must_enrol_before_any_page(client, request, persona):
    user = request.getfixturevalue(persona)
    assert login(client, user)["Location"] == reverse("home")
    for path in ("/", "/rumah-tangga/", "/permohonan/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:enrol"), path
    assert client.get("/api/v1/households/").status_code == 403


@pytest.mark.parametrize("persona", ["mitra", "auditor"])
def test_mitra_and_auditor_are_not_asked_for_a_second_factor(client, request, persona):
    user = request.getfixturevalue(persona)
    login(client, user)
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("home")


def test_the_setting_off_lets_every_role_in_with_the_password_only(client, kepala, settings):
    settings.TWO_FACTOR_REQUIRED = False
    login(client, kepala)
    assert client.get(QUEUE).status_code == 200


def test_public_pages_and_sign_out_stay_open_while_enrolment_is_pending(client, kepala):
    login(client, kepala)
    for name in ("cases:track", "transparency", "healthz"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_a_qr_image_and_the_secret_then_ten_recovery_codes_once(client, kepala):
    login(client, kepala)
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert 'src="/akun/dua-langkah/daftar/qr.svg"' in page
    qr = client.get(reverse("accounts:qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert qr["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=kepala)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert secret in device.config_url
    client.post(reverse("accounts:enrol"), {"code": code_of(device)})
    codes = re.findall(
        r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", client.get(reverse("accounts:recovery_codes")).content.decode()
    )
    assert len(set(codes)) == 10
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("home")  # shown once
    assert client.get(QUEUE).status_code == 200
    assert AuditLog.objects.filter(object_type="otp_totp.totpdevice", actor=kepala).exists()


def test_recovery_codes_are_stored_hashed(client, kepala):
    codes = enrol(client, kepala)
    stored = set(StaticToken.objects.filter(device__user=kepala).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {code.replace("-", "") for code in codes}


def test_a_wrong_code_does_not_confirm_enrolment(client, kepala):
    login(client, kepala)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert not TOTPDevice.objects.filter(user=kepala, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_a_later_login_asks_for_a_code_and_refuses_a_wrong_one(client, kepala):
    enrol(client, kepala)
    client.post(reverse("logout"))
    assert login(client, kepala)["Location"] == reverse("home")
    assert client.get("/")["Location"] == reverse("accounts:verify")
    response = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert client.get("/")["Location"] == reverse("accounts:verify")


def test_the_code_from_the_app_lets_the_user_in(client, kepala):
    with time_machine.travel("2026-03-02 09:00:00+07:00", tick=False):
        enrol(client, kepala)
        client.post(reverse("logout"))
    with time_machine.travel("2026-03-02 10:00:00+07:00", tick=False):
        login(client, kepala)
        device = TOTPDevice.objects.get(user=kepala)
        assert client.post(reverse("accounts:verify"), {"code": code_of(device)})["Location"] == reverse("home")
        assert client.get(QUEUE).status_code == 200


def test_wrong_codes_are_throttled_with_the_same_message(client, kepala):
    with time_machine.travel("2026-03-02 09:00:00+07:00", tick=False):
        enrol(client, kepala)
        client.post(reverse("logout"))
    with time_machine.travel("2026-03-02 10:00:00+07:00", tick=False):
        login(client, kepala)
        device = TOTPDevice.objects.get(user=kepala)
        wrong = client.post(reverse("accounts:verify"), {"code": "000000"})
        # The right code straight after a wrong one is refused too, in the same words.
        throttled = client.post(reverse("accounts:verify"), {"code": code_of(device)})
        assert wrong.status_code == throttled.status_code == 400
        assert REFUSED in throttled.content.decode()
        assert TOTPDevice.objects.get(user=kepala).throttling_failure_count == 1
    with time_machine.travel("2026-03-02 10:00:10+07:00", tick=False):
        assert client.post(reverse("accounts:verify"), {"code": code_of(device)})["Location"] == reverse("home")


def test_a_recovery_code_works_once(client, kepala):
    codes = enrol(client, kepala)
    client.post(reverse("logout"))
    login(client, kepala)
    assert client.post(reverse("accounts:verify"), {"code": codes[0].upper()})["Location"] == reverse("home")
    client.post(reverse("logout"))
    login(client, kepala)
    response = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert response.status_code == 400
    assert StaticToken.objects.filter(device__user=kepala).count() == 9


def test_a_verified_user_cannot_enrol_a_second_device(client, kepala):
    enrol(client, kepala)
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("home")
    assert client.get(reverse("accounts:qr")).status_code == 404
    assert TOTPDevice.objects.filter(user=kepala).count() == 1


def test_a_pending_verification_cannot_be_skipped_by_enrolling_again(client, kepala):
    enrol(client, kepala)
    client.post(reverse("logout"))
    login(client, kepala)
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("accounts:verify")
    assert client.get(reverse("accounts:qr")).status_code == 404


@pytest.fixture
def admin_user(regions):
    user = make_user("admin.satu", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    TOTPDevice.objects.create(user=user, confirmed=True)
    return user


def signed_in(client_class, user):
    """A session past its second factor (as after a verified login)."""
    client = client_class()
    client.force_login(user)
    session = client.session
    session[two_factor.PENDING] = []
    session.save()
    return client


def test_admin_reset_writes_an_audit_row_and_forces_re_enrolment(client, kepala, admin_user):
    enrol(client, kepala)
    client.post(reverse("logout"))
    admin = signed_in(type(client), admin_user)
    url = reverse("admin:accounts_user_reset_two_factor", args=[kepala.pk])
    assert "Alasan" in admin.get(url).content.decode()
    assert admin.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert TOTPDevice.objects.filter(user=kepala).exists()
    assert admin.post(url, {"reason": "Ponsel hilang, identitas diperiksa langsung"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=kepala).exists()
    row = AuditLog.objects.get(object_type="accounts.user", object_id=str(kepala.pk), action="delete")
    assert row.actor == admin_user and row.reason.startswith("Ponsel hilang")
    login(client, kepala)
    assert client.get("/")["Location"] == reverse("accounts:enrol")


def test_only_the_account_manager_may_reset(client, kepala, petugas):
    petugas.is_staff = True
    petugas.save()
    url = reverse("admin:accounts_user_reset_two_factor", args=[kepala.pk])
    assert signed_in(type(client), petugas).post(url, {"reason": "x"}).status_code == 403


def test_a_temporary_password_forces_a_change_before_any_other_page(client, operator_keden, admin_user, settings):
    settings.TWO_FACTOR_REQUIRED = False
    admin = signed_in(type(client), admin_user)
    url = reverse("admin:accounts_user_temporary_password", args=[operator_keden.pk])
    weak = admin.post(url, {"password": "123", "reason": "Lupa kata sandi"})
    assert weak.status_code == 200
    operator_keden.refresh_from_db()
    assert not operator_keden.must_change_password
    assert admin.post(url, {"password": "Sementara-4821!", "reason": "Lupa kata sandi"}).status_code == 302
    operator_keden.refresh_from_db()
    assert operator_keden.must_change_password
    assert AuditLog.objects.filter(
        object_id=str(operator_keden.pk), reason="Lupa kata sandi", actor=admin_user
    ).exists()

    client.post(reverse("login"), {"username": "op.keden", "password": "Sementara-4821!"})
    for path in ("/", "/rumah-tangga/", "/api/v1/households/"):
        assert client.get(path).status_code in (302, 403), path
    assert client.get("/")["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Sementara-4821!", "new_password1": "Baru-Sekali-9931", "new_password2": "Baru-Sekali-9931"},
    )
    assert response["Location"] == reverse("home")
    assert client.get(QUEUE).status_code == 200
    operator_keden.refresh_from_db()
    assert not operator_keden.must_change_password


def test_the_password_change_waits_for_the_second_factor(client, kepala, admin_user):
    from satupintu.accounts import actions

    actions.set_temporary_password(actor=admin_user, user=kepala, password="Sementara-4821!", reason="Lupa")
    client.post(reverse("login"), {"username": "kepala", "password": "Sementara-4821!"})
    assert client.get(reverse("accounts:password_change"))["Location"] == reverse("accounts:enrol")


def test_a_session_without_recorded_steps_is_not_taken_as_verified(client, kepala):
    client.force_login(kepala)
    session = client.session
    del session[two_factor.PENDING]
    session.save()
    assert client.get("/")["Location"] == reverse("accounts:enrol")


def test_a_page_costs_no_query_for_the_check(client, mitra, django_assert_max_num_queries):
    login(client, mitra)
    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]
