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


def test_a_simulated_user_keeps_the_cookies_the_site_sets_as_a_browser_does():
    import http.server
    import threading

    from bench.web_bench import drive

    seen = []

    class Site(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            seen.append(self.headers.get("Cookie"))
            self.send_response(200)
            if len(seen) == 1:
                self.send_header("Set-Cookie", "csrftoken=abc; Path=/; SameSite=Lax")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = drive(server.server_address[1], "/", "sessionid=s1", clients=1, seconds=0.3)
    finally:
        server.shutdown()
    assert result["errors"] == 0 and len(seen) >= 3
    assert seen[0] == "sessionid=s1"
    assert set(seen[1:]) == {"sessionid=s1; csrftoken=abc"}
