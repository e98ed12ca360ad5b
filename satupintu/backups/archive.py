"""A backup directory: the database, the media files, the document signing key, a summary of the
settings, and `manifest.json` with the SHA-256 of every file and each table's row count and checksum.

The database copy is consistent: PostgreSQL's `pg_dump` reads the snapshot the fingerprints are
computed in (`pg_export_snapshot`); SQLite's online backup copies the pages of one read
transaction, and the fingerprints are computed on the copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from .fingerprints import sqlite_fingerprints, table_fingerprints

FORMAT = 1
MANIFEST = "manifest.json"
KEY_FILE = "signing-key.pem"
# The public keys of earlier signing keys: documents they signed verify only while these are published.
RETIRED_KEYS_FILE = "signing-retired-keys.pem"
SETTINGS_FILE = "settings.json"
SECRETS_FILE = "secrets.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_DIR = "media"
DATED_PREFIX = "satupintu-"
# The settings a restored server must match (none of them secret); see docs/operations.md.
SUMMARY_SETTINGS = [
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "HTTPS",
    "DOCUMENT_VERIFY_BASE_URL",
    "DOCUMENT_SIGNING_KEY_FILE",
    "DOCUMENT_SIGNING_RETIRED_KEYS_FILE",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "SATUPINTU_NOTIFY_GATEWAY",
    "SATUPINTU_NOTIFY_HTTP_URL",
    "SATUPINTU_CUTI_BERSAMA_WORKING",
    "SATUPINTU_COMPLAINT_DAYS",
    "SATUPINTU_INTEGRITY_GROUP",
    "POVERTY_BPS14_POOR_MIN",
    "POVERTY_DESIL_POOR_MAX",
    "POVERTY_DESIL_VULNERABLE_MAX",
    "SCAN_ADDRESS_RETENTION_DAYS",
    "IMPORT_RETENTION_DAYS",
]
SECRET_SETTINGS = ["SECRET_KEY", "SATUPINTU_NOTIFY_HTTP_TOKEN"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def manifest_digest(manifest: dict) -> str:
    """The checksum of the manifest itself, over everything but this field."""
    body = {key: value for key, value in manifest.items() if key != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def postgres_environment(settings_dict: dict) -> dict[str, str]:
    """pg_dump / pg_restore's connection, through the environment so no password is on a command line."""
    options = settings_dict.get("OPTIONS", {})
    pairs = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGSSLMODE": options.get("sslmode"),
    }
    return {**os.environ, **{name: str(value) for name, value in pairs.items() if value}}


def run_tool(command: list[str], settings_dict: dict, *, stdin=None) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=postgres_environment(settings_dict), stdin=stdin, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            _("Program %(name)s tidak ditemukan: pasang klien PostgreSQL.") % {"name": command[0]}
        ) from exc
    if result.returncode != 0:
        error = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(_("%(name)s gagal: %(error)s") % {"name": command[0], "error": error})


def _dump_database(alias: str, folder: Path) -> tuple[str, dict]:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_COPY)
        try:
            connection.connection.backup(target)
            # A plain file: opening the copy read-only must not create -wal and -shm files beside it.
            target.execute("PRAGMA journal_mode=DELETE")
            return SQLITE_COPY, sqlite_fingerprints(target)
        finally:
            target.close()
    if connection.vendor != "postgresql":
        raise BackupError(_("Basis data %(vendor)s tidak didukung.") % {"vendor": connection.vendor})
    if connection.in_atomic_block:
        raise BackupError(_("Cadangan PostgreSQL tidak dapat dibuat di dalam transaksi yang sedang berjalan."))
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            [snapshot] = cursor.fetchone()
            dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            run_tool([*dump, f"--file={folder / POSTGRES_DUMP}"], connection.settings_dict)
            fingerprints = table_fingerprints(connection)
        finally:
            cursor.execute("COMMIT")
    return POSTGRES_DUMP, fingerprints


