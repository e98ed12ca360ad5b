"""Scale-out check: two web servers and two task clusters sharing one PostgreSQL and one Redis.

    python -m bench.scale_out [--ticks 3] [--people 150000]
        [--database-url postgres://postgres@127.0.0.1:5432/sp_scaleout] [--redis-url redis://127.0.0.1:6379/5]

Creates the database afresh (migrate, the cache table, the static files) and flushes the Redis
database, then starts gunicorn on two free ports (server A and server B) and two `satupintu qcluster`
processes of one worker each, every one with the same settings (REDIS_URL set: the queue is in
Redis; the cache and the sessions stay in PostgreSQL). It checks, and prints as it goes:

- schedules: `--ticks` times, every schedule's next run is moved into the past; each one must then
  run exactly once (django-q task rows of its group), though both clusters' schedulers look;
- import: a user logs in through A's login form and uploads a generated CSV of `--people` people
  through A; the batch, its state and progress are read through B with A's cookies, and B approves it;
- session, throttle and cache: A's session cookie is logged in on B; SATUPINTU_TRACK_LIMIT wrong PINs
  on /lacak/ through A make B refuse the next one (429); the charter /layanan/ built by A is what B
  serves, until a catalogue change sets a new version;
- crash: while the import loads, the cluster running it is killed with its process group
  (SIGKILL). Redis has handed its task out and loses it; the `resume-imports` schedule queues the
  batch again once its heartbeat is older than IMPORT_STALE_SECONDS (`--stale`), and the other
  cluster finishes it. Printed: seconds from the kill until the batch is claimed again and until
  it is imported, and the registry's people afterwards (each loaded once). `--without-resume`
  deletes that schedule first and shows the batch still importing `--wait` seconds after the kill.

Exits with status 1 when a check fails. Ports are free ones; logs in /tmp/satupintu-scaleout.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from html import escape
from pathlib import Path

import requests

from bench.common import line, setup_django
from bench.web_bench import GUNICORN, ROOT, free_port

WORK = Path(os.environ.get("SCALE_OUT_DIR", "/tmp/satupintu-scaleout"))
SATUPINTU = Path(sys.executable).parent / "satupintu"
SECRET = "scale-out-bench-only-" + "x" * 40
PASSWORD = "Skala-Keluar-2026!"
SCHEDULER_CYCLE = 15  # seconds between a django-q cluster's scheduler runs (30 guard cycles of 0.5 s)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CheckFailed(Exception):
    pass


def check(ok: bool, what: str) -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        raise CheckFailed(what)


def create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args) -> dict:
    """The database, Redis, the bench's user and the settings every process shares."""
    import redis

    create_database(args.database_url)
    redis.Redis.from_url(args.redis_url).flushdb()
    env = {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": SECRET,
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(WORK / "static"),
        "HEALTH_BIND": "off",
        "WEB_WORKERS": "1",
        "Q_WORKERS": "1",
        "SCHEDULE_MAX_MINUTES": "1",
        "IMPORT_STALE_SECONDS": str(args.stale),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    setup_django(args.database_url)
    from django.core.management import call_command

    from satupintu.accounts.models import Role, User

    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    User.objects.create_user("admin.skala", password=PASSWORD, role=Role.ADMIN, first_name="Admin")
    return {**os.environ, **env}


def make_file(people: int) -> Path:
    from satupintu.demo.sample import sample_rows, write_csv

    path = WORK / f"registry-{people}.csv"
    if not path.exists():
        write_csv(path, sample_rows(max(1, round(people / 3.67)), seed=2012))
    return path


def start(name: str, argv: list[str], env: dict) -> subprocess.Popen:
    log = open(WORK / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603


def wait_for_server(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(f"{base} did not start (see {WORK})")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise CheckFailed(f"{base} did not answer within 120 s")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    return TOKEN.search(page.text).group(1)


def post(session: requests.Session, url: str, data: dict, *, form: str = "", **kwargs) -> requests.Response:
    """POST as the form on `form` (default: `url` itself) does, with its CSRF token."""
    data = {**data, "csrfmiddlewaretoken": token(session, form or url)}
    return session.post(url, data=data, allow_redirects=False, **kwargs)


def loading_cluster() -> str | None:
    """The cluster whose database connection holds the import's transaction open (each cluster
    connects with its name as PostgreSQL's application_name; the queue itself is in Redis)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name LIKE 'cluster-%%' AND xact_start IS NOT NULL AND query NOT ILIKE '%%django_q%%'"
        )
        names = {name for (name,) in cursor.fetchall()}
    return names.pop() if len(names) == 1 else None


def check_schedules(ticks: int) -> None:
    from django.utils import timezone
    from django_q.models import Schedule, Task

    names = set(Schedule.objects.values_list("name", flat=True))
    print(f"schedules: {len(names)}, both clusters' schedulers looking every {SCHEDULER_CYCLE} s", flush=True)
    for number in range(1, ticks + 1):
        began = timezone.now()
        Schedule.objects.update(next_run=began - timezone.timedelta(seconds=1))
        runs = Task.objects.filter(started__gte=began, group__in=names)
        deadline = time.monotonic() + 3 * SCHEDULER_CYCLE
        while set(runs.values_list("group", flat=True)) != names and time.monotonic() < deadline:
            time.sleep(1)
        time.sleep(SCHEDULER_CYCLE + 2)  # the other cluster's scheduler has looked since
        counts = Counter(runs.values_list("group", flat=True))
        per_job = sorted(set(counts[name] for name in names))
        check(per_job == [1], f"tick {number}: runs per schedule {per_job} ({sum(counts.values())} tasks)")


def check_import(base_a: str, base_b: str, path: Path) -> tuple[requests.Session, int]:
    """Log in and upload through A; follow the batch through B with A's cookies; approve on B."""
    a = requests.Session()
    answer = post(a, f"{base_a}/masuk/", {"username": "admin.skala", "password": PASSWORD})
    check(answer.status_code == 302, "login through A's form")
    b = requests.Session()
    check(b.get(f"{base_b}/impor/", allow_redirects=False).status_code == 302, "B without A's cookie: to login")
    b.cookies.update(a.cookies)
    check(b.get(f"{base_b}/impor/", allow_redirects=False).status_code == 200, "A's session is logged in on B")
    with open(path, "rb") as handle:
        answer = post(a, f"{base_a}/impor/unggah/", {"source": "desa"}, files={"file": (path.name, handle, "text/csv")})
    uploaded = time.monotonic()
    check(answer.status_code == 302, f"upload through A ({path.stat().st_size / 2**20:.1f} MB)")
    pk = int(re.search(r"/impor/(\d+)/", answer.headers["Location"]).group(1))
    seen, first = [], None
    while True:
        status = b.get(f"{base_b}/impor/{pk}/status.json", timeout=30)
        first = first or time.monotonic()
        state = status.json()
        if (state["state"], state["percent"]) not in seen:
            seen.append((state["state"], state["percent"]))
        if state["final"] or time.monotonic() - uploaded > 300:
            break
        time.sleep(0.2)
    validated = time.monotonic()
    line("batch visible on B after upload on A (s)", f"{first - uploaded:.2f}")
    line("states and percent seen on B", ", ".join(f"{s} {p}%" for s, p in seen))
    line("validated, seen on B (s after upload)", f"{validated - uploaded:.1f}")
    check(state["state"] == "validated", f"B shows the batch validated ({state['done']}/{state['total']} rows)")
    answer = post(b, f"{base_b}/impor/{pk}/putuskan/", {"decision": "approve"}, form=f"{base_b}/impor/{pk}/")
    check(answer.status_code == 302, "approved through B")
    return b, pk


def check_crash(b, base_b: str, pk: int, clusters: dict[str, subprocess.Popen], *, resume: bool, wait: int) -> None:
    from django.utils import timezone
    from django_q.models import Task

    from satupintu.imports.models import ImportBatch, State
    from satupintu.imports.tasks import resume_stalled
    from satupintu.registry.models import Person

    batch = ImportBatch.objects.filter(pk=pk)
    deadline = time.monotonic() + 120
    while not batch.filter(state=State.IMPORTING, heartbeat__isnull=False).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    while (busy := loading_cluster()) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    check(busy is not None and batch.filter(state=State.IMPORTING).exists(), f"the import is loading on {busy}")
    killed_at = timezone.now()
    killed = time.monotonic()
    os.killpg(clusters[busy].pid, signal.SIGKILL)
    line(f"{busy} killed (SIGKILL to its process group) at progress", f"{batch.get().progress_percent}%")
    while batch.filter(state=State.IMPORTING).exists() and time.monotonic() - killed < wait:
        time.sleep(0.5)
    done = time.monotonic()
    row = batch.get()
    if not resume:
        check(row.state == State.IMPORTING, f"without resume-imports the batch is still {row.state} after {wait} s")
        return
    resumed = Task.objects.filter(func=resume_stalled.__module__ + ".resume_stalled", started__gte=killed_at)
    resumed = next((task for task in resumed.order_by("started") if row.reference in (task.result or [])), None)
    state = b.get(f"{base_b}/impor/{pk}/status.json", timeout=30).json()
    check(resumed is not None, "resume-imports queued the batch again")
    line("kill -> resume-imports queued it again (s)", f"{(resumed.started - killed_at).total_seconds():.1f}")
    line("kill -> imported by the other cluster (s)", f"{done - killed:.1f}")
    check(state["state"] == "imported", f"B shows the batch {state['state']} {state['percent']}%")
    people = Person.objects.count()
    check(people == row.valid_rows, f"registry holds each valid row once ({people} people)")


def check_throttle_and_cache(base_a: str, base_b: str) -> None:
    from django.conf import settings

    from satupintu.catalogue import versions
    from satupintu.catalogue.models import ServiceType

    client = requests.Session()
    limit = settings.SATUPINTU_TRACK_LIMIT
    wrong = [{"number": f"SP-0000-{number:06d}", "pin": "000000"} for number in range(limit + 1)]  # one per number
    answers = [post(client, f"{base_a}/lacak/", attempt).status_code for attempt in wrong[:limit]]
    check(set(answers) == {200}, f"{limit} wrong PINs through A (SATUPINTU_TRACK_LIMIT) answered")
    check(post(client, f"{base_b}/lacak/", wrong[-1]).status_code == 429, "the next attempt through B is refused (429)")
    service = ServiceType.objects.filter(is_active=True).order_by("id").first()
    built = client.get(f"{base_a}/layanan/").text
    renamed = f"{service.name} (diubah)"
    ServiceType.objects.filter(pk=service.pk).update(name=renamed)  # no new catalogue version
    served = client.get(f"{base_b}/layanan/").text
    check(escape(service.name) in built and escape(renamed) not in served, "B serves the charter A cached (same cache)")
    versions.changed()  # what an admin's edit does
    check(escape(renamed) in client.get(f"{base_b}/layanan/").text, "after a catalogue change B serves the new charter")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sp_scaleout")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--ticks", type=int, default=3)
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--stale", type=int, default=15, help="IMPORT_STALE_SECONDS of every process")
    parser.add_argument("--wait", type=int, default=300, help="seconds to wait for the import after the kill")
    parser.add_argument(
        "--without-resume", action="store_true", help="delete the resume-imports schedule first: the batch stays stuck"
    )
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    env = prepare(args)
    path = make_file(args.people)
    ports = {"A": free_port(), "B": free_port()}
    gunicorn = [str(GUNICORN), "-c", "gunicorn.conf.py", "satupintu.wsgi", "--bind"]
    web = [start(f"server-{name}", [*gunicorn, f"127.0.0.1:{port}"], env) for name, port in ports.items()]
    clusters = {
        name: start(
            name, [str(SATUPINTU), "qcluster"], {**env, "DATABASE_URL": f"{args.database_url}?application_name={name}"}
        )
        for name in ("cluster-1", "cluster-2")
    }
    base_a, base_b = (f"http://127.0.0.1:{port}" for port in ports.values())
    try:
        for base, process in zip((base_a, base_b), web, strict=True):
            wait_for_server(base, process)
        line("set up and servers answering (s)", f"{time.monotonic() - began:.0f}")
        check_schedules(args.ticks)
        check_throttle_and_cache(base_a, base_b)
        b, pk = check_import(base_a, base_b, path)
        from django_q.models import Schedule

        if args.without_resume:
            Schedule.objects.filter(name="resume-imports").delete()
        check_crash(b, base_b, pk, clusters, resume=not args.without_resume, wait=args.wait)
    except CheckFailed:
        return 1
    finally:
        stop([*web, *clusters.values()])
    line("whole run (s)", f"{time.monotonic() - began:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
