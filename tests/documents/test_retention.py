"""Scan-log retention: the reader's address and browser are kept 30 days, the scan itself for good."""

import datetime as dt

import time_machine
from django.core.management import call_command
from django.db import connection

from satupintu.audit.models import AuditLog
from satupintu.documents import actions
from satupintu.documents.models import Scan
from satupintu.documents.retention import forget_scan_addresses
from tests.documents.conftest import qr_path

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def scan_on(client, letter, when, agent):
    with time_machine.travel(when, tick=False):
        client.get(qr_path(letter.qr_text), HTTP_USER_AGENT=agent)


def test_addresses_older_than_the_retention_period_are_blanked_and_the_scans_kept(
    client, kepala, keden_household, agencies, settings
):
    settings.SCAN_ADDRESS_RETENTION_DAYS = 30
    letter = actions.document_issue_letter(
        actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household
    )
    scan_on(client, letter, START, "tua")
    scan_on(client, letter, START + dt.timedelta(days=20), "baru")
    now = START + dt.timedelta(days=31)

    assert forget_scan_addresses(now=now) == 1

    old, recent = letter.scans.order_by("at")
    assert (old.ip_address, old.user_agent, old.status) == (None, "", "valid")
    assert (recent.ip_address, recent.user_agent) == ("127.0.0.1", "baru")
    assert letter.scans.count() == 2
    entry = AuditLog.objects.get(object_type="documents.scan")
    assert entry.changes["scans_blanked"] == 1 and "30 hari" in entry.reason
    # Idempotent: nothing left to blank, no second audit row.
    assert forget_scan_addresses(now=now) == 0
    assert AuditLog.objects.filter(object_type="documents.scan").count() == 1


def test_the_command_reports_how_many_scans_it_blanked(client, kepala, keden_household, agencies, capsys):
    letter = actions.document_issue_letter(
        actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household
    )
    scan_on(client, letter, START, "tua")
    with time_machine.travel(START + dt.timedelta(days=60), tick=False):
        call_command("forget_scan_addresses")
    assert "blanked: 1" in capsys.readouterr().out
    assert Scan.objects.get().ip_address is None


def test_public_rate_limits_never_store_the_raw_address(client, db, settings):
    """The tracking form's counter is a hashed, expiring cache key like the other public forms'."""
    from django.urls import reverse

    client.post(reverse("cases:track"), {"number": "X", "pin": "1"}, REMOTE_ADDR="203.0.113.77")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {settings.CACHES['default']['LOCATION']}")  # noqa: S608
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not any("203.0.113.77" in key for key in keys)
