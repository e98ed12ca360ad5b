"""Receipt PINs of the public pages (tracking, complaints, survey entry).

A 6-digit PIN is guessed by trying: every entry point that checks one (the tracking page and its
API, the survey entry, complaint tracking, the public complaint form's related application) asks
`attempt_allowed` first, which counts the attempt against two budgets shared by all of them — the
client's address and the receipt number. A second address does not give a second budget on the
same number, and a second entry point does not give a second budget to the same client.
"""

from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password

from satupintu.lib import throttle
from satupintu.parameters import assumed

# Attempts on one receipt number, from any address, per window: 10 an hour lets a citizen mistype
# many times, and leaves a guesser of a 6-digit PIN (10^6 values) at about 240 tries a day.
PIN_NUMBER_LIMIT = 10
PIN_NUMBER_WINDOW_SECONDS = 3600
PIN_NUMBER_SOURCE = assumed("batas percobaan PIN per nomor tanda terima")


@cache
def _dummy_hash() -> str:
    # Made on the first unknown number, not at import: an Argon2 hash costs a worker's start-up
    # time otherwise.
    from django.contrib.auth.hashers import make_password

    return make_password("000000")


def pin_matches(pin: str | None, pin_hash: str | None) -> bool:
    """Whether `pin` matches `pin_hash`. With no hash (the number is unknown) a dummy hash is checked
    anyway, so that a wrong number and a wrong PIN take the same time and cannot be told apart."""
    matched = check_password((pin or "").strip(), pin_hash or _dummy_hash())
    return matched and bool(pin_hash)


def attempt_allowed(request, number: str) -> bool:
    """Count one PIN attempt on receipt `number` by this client; False when either budget is spent:
    SATUPINTU_TRACK_LIMIT per client address, SATUPINTU_PIN_NUMBER_LIMIT per number, each per its
    window. Both are counted even when one refuses, so a refused client still spends the number's."""
    by_client = throttle.allow("pin", request)
    by_number = throttle.allow_value(
        "pin-number",
        (number or "").strip().upper(),
        limit=getattr(settings, "SATUPINTU_PIN_NUMBER_LIMIT", PIN_NUMBER_LIMIT),
        window=getattr(settings, "SATUPINTU_PIN_NUMBER_WINDOW_SECONDS", PIN_NUMBER_WINDOW_SECONDS),
    )
    return by_client and by_number
