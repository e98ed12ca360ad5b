"""Public reference numbers that citizens read off a receipt and type back to track a request."""

import datetime as dt
import secrets


def new_number(model, prefix: str, day: dt.date) -> str:
    """`<prefix><yymm>-<six random digits>` not yet held by a row of `model` (its `number` field).
    Random rather than sequential, so that one number does not reveal how many others exist."""
    while True:
        number = f"{prefix}{day:%y%m}-{secrets.randbelow(10**6):06d}"
        if not model.objects.filter(number=number).exists():
            return number
