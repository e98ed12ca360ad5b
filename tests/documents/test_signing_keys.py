"""The signing key is never replaced silently: production refuses to start without it, and a
rotation keeps the earlier public keys published so every printed QR still verifies offline."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from satupintu.documents import actions, signing
from tests.documents.conftest import pdf_qr_codes

ROOT = Path(__file__).resolve().parents[2]


def issue(actor, household):
    return actions.document_issue_letter(actor=actor, service_code="rujukan-jamkesda", subject_household=household)


def published_keys(client) -> dict:
    """What an offline verifier reads from /v/kunci-publik.pem: each key after its Key-ID line."""
    text = client.get(reverse("verify:public_key")).content.decode()
    keys = {}
    for block in text.split("Key-ID: ")[1:]:
        kid, pem = block.split("\n", 1)
        keys[kid] = serialization.load_pem_public_key(pem.encode())
    return dict(reversed(keys.items()))  # published newest first; verify_qr takes them oldest first


def test_a_letter_signed_before_a_rotation_still_verifies_after_it(client, kepala, keden_household, agencies):
    before = issue(kepala, keden_household)
    [scanned_before] = pdf_qr_codes(bytes(before.pdf))
    call_command("create_signing_key", rotate=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = issue(kepala, keden_household)
    keys = published_keys(client)
    assert len(keys) == 2
    assert signing.verify_qr(scanned_before, keys)
    assert signing.verify_qr(after.qr_text, keys)
    assert before.qr_text.split("~")[1] != after.qr_text.split("~")[1]  # another key id
    assert not signing.verify_qr(scanned_before.replace("~L~", "~S~"), keys)


def test_a_qr_printed_before_key_ids_verifies_against_the_first_key(client, db):
    text = "https://satupintu.sragenkab.go.id/v/abc#1~L~470/0001/UPT-PK/2026~20260105~-"
    old_qr = signing.qr_text(text, signing.sign(text))
    signing.rotate()
    keys = published_keys(client)
    assert signing.verify_qr(old_qr, keys)
    newest_only = dict(list(keys.items())[1:])
    assert not signing.verify_qr(old_qr, newest_only)


def test_a_missing_key_is_not_generated_in_production(settings, db):
    settings.DOCUMENT_SIGNING_KEY_CREATE = False
    signing._load.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="create-signing-key"):
        signing.private_key()
    assert not Path(settings.DOCUMENT_SIGNING_KEY_FILE).exists()


def test_the_web_server_refuses_to_start_without_its_signing_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "satupintu.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": "sqlite:///:memory:",
        "DOCUMENT_SIGNING_KEY": "",
        "DOCUMENT_SIGNING_KEY_FILE": str(tmp_path / "missing.pem"),
    }
    env.pop("DOCUMENT_SIGNING_KEY_CREATE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import satupintu.wsgi"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "document signing key" in result.stderr and "is missing" in result.stderr
    assert not (tmp_path / "missing.pem").exists()
    call = [sys.executable, "-m", "satupintu.cli", "create-signing-key"]
    subprocess.run(call, env=env, cwd=ROOT, check=True, capture_output=True)
    started = subprocess.run([sys.executable, "-c", "import satupintu.wsgi"], env=env, cwd=ROOT, capture_output=True)
    assert started.returncode == 0, started.stderr


def test_the_current_key_id_is_in_every_new_qr(kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    assert letter.qr_text.split("#", 1)[1].startswith(f"2~{signing.key_id(signing.private_key().public_key())}~")
