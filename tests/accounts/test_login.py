from django.conf import settings
from django.urls import reverse

from satupintu.accounts.models import User


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_user_logs_in_with_the_right_password(client, operator_keden):
    response = login(client, "op.keden", "Rahasia-123!")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_gives_an_indonesian_message(client, operator_keden):
    response = login(client, "op.keden", "salah")
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, operator_keden):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "op.keden", "salah")
    response = login(client, "op.keden", "Rahasia-123!")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_COOKIE_AGE <= 30 * 60


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_written_at_most_once_a_minute_not_on_every_page(client, operator_keden):
    import datetime as dt

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(operator_keden)
        client.get(reverse("home"))
        first = _expiry(client)
        clock.shift(30)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
        assert _expiry(client) == first
        clock.shift(31)  # a minute since the last save: the expiry moves on
        client.get(reverse("home"))
        assert _expiry(client) == first + dt.timedelta(seconds=61)


def test_an_idle_session_is_signed_out_after_the_timeout(client, operator_keden):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(operator_keden)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(settings.SESSION_COOKIE_AGE - 120)
        assert client.get(reverse("home")).status_code == 200  # still in use: refreshed
        clock.shift(settings.SESSION_COOKIE_AGE + 1)  # signed out: a staff page sends to the login
        assert client.get(reverse("registry:household_list")).status_code == 302


def test_passwords_are_hashed_with_argon2_in_production_settings(db):
    from satupintu import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_an_operator_desa_must_be_bound_to_a_desa(regions):
    import pytest
    from django.core.exceptions import ValidationError

    from satupintu.regions.models import Region

    user = User(username="x", role="operator_desa", region=Region.objects.get(code="33.14.01"))
    with pytest.raises(ValidationError) as caught:
        user.clean()
    assert "region" in caught.value.message_dict


def test_english_can_be_chosen_and_indonesian_is_the_default(client, operator_keden):
    client.force_login(operator_keden)
    # An English browser still gets Indonesian until the user switches.
    assert 'lang="id"' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("registry:household_list")).content.decode()
    assert 'lang="en"' in body
    assert "Households" in body


def test_a_receipt_pin_matches_only_its_own_hash():
    from django.contrib.auth.hashers import make_password

    from satupintu.accounts.pins import pin_matches

    stored = make_password("123456")
    assert pin_matches(" 123456 ", stored)
    assert not pin_matches("654321", stored)
    assert not pin_matches("000000", None)  # unknown number: the dummy hash is checked, never matched
    assert not pin_matches("000000", "")
