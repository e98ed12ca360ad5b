"""Ed25519 signatures on QR codes, so a verifier can check a document offline.

The QR text is
`<base>/v/<token>#2~<key id>~<kind>~<number>~<issued YYYYMMDD>~<valid until YYYYMMDD or ->~<sig>`.
The signature covers everything before the last "~" (the URL with the printed facts); a verifier
splits at the last "~", decodes the base64url signature and checks it with the public key of that
key id, published at /v/kunci-publik.pem. A phone simply opens the URL: the fragment never reaches
the server. QR codes of format 1 (`#1~<kind>~…`, printed before key ids) carry no key id: they are
checked with the first key ever used, the oldest of the published ones.

The private key comes from DOCUMENT_SIGNING_KEY (PEM text) or the PEM file DOCUMENT_SIGNING_KEY_FILE;
a missing key is an error (`satupintu create-signing-key` writes one) unless
DOCUMENT_SIGNING_KEY_CREATE allows generating it (tests and DEBUG), since every QR printed until
then would stop verifying against a new key. After a rotation the earlier public keys, oldest
first, are in the PEM file DOCUMENT_SIGNING_RETIRED_KEYS_FILE and stay published, so the documents
they signed still verify.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from satupintu.links import public_url

logger = logging.getLogger(__name__)
FORMAT_VERSION = "2"
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
        if not settings.DOCUMENT_SIGNING_KEY_CREATE:
            raise ImproperlyConfigured(
                f"The document signing key {path} is missing: restore it from the backup, or create the "
                "first key with `satupintu create-signing-key` (DOCUMENT_SIGNING_KEY or "
                "DOCUMENT_SIGNING_KEY_FILE names it)."
            ) from None
    return create_key_file(path)


def create_key_file(path: Path):
    """A new Ed25519 key in a new PEM file readable by its owner only; the existing key if the file exists."""
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


def rotate() -> str:
    """Retire the current key (its public key appended to the retired keys, its file kept beside as
    `<file>.<key id>`) and create a new one; returns the new key id. The key must be a file."""
    path, retired = Path(settings.DOCUMENT_SIGNING_KEY_FILE), Path(settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE)
    if settings.DOCUMENT_SIGNING_KEY:
        raise ImproperlyConfigured("DOCUMENT_SIGNING_KEY is set in the environment: replace it there.")
    old = private_key().public_key()
    retired.parent.mkdir(parents=True, exist_ok=True)
    with retired.open("ab") as handle:
        handle.write(_pem(old))
    path.rename(path.with_name(f"{path.name}.{key_id(old)}"))
    _load.cache_clear()
    return key_id(create_key_file(path).public_key())


def private_key() -> Ed25519PrivateKey:
    return _load(settings.DOCUMENT_SIGNING_KEY or None, str(settings.DOCUMENT_SIGNING_KEY_FILE))


def _pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Ed25519PublicKey) -> str:
    """Eight base64url characters of the SHA-256 of the raw public key: names the key in a QR."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    return _b64(digest.finalize())[:8]


def _retired(path: str) -> tuple[Ed25519PublicKey, ...]:
    try:
        text = Path(path).read_bytes() if path else b""
    except FileNotFoundError:
        return ()
    blocks = [b"-----BEGIN PUBLIC KEY-----" + part for part in text.split(b"-----BEGIN PUBLIC KEY-----")[1:]]
    return tuple(serialization.load_pem_public_key(block) for block in blocks)


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every published key by its id: the retired ones oldest first, then the current one."""
    keys = [*_retired(str(settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE or "")), private_key().public_key()]
    return {key_id(key): key for key in keys}


def public_key_pem() -> bytes:
    """The current key first, then the retired ones newest first, each after its `Key-ID:` line
    (text outside the PEM blocks, which PEM readers skip)."""
    keys = list(public_keys().items())
    return b"".join(f"Key-ID: {kid}\n".encode() + _pem(key) for kid, key in reversed(keys))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_text(*, token: str, kind: str, number: str, issued_on: dt.date, valid_until: dt.date | None) -> str:
    valid = valid_until.strftime("%Y%m%d") if valid_until else "-"
    kid = key_id(private_key().public_key())
    facts = "~".join([FORMAT_VERSION, kid, KIND_CODES[kind], number, issued_on.strftime("%Y%m%d"), valid])
    return f"{public_url(f'/v/{token}')}#{facts}"


def sign(text: str) -> str:
    return _b64(private_key().sign(text.encode()))


def qr_text(text: str, signature: str) -> str:
    return f"{text}~{signature}"


def verify_qr(qr: str, keys: dict[str, Ed25519PublicKey] | Ed25519PublicKey) -> bool:
    """What an offline verifier does with a scanned QR text and the published keys (by id, in the
    order published by `public_keys`; or one key)."""
    text, _sep, signature = qr.rpartition("~")
    if isinstance(keys, Ed25519PublicKey):
        keys = {key_id(keys): keys}
    facts = text.partition("#")[2].split("~")
    if facts[0] == "1":
        public_key = next(iter(keys.values()), None)
    else:
        public_key = keys.get(facts[1]) if len(facts) > 1 else None
    if public_key is None:
        return False
    try:
        public_key.verify(_unb64(signature), text.encode())
    except (InvalidSignature, ValueError):
        return False
    return True
