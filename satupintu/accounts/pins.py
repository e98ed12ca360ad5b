"""Receipt PINs of the public pages (tracking, complaints, survey entry)."""

from functools import cache

from django.contrib.auth.hashers import check_password


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
