"""Receipt PINs of the public pages (tracking, complaints, survey entry).

A PIN is stored as a keyed hash: HMAC-SHA256 under a key derived from SECRET_KEY, with a random salt
per receipt (`hmac-sha256$<salt>$<digest>`), compared in constant time. A 6-digit PIN gains nothing
from a slow password hash (10^6 values are tried in hours even at a quarter second each); the key
keeps an offline attacker who has only the database out, and checking one costs microseconds
instead of Argon2's ~0.2 s of a worker's CPU per receipt. PINs stored as password hashes before
still match (`check_password`). Keys in SECRET_KEY_FALLBACKS still verify after a key rotation.

A 6-digit PIN is guessed by trying: every entry point that checks one (the tracking page and its
API, the survey entry, complaint tracking, the public complaint form's related application) asks
`attempt_allowed` first, which counts the attempt against two budgets shared by all of them — the
client's address and the receipt number. A second address does not give a second budget on the
same number, and a second entry point does not give a second budget to the same client.
"""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.crypto import constant_time_compare, salted_hmac

from satupintu.lib import throttle
from satupintu.parameters import assumed

# SATUPINTU_PIN_NUMBER_LIMIT attempts on one receipt number, from any address, per window: 10 an
# hour lets a citizen mistype many times, and leaves a guesser of a 6-digit PIN (10^6 values) at
# about 240 tries a day.
PIN_NUMBER_SOURCE = assumed("batas percobaan PIN per nomor tanda terima")


KEYED = "hmac-sha256"
_KEY_SALT = "satupintu.accounts.pins"
# Checked for an unknown receipt number, so that it takes as long as a wrong PIN.
_DUMMY = f"{KEYED}$0${'0' * 64}"


def _digest(salt: str, pin: str, secret) -> str:
    return salted_hmac(_KEY_SALT, f"{salt}${pin}", secret=secret, algorithm="sha256").hexdigest()


def make_pin_hash(pin: str) -> str:
    salt = secrets.token_hex(8)
    return f"{KEYED}${salt}${_digest(salt, pin, settings.SECRET_KEY)}"


def pin_matches(pin: str | None, pin_hash: str | None) -> bool:
    """Whether `pin` matches `pin_hash`. With no hash (the number is unknown) a dummy hash is checked
    anyway, so that a wrong number and a wrong PIN take the same time and cannot be told apart."""
    pin = (pin or "").strip()
    stored = pin_hash or _DUMMY
    if not stored.startswith(f"{KEYED}$"):
        return check_password(pin, stored)  # stored as a password hash before PINs were keyed
    _kind, salt, digest = stored.split("$", 2)
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    matched = [constant_time_compare(_digest(salt, pin, key), digest) for key in keys]
    return any(matched) and bool(pin_hash)


def attempt_allowed(request, number: str) -> bool:
    """Count one PIN attempt on receipt `number` by this client; False when either budget is spent:
    SATUPINTU_TRACK_LIMIT per client address, SATUPINTU_PIN_NUMBER_LIMIT per number, each per its
    window. Both are counted even when one refuses, so a refused client still spends the number's."""
    by_client = throttle.allow("pin", request)
    by_number = throttle.allow_value(
        "pin-number",
        (number or "").strip().upper(),
        limit=settings.SATUPINTU_PIN_NUMBER_LIMIT,
        window=settings.SATUPINTU_PIN_NUMBER_WINDOW_SECONDS,
    )
    return by_client and by_number
