"""Crash test: kill -9 the web server and the database while clients submit, then count what was kept.

    python -m bench.crash_test --server-kills 20 --db-kills 5

A private PostgreSQL cluster is created in a temporary folder (initdb, its own port; the machine's
PostgreSQL is never touched) and the site is served from it by gunicorn with the project's
gunicorn.conf.py. Client threads, signed in as the petugas layanan, each submit households through
the API: the household, then its head, then an application for the head — every create with its
own Idempotency-Key, sent again with the same key after a refused connection, a timeout or a 5xx
until it is acknowledged. Meanwhile the gunicorn master and all its workers are killed with
SIGKILL and started again `--server-kills` times, and the postmaster is killed with SIGKILL and
started again (crash recovery) `--db-kills` times.

At the end every acknowledged create must be stored exactly once (lost: 0, doubled: 0), and
nothing half-written: each household has its head, each application its PIN and its first event
and its idempotency key. The figures are printed; the exit status is 1 when any of them is not 0.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.web_bench import GUNICORN, ROOT, free_port

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
DESA = "33.14.01.2001"  # Keden, Kalijambe
RETRY_STATUSES = {429, 500, 502, 503, 504}


def pg_bin() -> Path | None:
    """The folder of initdb and pg_ctl: the newest under /usr/lib/postgresql, or on PATH."""
    found = next((path for path in PG_BIN_CANDIDATES if (path / "initdb").exists()), None)
    return found or (Path(shutil.which("initdb")).parent if shutil.which("initdb") else None)


class PrivateCluster:
    """A throwaway PostgreSQL cluster on its own port, run as the `postgres` user when started by root."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.bin = folder, port, pg_bin()
        if self.bin is None:
            raise RuntimeError("initdb not found (install PostgreSQL's server binaries)")
        self.data = folder / "data"

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stdout[-500:]} {result.stderr[-500:]} {tail}")
        return result

    def create(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions")
        self.start()

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill(self):
        """SIGKILL the postmaster; its backends see it gone and exit (the ones that linger are killed)."""
        pid = self.postmaster_pid()
        backends = children(pid)
        _kill(pid)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in [pid, *backends]) and time.monotonic() < deadline:
            time.sleep(0.05)
        for backend in backends:
            _kill(backend)
        # A killed postmaster nobody reaps stays a zombie, and a new one takes its lock files' PID
        # for a live server: the stale files go, as an operator would remove them after the crash.
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        (self.folder / f".s.PGSQL.{self.port}.lock").unlink(missing_ok=True)

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/crash"


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill(pid: int):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def signing_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


class Server:
    """gunicorn with the project's configuration; `kill()` is SIGKILL to the master and its workers."""

    def __init__(self, port: int, env: dict, log: Path):
        self.port, self.env, self.log, self.process = port, env, log, None

    def start(self, timeout: float = 180):
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "-c", "gunicorn.conf.py", "satupintu.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--access-logfile", "/dev/null"],
                cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer")

    def kill(self):
        master = self.process.pid
        for pid in [*children(master), master]:
            _kill(pid)
        self.process.wait(timeout=30)


@dataclass
class Tally:
    acknowledged: dict = field(default_factory=dict)  # (kind, key) -> answer body
    retries: int = 0
    refused: list = field(default_factory=list)  # a final answer other than 2xx: (kind, key, status, body)
    lock: threading.Lock = field(default_factory=threading.Lock)


def submit(session, url, body, key, kind, tally, stop_at) -> dict | None:
    """POST until acknowledged (2xx); retry the same key on a refused connection, timeout or 5xx."""
    while time.monotonic() < stop_at:
        try:
            response = session.post(url, json=body, headers={"Idempotency-Key": key}, timeout=20)
        except requests.RequestException:
            response = None
        if response is not None and response.status_code not in RETRY_STATUSES:
            with tally.lock:
                if response.status_code < 300:
                    tally.acknowledged[(kind, key)] = response.json()
                    return response.json()
                tally.refused.append((kind, key, response.status_code, response.text[:300]))
                return None
        with tally.lock:
            tally.retries += 1
        time.sleep(0.2 + random.random() * 0.3)  # noqa: S311
    return None


