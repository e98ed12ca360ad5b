"""Ed25519 signatures on QR codes, so a verifier can check a document offline.

The QR text is `<base>/v/<token>#1~<kind>~<number>~<issued YYYYMMDD>~<valid until YYYYMMDD or ->~<sig>`.
The signature covers everything before the last "~" (the URL with the printed facts); a verifier
splits at the last "~", decodes the base64url signature and checks it with the public key published
at /v/kunci-publik.pem. A phone simply opens the URL: the fragment never reaches the server.

The private key comes from DOCUMENT_SIGNING_KEY (PEM text) or the PEM file DOCUMENT_SIGNING_KEY_FILE,
generated there on first use for a demo (the deployment should provide and back up its own key).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from satupintu.links import public_url

logger = logging.getLogger(__name__)
FORMAT_VERSION = "1"
KIND_CODES = {"surat": "L", "saraswati": "S", "sintawati": "T"}


@functools.cache
def _load(pem: str | None, path: str) -> Ed25519PrivateKey:
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    else:
        key = _load_or_create_file(Path(path))
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("The document signing key must be an Ed25519 private key.")
    return key


def _load_or_create_file(path: Path):
    try:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:  # O_EXCL: when two workers start together, one writes and both read the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    logger.warning("Generated a new document signing key at %s; back it up.", path)
    return serialization.load_pem_private_key(pem, password=None)


def private_key() -> Ed25519PrivateKey:
    return _load(settings.DOCUMENT_SIGNING_KEY or None, str(settings.DOCUMENT_SIGNING_KEY_FILE))


def public_key_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_text(*, token: str, kind: str, number: str, issued_on: dt.date, valid_until: dt.date | None) -> str:
    valid = valid_until.strftime("%Y%m%d") if valid_until else "-"
    facts = "~".join([FORMAT_VERSION, KIND_CODES[kind], number, issued_on.strftime("%Y%m%d"), valid])
    return f"{public_url(f'/v/{token}')}#{facts}"


def sign(text: str) -> str:
    return _b64(private_key().sign(text.encode()))


def qr_text(text: str, signature: str) -> str:
    return f"{text}~{signature}"


def verify_qr(qr: str, public_key: Ed25519PublicKey) -> bool:
    """What an offline verifier does with a scanned QR text and the published key."""
    text, _sep, signature = qr.rpartition("~")
    try:
        public_key.verify(_unb64(signature), text.encode())
    except (InvalidSignature, ValueError):
        return False
    return True
