"""`satupintu backup DIR` then `satupintu restore DIR` on an empty database gives back every table,
row for row, the media files and the signing keys: cards issued before, by the current key and by a
retired one, still verify."""

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connections

from satupintu.backups.fingerprints import table_fingerprints
from satupintu.documents import signing
from satupintu.documents.models import IssuedDocument
from tests.backups.conftest import RESTORED, on_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_table_comes_back_with_its_rows_and_the_cards_still_verify(
    issued_cards, new_server, empty_database, tmp_path
):
    call_command("backup", str(tmp_path / "backup"))
    before = table_fingerprints(connections["default"])
    settings = new_server()
    assert not settings.DOCUMENT_SIGNING_KEY_FILE.exists()

    call_command("restore", str(tmp_path / "backup"), database=RESTORED, interactive=False)

    after = table_fingerprints(connections[RESTORED])
    assert after == before
    assert after[IssuedDocument._meta.db_table]["rows"] == 2 and after["registry_person"]["rows"] == 2
    published = signing.public_keys()
    for card in issued_cards:  # one signed by the retired key, one by the current key
        restored = IssuedDocument.objects.using(RESTORED).get(pk=card.pk)
        assert restored.qr_text == card.qr_text
        assert signing.verify_qr(restored.qr_text, published)
    upload = settings.MEDIA_ROOT / "impor" / "dtsen-keden.csv"
    assert upload.read_text() == "nik,nama\n3314015205790001,Sumiyati\n"


@pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL's planner statistics")
def test_a_restored_postgresql_database_has_its_planner_statistics(issued_cards, new_server, empty_database, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    new_server()
    call_command("restore", str(tmp_path / "backup"), database=RESTORED, interactive=False)
    with connections[RESTORED].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = %s",
            [IssuedDocument._meta.db_table],
        )
        assert cursor.fetchone()[0] > 0


def test_the_database_copy_is_the_engines_own(issued_cards, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    if on_postgresql():
        assert (tmp_path / "backup" / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump --format=custom
    else:
        assert (tmp_path / "backup" / "database.sqlite3").read_bytes()[:16] == b"SQLite format 3\x00"


@pytest.mark.skipif(on_postgresql(), reason="SQLite's write-ahead log")
def test_an_sqlite_backup_holds_the_rows_still_in_the_write_ahead_log(regions, new_server, empty_database, tmp_path):
    """A copy of the database file would miss every commit not yet checkpointed into it."""
    call_command("backup", str(tmp_path / "first"))
    new_server()
    call_command("restore", str(tmp_path / "first"), database=RESTORED, interactive=False)
    with empty_database.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the restored tables into the file itself
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.execute("UPDATE regions_region SET name = 'Desa Baru' WHERE code = '33.14.01.2001'")
    main_file_only = sqlite3.connect(f"file:{empty_database.settings_dict['NAME']}?mode=ro&immutable=1", uri=True)
    assert main_file_only.execute("SELECT name FROM regions_region WHERE code = '33.14.01.2001'").fetchone() == (
        "Keden",
    )

    call_command("backup", str(tmp_path / "second"), database=RESTORED)

    copy = sqlite3.connect(tmp_path / "second" / "database.sqlite3")
    assert copy.execute("SELECT name FROM regions_region WHERE code = '33.14.01.2001'").fetchone() == ("Desa Baru",)