def client(base, cookie, csrf, number, tally, stop, stop_at):
    """Households one after another: the household, its head, an application for the head."""
    from satupintu.lib.nik import make_kk, make_nik

    session = requests.Session()
    session.headers.update({"Cookie": f"{cookie}; csrftoken={csrf}", "X-CSRFToken": csrf})
    serial = 0
    while not stop.is_set():
        serial += 1
        sequence = number * 1000 + serial
        kk = make_kk("331401", dt.date(2021, 1, 1) + dt.timedelta(days=number), sequence)
        household = submit(session, f"{base}/api/v1/households/",
                           {"kk_number": kk, "desa": DESA, "address": f"Uji tabrakan {sequence}", "rt": "001",
                            "rw": "001"}, f"h-{uuid.uuid4()}", "household", tally, stop_at)  # fmt: skip
        if household is None:
            continue
        birth = dt.date(1980, 1, 1) + dt.timedelta(days=sequence % 3000)
        person = submit(session, f"{base}/api/v1/people/",
                        {"household": household["id"], "nik": make_nik("331401", birth, "L", sequence % 9999 + 1),
                         "name": f"Kepala Uji {sequence}", "sex": "L", "birth_place": "Sragen",
                         "birth_date": birth.isoformat(), "relationship": "kepala", "marital_status": "kawin",
                         "education": "sd"}, f"p-{uuid.uuid4()}", "person", tally, stop_at)  # fmt: skip
        if person is None:
            continue
        submit(session, f"{base}/api/v1/applications", {"service": "kartu-saraswati", "applicant": person["id"]},
               f"a-{uuid.uuid4()}", "application", tally, stop_at)  # fmt: skip


def prepare(database_url: str) -> str:
    """Migrate the scratch database, load the regions and the petugas; its session cookie."""
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from satupintu.accounts.models import Role, User
    from satupintu.regions.loader import SRAGEN_CSV, load_regions

    load_regions(SRAGEN_CSV, kabupaten_name="Sragen")
    User.objects.create_user(username="petugas", password="Rahasia-123!", role=Role.PETUGAS_LAYANAN)
    from bench.web_bench import sessions

    cookie = sessions()["petugas"]
    from django.db import connections

    connections.close_all()
    return cookie


def repeated(queryset, column: str) -> int:
    """How many values of `column` more than one row holds."""
    from django.db.models import Count

    return queryset.values(column).annotate(n=Count("pk")).filter(n__gt=1).count()


def verify(tally: Tally) -> dict:
    """Count what the acknowledgements promised against what the database holds."""
    from django.db import connections
    from django.db.models import Count

    from satupintu.api.models import CreateReplay
    from satupintu.cases.models import Application, IdempotencyKey
    from satupintu.registry.models import Household, Person

    connections.close_all()
    acked = tally.acknowledged
    households = {body["id"] for (kind, _key), body in acked.items() if kind == "household"}
    people = {body["id"] for (kind, _key), body in acked.items() if kind == "person"}
    applications = {body["number"] for (kind, _key), body in acked.items() if kind == "application"}
    replay_keys = set(CreateReplay.objects.values_list("key", flat=True))
    application_keys = set(IdempotencyKey.objects.values_list("key", flat=True))
    stored_households = set(Household.objects.values_list("pk", flat=True))
    stored_people = set(Person.objects.values_list("pk", flat=True))
    stored_applications = set(Application.objects.values_list("number", flat=True))
    lost = (
        len(households - stored_households)
        + len(people - stored_people)
        + len(applications - stored_applications)
        + sum(1 for kind, key in acked if kind != "application" and key not in replay_keys)
        + sum(1 for kind, key in acked if kind == "application" and key not in application_keys)
    )
    doubled = (
        repeated(Household.objects, "kk_number")
        + repeated(Person.objects.exclude(nik__isnull=True).exclude(nik=""), "nik")
        + repeated(Application.objects, "applicant")
        + len(stored_households - households)  # a household nobody was told about: a second copy
        + len(stored_applications - applications)
    )
    half_written = (
        Household.objects.filter(pk__in=households, head__isnull=True).count()
        + Application.objects.filter(pin_hash="").count()
        + Application.objects.annotate(n=Count("events")).filter(n=0).count()
        + Application.objects.exclude(pk__in=IdempotencyKey.objects.values("application")).count()
    )
    connections.close_all()
    return {"households": len(households), "people": len(people), "applications": len(applications),
            "lost": lost, "doubled": doubled, "half_written": half_written}  # fmt: skip


