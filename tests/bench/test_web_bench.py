"""The web bench runs end to end at a tiny size (its figures are printed by `make bench`, not tested)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="proved once, on its own SQLite database")
def test_web_bench_serves_the_floor_and_the_project_and_measures_every_page_without_errors(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.web_bench", "--small", "--database-url", f"sqlite:///{tmp_path / 'web.sqlite3'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=540, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = [row for row in done.stdout.splitlines() if row.startswith("| ") and "floor req/s" not in row]
    assert len(rows) >= 20 and any("kepala household detail" in row for row in rows)
    assert "stored exactly once: yes" in done.stdout
