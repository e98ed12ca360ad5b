"""Run a few commands as one service: start them, pass SIGTERM/SIGINT on to each, and when any of
them stops, stop the others. `satupintu serve` runs gunicorn and the task cluster with it.

Each child runs in its own session and is sent one SIGTERM to its own process only: the task
cluster then stops its workers in order, letting a running task finish its step (a signal to its
whole process group would kill the workers under it first). A child still running GRACE seconds
later is killed with its process group, as is anything a stopped child left running.
"""

import os
import signal
import subprocess
import sys
import time

GRACE = 35  # gunicorn's graceful_timeout (30 s), and a little more


def run(commands: dict[str, list[str]], *, cwd=None, grace: float = GRACE) -> int:
    children = {
        name: subprocess.Popen(argv, cwd=cwd, start_new_session=True)  # noqa: S603 (our own commands)
        for name, argv in commands.items()
    }
    for name, child in children.items():
        _say(f"{name} dimulai (pid {child.pid})")
    stopping = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: stopping.append(signum)) for sig in _SIGNALS}
    try:
        first = None
        while first is None and not stopping:
            first = next((name for name, child in children.items() if child.poll() is not None), None)
            time.sleep(0.2)
        _say(f"{first} berhenti (kode {children[first].returncode})" if first else "sinyal diterima")
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _say(f"{name} dihentikan paksa")
            _kill_group(child.pid)  # and whatever it left behind (a killed cluster's workers)
            child.wait()
        return children[first].returncode if first else 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _say(text: str) -> None:
    print(f"satupintu serve: {text}", file=sys.stderr, flush=True)
