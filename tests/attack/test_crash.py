"""The crash test (bench/crash_test.py) in small: the server killed once, the database once, on a
private PostgreSQL cluster, while clients submit with retries. Nothing acknowledged is lost,
doubled or half-written. On PostgreSQL runs only (the script needs PostgreSQL's server programs)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bench.crash_test import pg_bin

ROOT = Path(__file__).resolve().parent.parent.parent


def test_killing_the_server_and_the_database_loses_doubles_and_half_writes_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("the crash test runs on the PostgreSQL run")
    if pg_bin() is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    result = subprocess.run(
        [sys.executable, "-m", "bench.crash_test", "--server-kills", "1", "--db-kills", "1", "--clients", "3",
         "--pause", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    figures = re.search(r"^crash test: (.*)$", result.stdout, re.MULTILINE)
    assert figures, result.stdout[-3000:] + result.stderr[-3000:]
    values = dict(part.rsplit(" ", 1) for part in figures.group(1).split(", "))
    assert int(values["applications"]) > 0, figures.group(1)
    assert (values["lost"], values["doubled"], values["half_written"], values["refused"]) == ("0", "0", "0", "0")
    assert (values["server_kills"], values["db_kills"]) == ("1", "1")
    assert result.returncode == 0
