"""Receipt PINs are stored as keyed hashes (HMAC under the site's secret), not password hashes."""

from django.contrib.auth.hashers import make_password

from satupintu.accounts.pins import make_pin_hash, pin_matches


def test_a_pin_is_stored_as_a_salted_keyed_hash_that_matches_only_itself():
    stored = make_pin_hash("123456")
    assert stored.startswith("hmac-sha256$") and "123456" not in stored
    assert pin_matches("123456", stored) and pin_matches(" 123456 ", stored)
    assert not pin_matches("123457", stored) and not pin_matches("", stored)
    assert make_pin_hash("123456") != stored  # a salt per receipt: equal PINs do not look equal


def test_without_the_sites_secret_the_stored_hash_does_not_verify(settings):
    stored = make_pin_hash("123456")
    settings.SECRET_KEY = "another-site-" + "k" * 40
    assert not pin_matches("123456", stored)


def test_a_pin_stored_under_a_rotated_key_still_matches_through_the_fallbacks(settings):
    old = settings.SECRET_KEY
    stored = make_pin_hash("654321")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + "r" * 44, [old]
    assert pin_matches("654321", stored)


def test_a_pin_stored_as_a_password_hash_before_still_matches():
    stored = make_password("000111")
    assert pin_matches("000111", stored) and not pin_matches("000112", stored)


def test_an_unknown_receipt_number_never_matches():
    assert not pin_matches("000000", None) and not pin_matches("000000", "")


def test_intake_stores_the_receipt_pin_as_a_keyed_hash(petugas, keden_household):
    from tests.conftest import apply_for

    application, pin = apply_for(petugas, keden_household)
    assert application.pin_hash.startswith("hmac-sha256$") and pin_matches(pin, application.pin_hash)