def run(server_kills: int, db_kills: int, clients: int, pause: float, out=sys.stdout) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="satupintu-crash-"))
    folder.chmod(0o755)  # the cluster's folder inside is the postgres user's
    cluster = PrivateCluster(folder / "pg", free_port())
    cluster.create()
    subprocess.run([str(cluster.bin / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                    "crash"], check=True)  # fmt: skip
    env = {
        **os.environ, "DATABASE_URL": cluster.url, "SECRET_KEY": "crash-test-only-" + "x" * 40, "DEBUG": "0",
        "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", "WEB_WORKERS": "2", "HEALTH_BIND": "off",
        "API_THROTTLE_USER": "", "LOG_LEVEL": "WARNING", "DOCUMENT_SIGNING_KEY": signing_key_pem(),
        "DJANGO_SETTINGS_MODULE": "satupintu.settings", "TWO_FACTOR_REQUIRED": "0",
    }  # fmt: skip
    os.environ.update({key: env[key] for key in ("SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS",
                                                 "DOCUMENT_SIGNING_KEY", "DJANGO_SETTINGS_MODULE")})  # fmt: skip
    server = Server(free_port(), env, folder / "gunicorn.log")
    tally, stop = Tally(), threading.Event()
    kills = {"server": 0, "database": 0}
    try:
        cookie = prepare(cluster.url)
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        csrf = uuid.uuid4().hex  # a CSRF secret of Django's length, sent as cookie and header alike
        stop_at = time.monotonic() + 3600
        threads = [threading.Thread(target=client, args=(base, cookie, csrf, n + 1, tally, stop, stop_at), daemon=True)
                   for n in range(clients)]  # fmt: skip
        for thread in threads:
            thread.start()
        # The database kills fall between server kills, spread over the run.
        plan = ["server"] * server_kills + ["database"] * db_kills
        random.Random(7).shuffle(plan)
        for what in plan:
            time.sleep(pause * (0.5 + random.random()))  # noqa: S311
            if what == "server":
                server.kill()
                server.start()
            else:
                cluster.kill()
                cluster.start()
            kills[what] += 1
            print(f"  killed the {what} ({kills[what]}); acknowledged so far: {len(tally.acknowledged)}", file=out,
                  flush=True)  # fmt: skip
        time.sleep(pause)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        figures = {**verify(tally), "server_kills": kills["server"], "db_kills": kills["database"],
                   "retries": tally.retries, "refused": len(tally.refused)}  # fmt: skip
        for kind, key, status, body in tally.refused[:10]:
            print(f"  refused {kind} {key}: {status} {body}", file=out)
        return figures
    finally:
        stop.set()
        if server.process and server.process.poll() is None:
            server.kill()
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-kills", type=int, default=20)
    parser.add_argument("--db-kills", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds of writing between two kills (mean)")
    args = parser.parse_args(argv)
    figures = run(args.server_kills, args.db_kills, args.clients, args.pause)
    print("crash test: " + ", ".join(f"{key} {value}" for key, value in figures.items()))
    bad = figures["lost"] or figures["doubled"] or figures["half_written"] or figures["refused"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
