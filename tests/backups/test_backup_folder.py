"""What `satupintu backup` writes and keeps: the settings without secrets, dated folders with
retention, and never into a folder that already holds files."""

import datetime as dt
import json
import stat
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db(transaction=True)
JAKARTA = ZoneInfo("Asia/Jakarta")


def test_the_secret_key_stays_out_of_the_backup_unless_asked(server, regions, tmp_path):
    server.SECRET_KEY = "rahasia-server-sragen-0123456789"
    call_command("backup", str(tmp_path / "plain"))
    written = "".join(path.read_text(errors="replace") for path in (tmp_path / "plain").rglob("*.json"))
    assert "rahasia-server-sragen" not in written
    assert json.loads((tmp_path / "plain" / "settings.json").read_text())["TIME_ZONE"] == "Asia/Jakarta"

    call_command("backup", str(tmp_path / "with-secrets"), with_secrets=True)
    secrets = tmp_path / "with-secrets" / "secrets.json"
    assert json.loads(secrets.read_text())["SECRET_KEY"] == "rahasia-server-sragen-0123456789"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert "secrets.json" in json.loads((tmp_path / "with-secrets" / "manifest.json").read_text())["files"]


def test_dated_backups_keep_the_newest_and_leave_other_folders_alone(server, regions, tmp_path):
    parent = tmp_path / "cadangan"
    call_command("backup", str(parent / "sebelum-upgrade"))
    for day in (1, 2, 3):
        with time_machine.travel(dt.datetime(2026, 3, day, 2, 30, tzinfo=JAKARTA), tick=False):
            call_command("backup", str(parent), dated=True, keep=2)
    names = sorted(path.name for path in parent.iterdir())
    assert names == ["satupintu-20260302-023000", "satupintu-20260303-023000", "sebelum-upgrade"]


def test_a_folder_that_holds_files_is_not_written_into(server, regions, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "catatan.txt").write_text("jangan ditimpa")
    with pytest.raises(CommandError, match="sudah berisi berkas"):
        call_command("backup", str(tmp_path / "backup"))
    assert [path.name for path in (tmp_path / "backup").iterdir()] == ["catatan.txt"]


def test_keep_needs_dated_backups(server, tmp_path, db):
    with pytest.raises(CommandError, match="--keep hanya berlaku bersama --dated"):
        call_command("backup", str(tmp_path / "backup"), keep=3)
