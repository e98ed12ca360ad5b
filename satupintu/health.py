"""The health listener: a small HTTP server in a thread of each gunicorn worker, on its own port,
answering `GET /healthz` while every request thread of the worker is busy.

`/healthz` on the site's port waits in the same queue as the pages: under a load of slow writes a
monitor's check timed out and the server was called down while it was only busy. This listener
does not share that queue. It checks what the site needs to answer at all — the process is alive
and the database answers `SELECT 1` — and writes nothing. Every worker binds the same port
(SO_REUSEPORT), so the kernel spreads the checks and a dead worker is not asked.
"""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger(__name__)


def database_state(*, close: bool = False) -> tuple[int, dict]:
    """200 and the vendor when the database answers `SELECT 1`, else 503 and the error's class.
    `close`: close the thread's connection afterwards (a thread outside Django's request cycle)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        return 503, {"status": "error", "database": type(exc).__name__}
    finally:
        if close:
            connection.close()
    return 200, {"status": "ok", "database": "ok", "vendor": connection.vendor}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        if self.path.split("?", 1)[0] != "/healthz":
            status, body = 404, {"detail": "not found"}
        else:
            status, body = database_state(close=True)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass  # a check every few seconds would fill the access log


class _Server(ThreadingHTTPServer):
    allow_reuse_port = True  # every worker of the server listens on the same port
    daemon_threads = True


def parse_bind(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def serve(address: tuple[str, int]) -> ThreadingHTTPServer | None:
    """Start the listener on `address` in a daemon thread; None (logged) if the port is taken."""
    try:
        server = _Server(address, _Handler)
    except OSError as exc:
        logger.warning("health listener not started on %s:%s: %s", *address, exc)
        return None
    threading.Thread(target=server.serve_forever, name="healthz", daemon=True).start()
    return server