def _settings_summary(alias: str) -> dict:
    database = connections[alias].settings_dict
    summary = {name: getattr(settings, name) for name in SUMMARY_SETTINGS}
    summary = json.loads(json.dumps(summary, default=str))
    summary["DATABASE"] = {key: database.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT", "USER")}
    summary["DATABASE"]["NAME"] = str(summary["DATABASE"]["NAME"])
    summary["DOCUMENT_SIGNING_KEY_FROM"] = "DOCUMENT_SIGNING_KEY" if settings.DOCUMENT_SIGNING_KEY else "file"
    return summary


def _copy_signing_key(folder: Path) -> bool:
    target = folder / KEY_FILE
    if settings.DOCUMENT_SIGNING_KEY:
        target.write_text(settings.DOCUMENT_SIGNING_KEY)
    elif Path(settings.DOCUMENT_SIGNING_KEY_FILE).is_file():
        shutil.copyfile(settings.DOCUMENT_SIGNING_KEY_FILE, target)
    else:
        return False
    target.chmod(0o600)
    return True


def _copy_retired_keys(folder: Path) -> bool:
    source = Path(settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE)
    if not source.is_file():
        return False
    shutil.copyfile(source, folder / RETIRED_KEYS_FILE)
    return True


def _write_secrets(folder: Path, alias: str) -> None:
    secrets = {name: getattr(settings, name) for name in SECRET_SETTINGS}
    secrets["DATABASE_PASSWORD"] = connections[alias].settings_dict.get("PASSWORD") or ""
    path = folder / SECRETS_FILE
    path.touch(mode=0o600)
    path.write_text(json.dumps(secrets, indent=2))


def _migrations(alias: str) -> dict[str, str]:
    """The last migration applied of each app: what the restored code must be at least."""
    applied = MigrationRecorder(connections[alias]).applied_migrations()
    last: dict[str, str] = {}
    for app, name in sorted(applied):
        last[app] = max(last.get(app, name), name)
    return last


def create_backup(folder: Path, *, alias: str = "default", with_secrets: bool = False) -> dict:
    """Write a complete backup into `folder` (absent or empty) and return its manifest.

    Everything is written into `<folder>.partial` first and renamed at the end, so a directory
    without that suffix is always a whole backup.
    """
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(_("Folder %(path)s sudah berisi berkas; pilih folder baru.") % {"path": folder})
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)
    try:
        manifest = _fill(partial, alias, with_secrets)
        if folder.exists():
            folder.rmdir()
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _fill(folder: Path, alias: str, with_secrets: bool) -> dict:
    database_file, tables = _dump_database(alias, folder)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, folder / MEDIA_DIR)
    has_key = _copy_signing_key(folder)
    has_retired = _copy_retired_keys(folder)
    (folder / SETTINGS_FILE).write_text(json.dumps(_settings_summary(alias), indent=2, ensure_ascii=False))
    if with_secrets:
        _write_secrets(folder, alias)
    files = {
        path.relative_to(folder).as_posix(): {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": connections[alias].vendor,
        "database_file": database_file,
        "signing_key": KEY_FILE if has_key else None,
        "retired_keys": RETIRED_KEYS_FILE if has_retired else None,
        "django": django.get_version(),
        "migrations": _migrations(alias),
        "files": files,
        "tables": tables,
    }
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def dated_folder(parent: Path, now: dt.datetime) -> Path:
    return parent / f"{DATED_PREFIX}{now:%Y%m%d-%H%M%S}"


def prune(parent: Path, keep: int) -> list[Path]:
    """Delete the oldest dated backups in `parent` (whole ones, with a manifest) beyond the newest `keep`;
    a folder named otherwise is never touched."""
    backups = sorted(
        path
        for path in parent.glob(f"{DATED_PREFIX}*")
        if path.is_dir() and not path.name.endswith(".partial") and (path / MANIFEST).is_file()
    )
    removed = backups[: max(len(backups) - keep, 0)]
    for path in removed:
        shutil.rmtree(path)
    return removed
