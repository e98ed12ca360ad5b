"""`satupintu serve` runs gunicorn and the task cluster as one service: both start, SIGTERM stops
both, and when one of them dies the other is stopped too."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_server_start import ENV, _free_port

ROOT = Path(__file__).resolve().parents[2]
SATUPINTU = [sys.executable, "-m", "satupintu.cli"]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    env = {**ENV, "DATABASE_URL": f"sqlite:///{database}", "WEB_WORKERS": "1", "Q_WORKERS": "1"}
    subprocess.run([*SATUPINTU, "migrate", "django_q", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
    return env


def _alive(pid: int) -> bool:
    """The process, or any process of its group (its session), still runs."""
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    return predicate()


def _healthz(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def _start(env, log: Path):
    port = _free_port()
    handle = log.open("w")
    command = [*SATUPINTU, "serve", "--bind", f"127.0.0.1:{port}"]
    serve = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    ready = _wait_for(lambda: _healthz(port) and "running" in log.read_text(), 60)
    pids = dict(re.findall(r"serve: (\w+) dimulai \(pid (\d+)\)", log.read_text()))
    assert ready, log.read_text()
    return serve, {name: int(pid) for name, pid in pids.items()}


def test_serve_starts_the_site_and_the_task_cluster_and_sigterm_stops_both(env, tmp_path):
    serve, pids = _start(env, tmp_path / "serve.log")
    assert set(pids) == {"web", "tasks"}
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=40) == 0
    assert not any(_alive(pid) for pid in pids.values())
    assert "has stopped" in (tmp_path / "serve.log").read_text()  # the cluster stopped in order


def test_when_the_task_cluster_dies_the_web_server_is_stopped_too(env, tmp_path):
    serve, pids = _start(env, tmp_path / "serve.log")
    os.kill(pids["tasks"], signal.SIGKILL)
    assert serve.wait(timeout=40) != 0
    assert not _alive(pids["web"])
    assert _wait_for(lambda: not _alive(pids["tasks"]), 5)  # nor the killed cluster's workers
