"""Write audit rows. Called inside the same transaction as the change it records."""

import datetime as dt
from decimal import Decimal

from django.db import models

from .models import Action, AuditLog


def plain(value):
    """The value as JSON can hold it: dates as ISO text, decimals as text, rows as their key."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return {name: plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    return {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}


def entry(*, actor, action: str, instance: models.Model, household_id=None, changes=None, reason: str = "") -> AuditLog:
    """The audit row, not saved yet (`Chained.save_together` appends it with rows of other chains)."""
    return AuditLog(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        household_id=household_id,
        changes=changes or {},
        reason=reason,
    )


def record(
    *, actor, action: str, instance: models.Model, household_id=None, changes=None, reason: str = ""
) -> AuditLog:
    row = entry(
        actor=actor, action=action, instance=instance, household_id=household_id, changes=changes, reason=reason
    )
    row.save(force_insert=True)
    return row


__all__ = ["Action", "diff", "entry", "record", "snapshot"]
