"""The web server starts fast and stays up: the site is loaded once before the workers fork, and the
URL modules do not import the heavy libraries that only some pages need."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
# The server refuses to start without its document signing key: a throwaway one.
SIGNING_KEY = (
    Ed25519PrivateKey.generate()
    .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    .decode()
)
ENV = {
    **os.environ,
    "DEBUG": "0",
    "HTTPS": "0",
    "SECRET_KEY": "test-only",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DOCUMENT_SIGNING_KEY": SIGNING_KEY,
}


def test_loading_every_url_module_imports_neither_scipy_polars_nor_reportlab():
    code = (
        "import sys, django; django.setup(); import satupintu.urls; "
        "print(' '.join(m for m in ('scipy', 'polars', 'reportlab') if m in sys.modules))"
    )
    env = {**ENV, "DJANGO_SETTINGS_MODULE": "satupintu.settings", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


GUNICORN = Path(sys.executable).parent / "gunicorn"


def _get(url: str, timeout: float):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def _gunicorn(port: int, env: dict) -> tuple[subprocess.Popen, tuple | None]:
    """Start the server with the committed configuration; wait (60 s at most) for /healthz's answer."""
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "satupintu.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline, answer = time.monotonic() + 60, None
    while answer is None and time.monotonic() < deadline and server.poll() is None:
        try:
            answer = _get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        except OSError:
            time.sleep(0.2)
    return server, answer


def test_gunicorn_with_the_committed_configuration_preloads_the_site_and_answers_healthz(tmp_path):
    port = _free_port()
    env = {
        **ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "WEB_WORKERS": "2",
        "HEALTH_BIND": f"127.0.0.1:{_free_port()}",
    }  # fmt: skip
    server, answer = _gunicorn(port, env)
    try:
        assert answer is not None and answer[0] == 200 and answer[1]["database"] == "ok"
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert "WORKER TIMEOUT" not in log
    config = subprocess.run(
        [GUNICORN, "-c", "gunicorn.conf.py", "--print-config", "satupintu.wsgi"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    settings = {
        key.strip(): value.strip() for key, value in (line.split("=", 1) for line in config.splitlines() if "=" in line)
    }
    assert settings["preload_app"] == "True"
    assert int(settings["timeout"]) >= 60


def test_healthz_answers_on_the_health_listener_while_every_request_thread_is_busy(tmp_path):
    port, health_port = _free_port(), _free_port()
    env = {
        **ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "WEB_WORKERS": "1", "WEB_THREADS": "1",
        "HEALTH_BIND": f"127.0.0.1:{health_port}",
    }  # fmt: skip
    server, answer = _gunicorn(port, env)
    try:
        assert answer is not None
        # A client that sends half a request holds the worker's only request thread.
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"POST /pengaduan/baru/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.5)
            with pytest.raises(OSError):  # the site's own /healthz waits behind it
                _get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            start = time.monotonic()
            status, body = _get(f"http://127.0.0.1:{health_port}/healthz", timeout=5)
            waited = time.monotonic() - start
        assert (status, body["database"]) == (200, "ok")
        assert waited < 2
    finally:
        server.terminate()
        server.communicate(timeout=30)
