"""The web server starts fast and stays up: the site is loaded once before the workers fork, and the
URL modules do not import the heavy libraries that only some pages need."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "DEBUG": "0", "HTTPS": "0", "SECRET_KEY": "test-only", "ALLOWED_HOSTS": "127.0.0.1"}


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


def test_gunicorn_with_the_committed_configuration_preloads_the_site_and_answers_healthz(tmp_path):
    port = _free_port()
    env = {**ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "WEB_WORKERS": "2"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "satupintu.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
                    answer = (response.status, response.read())
            except OSError:
                time.sleep(0.2)
        assert answer is not None and answer[0] == 200 and b'"database": "ok"' in answer[1]
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert "WORKER TIMEOUT" not in log
    config = subprocess.run(
        [gunicorn, "-c", "gunicorn.conf.py", "--print-config", "satupintu.wsgi"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    settings = {
        key.strip(): value.strip() for key, value in (line.split("=", 1) for line in config.splitlines() if "=" in line)
    }
    assert settings["preload_app"] == "True"
    assert int(settings["timeout"]) >= 60
