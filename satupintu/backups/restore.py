"""Restoring a backup directory: check it whole, find what it would replace, restore, compare.

Nothing is written before the manifest, every file's checksum and (on SQLite) the copy's tables
have been checked; the restored tables are then fingerprinted again and compared with the manifest.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from .archive import (
    FORMAT,
    MANIFEST,
    MEDIA_DIR,
    BackupError,
    manifest_digest,
    postgres_environment,
    run_tool,
    sha256_file,
)
from .fingerprints import sqlite_fingerprints, table_fingerprints


@dataclass(frozen=True)
class Backup:
    folder: Path
    manifest: dict

    @property
    def database_file(self) -> Path:
        return self.folder / self.manifest["database_file"]

    @property
    def signing_key(self) -> str | None:
        return self._text("signing_key")

    @property
    def retired_keys(self) -> str | None:
        return self._text("retired_keys")

    def _text(self, entry: str) -> str | None:
        name = self.manifest.get(entry)
        return (self.folder / name).read_text() if name else None


def open_backup(folder: Path, alias: str = "default") -> Backup:
    """The backup in `folder` once every check passed; BackupError naming the first failure."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise BackupError(_("%(path)s tidak ada: folder ini bukan cadangan Satu Pintu.") % {"path": path}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(_("%(path)s rusak: bukan JSON yang sah.") % {"path": path}) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Format manifest tidak dikenal."))
    if manifest.get("manifest_sha256") != manifest_digest(manifest):
        raise BackupError(_("Manifest telah diubah: checksum-nya tidak cocok. Cadangan ini tidak dipulihkan."))
    _check_files(folder, manifest["files"])
    vendor = connections[alias].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            _("Cadangan ini dari basis data %(backup)s, sedangkan DATABASE_URL menunjuk %(target)s.")
            % {"backup": manifest["vendor"], "target": vendor}
        )
    _check_migrations(manifest["migrations"])
    backup = Backup(folder, manifest)
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{backup.database_file}?mode=ro&immutable=1", uri=True)
        try:
            _compare(manifest["tables"], sqlite_fingerprints(source), _("Salinan basis data dalam cadangan"))
        finally:
            source.close()
    return backup


def _check_migrations(applied: dict[str, str]) -> None:
    """A backup made by a newer version has migrations this code does not know: its tables would not
    match the models, and `migrate` could not bring them back."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    if unknown := sorted(f"{app}.{name}" for app, name in applied.items() if (app, name) not in known):
        raise BackupError(
            _(
                "Cadangan ini dibuat oleh versi Satu Pintu yang lebih baru (migrasi yang tidak dikenal: "
                "%(names)s); pasang versi itu dulu, lalu pulihkan."
            )
            % {"names": ", ".join(unknown)}
        )


def _check_files(folder: Path, files: dict) -> None:
    present = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} - {MANIFEST}
    if missing := sorted(set(files) - present):
        raise BackupError(_("Berkas cadangan hilang: %(names)s.") % {"names": ", ".join(missing)})
    if extra := sorted(present - set(files)):
        raise BackupError(_("Berkas yang tidak tercantum di manifest: %(names)s.") % {"names": ", ".join(extra)})
    for name, expected in files.items():
        if sha256_file(folder / name) != expected["sha256"]:
            raise BackupError(
                _("Berkas %(name)s telah berubah: checksum-nya tidak cocok dengan manifest.") % {"name": name}
            )


def _compare(expected: dict, found: dict, what: str) -> None:
    wrong = sorted(table for table in expected.keys() | found.keys() if expected.get(table) != found.get(table))
    if wrong:
        details = "; ".join(
            f"{table}: {(expected.get(table) or {}).get('rows', '-')} → {(found.get(table) or {}).get('rows', '-')}"
            for table in wrong[:10]
        )
        raise BackupError(
            _(
                "%(what)s tidak sama dengan manifest pada %(count)d tabel "
                "(baris manifest → baris ditemukan): %(details)s"
            )
            % {"what": what, "count": len(wrong), "details": details}
        )


def conflicts(backup: Backup, alias: str = "default") -> list[str]:
    """What a restore would overwrite, one line each; empty for a fresh server."""
    found = []
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        found.append(
            _("basis data %(name)s berisi %(count)d tabel")
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )
    media = Path(settings.MEDIA_ROOT)
    if (backup.folder / MEDIA_DIR).is_dir() and media.is_dir() and any(media.iterdir()):
        found.append(_("folder media %(path)s tidak kosong") % {"path": media})
    key = backup.signing_key
    if key and settings.DOCUMENT_SIGNING_KEY and settings.DOCUMENT_SIGNING_KEY.strip() != key.strip():
        found.append(
            _("DOCUMENT_SIGNING_KEY server ini bukan kunci dalam cadangan (dokumen lama tidak akan terverifikasi)")
        )
    key_file = Path(settings.DOCUMENT_SIGNING_KEY_FILE)
    if key and not settings.DOCUMENT_SIGNING_KEY and key_file.is_file() and key_file.read_text().strip() != key.strip():
        found.append(_("kunci tanda tangan %(path)s berbeda dari kunci dalam cadangan") % {"path": key_file})
    retired, retired_file = backup.retired_keys, Path(settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE)
    if retired and retired_file.is_file() and retired_file.read_text() != retired:
        found.append(_("kunci publik lama %(path)s berbeda dari yang ada dalam cadangan") % {"path": retired_file})
    return found


def restore(backup: Backup, alias: str = "default") -> dict:
    """Replace the database, the media files and the signing key file with the backup's, then
    compare every table with the manifest. Returns the restored tables' fingerprints."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{backup.database_file}?mode=ro&immutable=1", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        _restore_postgres(backup, alias)
        # A dump holds no planner statistics: until autovacuum gathers them (later, or never where it
        # is off) the planner guesses row counts, and a page's small queries can take parallel plans
        # that cost ten times more.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if (backup.folder / MEDIA_DIR).is_dir():
        shutil.copytree(backup.folder / MEDIA_DIR, settings.MEDIA_ROOT, dirs_exist_ok=True)
    _restore_key(backup)
    found = table_fingerprints(connection)
    _compare(backup.manifest["tables"], found, _("Basis data yang dipulihkan"))
    return found


def _restore_postgres(backup: Backup, alias: str) -> None:
    """pg_restore's SQL run by psql in one transaction, after emptying the schema when it has tables:
    if anything fails, the database is left as it was."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        replace = bool(connection.introspection.table_names(cursor))
    psql = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
    ]
    if replace:
        # Tables, sequences and the append-only triggers' functions alike.
        psql += ["-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"]
    env = postgres_environment(connection.settings_dict)
    to_sql = ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(backup.database_file)]
    dump = subprocess.Popen(to_sql, env=env, stdout=subprocess.PIPE)  # noqa: S603 - the backup's own file
    try:
        run_tool([*psql, "-f", "-"], connection.settings_dict, stdin=dump.stdout)
    finally:
        dump.stdout.close()
        if dump.wait() != 0:
            raise BackupError(_("pg_restore gagal membaca %(path)s.") % {"path": backup.database_file})


def _restore_key(backup: Backup) -> None:
    if backup.retired_keys:
        _write(Path(settings.DOCUMENT_SIGNING_RETIRED_KEYS_FILE), backup.retired_keys, 0o644)
    if backup.signing_key and not settings.DOCUMENT_SIGNING_KEY:
        _write(Path(settings.DOCUMENT_SIGNING_KEY_FILE), backup.signing_key, 0o600)


def _write(path: Path, content: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=mode)
    path.chmod(mode)
    path.write_text(content)
