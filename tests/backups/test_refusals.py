"""`satupintu restore` checks the whole backup before it writes anything, and replaces a database
that has tables only when told to (`--force`), after asking."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from satupintu.backups.archive import manifest_digest
from satupintu.backups.fingerprints import table_fingerprints
from tests.backups.conftest import RESTORED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup(server, regions, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    return folder


def restore(folder, **options):
    call_command("restore", str(folder), database=RESTORED, **options)


def tables_of(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def assert_nothing_written(database, new_server_settings):
    assert tables_of(database) == []
    assert not new_server_settings.MEDIA_ROOT.exists()
    assert not new_server_settings.DOCUMENT_SIGNING_KEY_FILE.exists()


def test_a_changed_file_is_refused_before_anything_is_written(backup, new_server, empty_database):
    (backup / "media" / "impor" / "dtsen-keden.csv").write_text("nik,nama\n3314015205790001,Orang Lain\n")
    settings = new_server()
    with pytest.raises(CommandError, match="Berkas media/impor/dtsen-keden.csv telah berubah"):
        restore(backup)
    assert_nothing_written(empty_database, settings)


def test_an_edited_manifest_is_refused(backup, new_server, empty_database):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["regions_region"]["rows"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    settings = new_server()
    with pytest.raises(CommandError, match="Manifest telah diubah"):
        restore(backup)
    assert_nothing_written(empty_database, settings)


def test_a_missing_file_and_a_stray_file_are_refused(backup, new_server, empty_database):
    settings = new_server()
    (backup / "settings.json").rename(backup / "settings.old")
    with pytest.raises(CommandError, match=r"Berkas cadangan hilang: settings.json\."):
        restore(backup)
    (backup / "settings.old").rename(backup / "settings.json")
    (backup / "media" / "tambahan.txt").write_text("bukan dari cadangan")
    with pytest.raises(CommandError, match=r"tidak tercantum di manifest: media/tambahan.txt\."):
        restore(backup)
    assert_nothing_written(empty_database, settings)


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path, empty_database):
    with pytest.raises(CommandError, match="bukan cadangan Satu Pintu"):
        restore(tmp_path)


def test_a_database_with_tables_is_refused_without_force_and_replaced_with_it(
    backup, new_server, empty_database, monkeypatch
):
    new_server()
    restore(backup, interactive=False)
    with empty_database.cursor() as cursor:
        cursor.execute("UPDATE regions_region SET name = 'Desa Baru' WHERE code = '33.14.01.2001'")
    changed = table_fingerprints(empty_database)

    with pytest.raises(CommandError, match=r"Pemulihan ditolak, tidak ada yang diubah: basis data .* berisi \d+ tabel"):
        restore(backup)
    monkeypatch.setattr("builtins.input", lambda prompt: "tidak")
    with pytest.raises(CommandError, match="Dibatalkan; tidak ada yang diubah"):
        restore(backup, force=True)
    assert table_fingerprints(empty_database) == changed

    monkeypatch.setattr("builtins.input", lambda prompt: "ya")
    restore(backup, force=True)
    assert table_fingerprints(empty_database) == table_fingerprints(connections["default"])


def test_a_backup_of_one_engine_is_not_restored_into_the_other(backup, empty_database):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["vendor"] = "postgresql" if manifest["vendor"] == "sqlite" else "sqlite"
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="Cadangan ini dari basis data"):
        restore(backup)
    assert tables_of(empty_database) == []


def test_a_restore_that_does_not_match_the_manifests_tables_fails(backup, new_server, empty_database):
    """A manifest rewritten whole (its own checksum too) still cannot pass off other contents."""
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["regions_region"]["rows"] += 1
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (backup / "manifest.json").write_text(json.dumps(manifest))
    new_server()
    with pytest.raises(CommandError, match=r"tidak sama dengan manifest pada 1 tabel .*regions_region: \d+ → \d+"):
        restore(backup)


def test_a_backup_of_a_newer_version_is_refused(backup, new_server, empty_database):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["migrations"]["registry"] = "0999_from_a_later_version"
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (backup / "manifest.json").write_text(json.dumps(manifest))
    settings = new_server()
    with pytest.raises(CommandError, match=r"versi Satu Pintu yang lebih baru .*registry.0999_from_a_later_version"):
        restore(backup)
    assert_nothing_written(empty_database, settings)
