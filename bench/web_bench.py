"""Web benchmark: the project's pages against a bare Django floor, served the same way.

    python -m bench.web_bench --database-url postgres://postgres@127.0.0.1:5432/satupintu_web_bench

The floor (bench/floor_app.py: one view, one indexed query, a tiny template) and the project are
served by gunicorn with the project's gunicorn.conf.py and the same number of workers, on the same
database. Six more floors (bench/floor_staff_app.py, Django's own middleware: a signed-in user's
50-row table, written through the template language and in Python; the same page without its query
and table; a signed-in record page that logs its reading, in a plain table and appended to a hash
chain; a public form page; a public page that reads one row and counts the opening in one UPDATE)
are measured against the bare one like pages: the most a staff list page, any signed-in page, a
record page, a public form and a page that writes on GET can reach on this machine. A closed-loop
client (each simulated user sends its next request when the previous one is answered, over a
kept-alive connection, and keeps the cookies the site sets, its CSRF cookie, as a browser does)
drives one page at a time with `--clients` users, in interleaved pairs
(floor, then project, `--pairs` times), so that the machine's drift falls on both. Per page it
prints both throughputs, their ratio (the figure to compare), the project's p50/p95/p99 latency
against the floor's p95, and errors (any answer but the expected status, or a failed connection).
Last, intake through the API: applications POSTed with an `Idempotency-Key` by `--clients` users for
`--seconds`, then every acknowledged application counted in the database (each must be stored
exactly once).

The project runs as deployed (deploy/satupintu.env): its shared cache in Redis (`--cache-url`,
database 13 of the local Redis unless told), behind a trusted proxy that names each simulated user's
own address; the verification page's per-address limit is lifted, so that every opening is
measured as a reader's (the counter, the lookup, the scan row), not as the refusal.

The registry (`--households`, default 300,000, with the demo's accounts, applications, documents,
complaints and survey) is generated on the first run and reused afterwards. `--small` is a tiny
run that proves the bench works (CI runs it on SQLite).
"""

import argparse
import collections
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.common import line, setup_django

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET = "web-bench-only-" + "x" * 40


def ensure_data(households: int, out=sys.stdout) -> int:
    """The demo on `households` households, generated on the first run; returns the households present."""
    from django.core.management import call_command

    from satupintu.registry.models import Household

    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo_setup", households=households, stdout=out)  # completes what is missing, adds nothing twice
    from satupintu.justice.public import refresh_figures

    refresh_figures()  # what the refresh-transparency schedule keeps warm in production
    from django.db import connection

    if connection.vendor == "postgresql":  # the planner's statistics, as autovacuum keeps them where it is on
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Household.objects.count()


def sessions(backend: str | None = None) -> dict[str, str]:
    """A signed-in session per demo account, written straight into the session store, as signed in
    through `backend` (default: the project's; Django's floors sign in through Django's own)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from satupintu.accounts import two_factor
    from satupintu.accounts.models import User

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806

    cookies = {}
    for user in User.objects.filter(username__in=PERSONAS):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend or settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[two_factor.PENDING] = []  # past the second factor, as after a verified login
        store.create()
        cookies[user.username] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return cookies


# Not project pages: Django's own signed-in list page and public form page (bench/floor_staff_app.py),
# the most a staff list page and a public page can reach, measured against the bare floor like the pages.
STAFF_FLOOR = "Django staff floor (signed in, 50-row table)"
SIGNED_IN_FLOOR = "Django signed-in floor (no query, no table)"
WRITTEN_FLOOR = "Django staff floor (signed in, 50 rows written in Python)"
RECORD_FLOOR = "Django record floor (signed in, four reads, one access-log INSERT)"
CHAINED_FLOOR = "Django chained-record floor (signed in, four reads, the access-log row appended to a hash chain)"
PUBLIC_FLOOR = "Django public floor (form page, no sign-in)"
COUNTED_FLOOR = "Django counted-read floor (one read, one UPDATE, no sign-in)"
DJANGO_FLOORS = (STAFF_FLOOR, WRITTEN_FLOOR, SIGNED_IN_FLOOR, RECORD_FLOOR, CHAINED_FLOOR, PUBLIC_FLOOR, COUNTED_FLOOR)
PERSONAS = ["kepala", "kasi", "petugas", "verifikator", "op.keden", "op.kalijambe", "mitra.rsud", "auditor"]


def pages() -> list[tuple[str, str | None, str]]:
    """(label, persona or None for the public, path) of every page measured."""
    from satupintu.cases.models import Application
    from satupintu.documents.models import IssuedDocument
    from satupintu.registry.models import Household

    household = Household.objects.order_by("id").values_list("pk", flat=True).first()
    case = Application.objects.order_by("-id").values_list("number", flat=True).first()
    token = IssuedDocument.objects.order_by("id").values_list("token", flat=True).first()
    listed = [
        (STAFF_FLOOR, "kepala", "/"),
        (WRITTEN_FLOOR, "kepala", "/baris-python/"),
        (SIGNED_IN_FLOOR, "kepala", "/masuk-saja/"),
        (RECORD_FLOOR, "kepala", "/catatan/"),
        (CHAINED_FLOOR, "kepala", "/catatan-berantai/"),
        (PUBLIC_FLOOR, None, "/lacak/"),
        ("public /lacak/", None, "/lacak/"),
        ("public /layanan/", None, "/layanan/"),
        ("public /api/v1/services", None, "/api/v1/services"),
        ("public /transparansi/", None, "/transparansi/"),
    ]
    if token:
        listed.append((COUNTED_FLOOR, None, "/v/"))
        listed.append(("public /v/<token>", None, f"/v/{token}"))
    listed += [
        ("kepala /rumah-tangga/", "kepala", "/rumah-tangga/"),
        ("kepala /permohonan/", "kepala", "/permohonan/"),
        ("kepala household detail", "kepala", f"/rumah-tangga/{household}/"),
        ("kepala case detail", "kepala", f"/permohonan/{case}/"),
        ("op.keden /rumah-tangga/", "op.keden", "/rumah-tangga/"),
    ]
    for persona in PERSONAS:
        listed.append((f"{persona} home", persona, "/"))
    for persona in ("kasi", "petugas", "verifikator", "op.keden", "op.kalijambe"):
        listed.append((f"{persona} /permohonan/", persona, "/permohonan/"))
    listed.append(("mitra.rsud /rujukan/", "mitra.rsud", "/rujukan/"))
    return listed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, port: int, workers: int, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # Each simulated user is a reader of its own address (X-Forwarded-For from the trusted
        # 127.0.0.1, as behind nginx), and opens the verification page far more often than its limit
        # allows a person: the limit is lifted so that every opening is measured as a reader's is
        # (the counter, the lookup and the scan row), not as the cheaper refusal.
        "TRUSTED_PROXIES": "127.0.0.1",
        "SATUPINTU_VERIFY_LIMIT": "100000000",
        "SECRET_KEY": SECRET,
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WEB_WORKERS": str(workers),
        "HEALTH_BIND": "off",
        # The API intake posts many applications a second as one user, and every simulated visitor of
        # the public API has the same address: no request limits.
        "API_THROTTLE_USER": "",
        "API_THROTTLE_ANON": "",
        "LOG_LEVEL": "WARNING",
    }
    # The server's log goes to a file: a pipe nobody reads fills up and blocks every worker's logging.
    log = tempfile.NamedTemporaryFile(prefix="web-bench-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", app, "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{app} did not start: {Path(log.name).read_text(errors='replace')[-2000:]}")
        try:
            status, _body = request(port, "/", "")
            if status:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"{app} did not answer within 120 s")


def request(port: int, path: str, cookie: str, connection=None, *, method="GET", body=None, headers=None, jar=None):
    """(status, body) of one request; with `jar` (name: value), the cookies it holds are sent instead
    of `cookie`, and the ones the answer sets are kept in it."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        if jar is not None:
            cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
        sent = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {}), **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        for header in (response.headers.get_all("Set-Cookie") or ()) if jar is not None else ():
            name, _equals, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and value != '""':
                jar[name.strip()] = value
            else:  # a cookie deleted
                jar.pop(name.strip(), None)
        return response.status, response.read()
    finally:
        if own:
            connection.close()


def drive(port: int, path: str, cookie: str, clients: int, seconds: float, expect=frozenset({200})) -> dict:
    """Closed loop: `clients` users, each sending its next request when the last is answered, each
    from an address of its own and with the cookies the site has set for it (`cookie` to begin with)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def user(index: int) -> None:
        address = {"X-Forwarded-For": f"10.{index // 250}.{index % 250}.1"}
        jar = dict(part.split("=", 1) for part in cookie.split("; ") if part)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                status, _body = request(port, path, cookie, connection, headers=address, jar=jar)
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            latencies[index].append(time.perf_counter() - start)
            if status not in expect:
                errors[index] += 1
        connection.close()

    elapsed = run_users([lambda i=i: user(i) for i in range(clients)])
    every = sorted(t for per_user in latencies for t in per_user)
    return {"requests": len(every), "seconds": elapsed, "errors": sum(errors), "latencies": every}


def run_users(users) -> float:
    """Run each simulated user in its own thread, all at once; the seconds until the last stopped."""
    threads = [threading.Thread(target=user) for user in users]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(share * len(values)))]


def compare(floor_port, app_port, cookie, path, clients, seconds, pairs) -> dict:
    expect = frozenset({200})
    warm = min(1.0, seconds)  # every worker has served the page once before the clock runs
    drive(floor_port, "/", "", clients, warm)
    drive(app_port, path, cookie, clients, warm, expect)
    floor = {"requests": 0, "seconds": 0.0, "errors": 0, "latencies": []}
    app = {"requests": 0, "seconds": 0.0, "errors": 0, "latencies": []}
    for _ in range(pairs):
        for total, result in ((floor, drive(floor_port, "/", "", clients, seconds)),
                              (app, drive(app_port, path, cookie, clients, seconds, expect))):  # fmt: skip
            total["requests"] += result["requests"]
            total["seconds"] += result["seconds"]
            total["errors"] += result["errors"]
            total["latencies"] += result["latencies"]
    for total in (floor, app):
        total["latencies"].sort()
        total["rate"] = total["requests"] / total["seconds"] if total["seconds"] else 0.0
    return {
        "floor_rate": floor["rate"],
        "rate": app["rate"],
        "ratio": app["rate"] / floor["rate"] if floor["rate"] else float("nan"),
        "p50": percentile(app["latencies"], 0.50),
        "p95": percentile(app["latencies"], 0.95),
        "p99": percentile(app["latencies"], 0.99),
        "floor_p95": percentile(floor["latencies"], 0.95),
        "errors": app["errors"],
        "floor_errors": floor["errors"],
    }


def intake(port: int, clients: int, seconds: float) -> dict:
    """Applications POSTed through the API with idempotency keys; then the database is counted."""
    from satupintu.accounts.models import User
    from satupintu.api import tokens
    from satupintu.cases.models import Application
    from satupintu.catalogue.models import ServiceType
    from satupintu.registry.models import Household

    petugas = User.objects.get(username="petugas")
    token = tokens.issue(petugas, name="web_bench")[1]
    service = ServiceType.objects.get(code="raskin")
    documents = [r.code for r in service.requirements.all()]
    busy = Application.objects.values_list("household_id", flat=True)
    applicants = list(
        Household.objects.exclude(pk__in=busy).exclude(head=None).order_by("id").values_list("head_id", flat=True)
    )
    before = Application.objects.count()
    next_one = iter(applicants)
    lock = threading.Lock()
    acknowledged: list[str] = []
    errors = [0]
    refusals: collections.Counter = collections.Counter()
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    def user() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            with lock:
                applicant = next(next_one, None)
            if applicant is None:
                return
            body = json.dumps({"service": service.code, "applicant": applicant, "documents": documents})
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                       "Idempotency-Key": str(uuid.uuid4())}  # fmt: skip
            start = time.perf_counter()
            try:
                status, answer = request(port, "/api/v1/applications", "", connection, method="POST", body=body,
                                         headers=headers)  # fmt: skip
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            with lock:
                latencies.append(time.perf_counter() - start)
                if status == 201:
                    acknowledged.append(json.loads(answer)["number"])
                else:
                    errors[0] += 1
                    refusals[f"{status} {answer[:120].decode(errors='replace')}"] += 1
        connection.close()

    elapsed = run_users([user] * clients)
    stored = Application.objects.filter(number__in=acknowledged).count()
    latencies.sort()
    return {
        "acknowledged": len(acknowledged),
        "per_second": len(acknowledged) / elapsed,
        "stored_once": stored == len(acknowledged) == len(set(acknowledged)),
        "new_rows": Application.objects.count() - before,
        "errors": errors[0],
        "refusals": dict(refusals),
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--clients", default="20,50", help="comma-separated numbers of concurrent users")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each run")
    parser.add_argument("--pairs", type=int, default=2, help="interleaved floor/project pairs per page")
    parser.add_argument(
        "--only", help="measure only the pages whose label contains this text (or one of these, comma-separated)"
    )
    parser.add_argument("--small", action="store_true", help="a tiny run that proves the bench works")
    parser.add_argument("--prepare", action="store_true", help="generate the registry (if missing) and stop")
    parser.add_argument(
        "--cache-url",
        default=None,
        help="the project's shared cache, as CACHE_URL (default: Redis database 13 on 127.0.0.1, as deployed;"
        " '' for the database table; --small: the database table)",
    )
    args = parser.parse_args(argv)
    if args.small:
        args.households, args.workers, args.clients, args.seconds, args.pairs = 60, 2, "2", 0.5, 1
    if args.cache_url is None:
        args.cache_url = "" if args.small else "redis://127.0.0.1:6379/13"
    os.environ["CACHE_URL"] = args.cache_url  # the bench's own writes (figures, sessions) and the server's
    # The sessions written here must be valid for the served site: same key, same cookie settings.
    os.environ.update({"SECRET_KEY": SECRET, "HTTPS": "0", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"})
    # The bench signs its demo documents with its own key, created on the first run.
    os.environ.setdefault("DOCUMENT_SIGNING_KEY_FILE", str(Path(tempfile.gettempdir()) / "satupintu-bench-signing.pem"))
    os.environ["DOCUMENT_SIGNING_KEY_CREATE"] = "1"
    setup_django(args.database_url)
    from django.db import connection

    database_url = os.environ["DATABASE_URL"]
    started = time.perf_counter()
    line("database", connection.vendor)
    line("shared cache", args.cache_url or "database table")
    with open(os.devnull, "w") as quiet:
        line("households", f"{ensure_data(args.households, out=quiet):,}")
    if args.prepare:
        return 0
    cookies = sessions()
    floor_cookies = sessions("django.contrib.auth.backends.ModelBackend")
    wanted = [text for text in (args.only or "").split(",") if text]
    measured = [p for p in pages() if not wanted or any(text in p[0] for text in wanted)]
    floor_port, app_port = free_port(), free_port()
    staff_port = free_port()
    floor = serve("bench.floor_app:application", floor_port, args.workers, database_url)
    staff_floor = serve("bench.floor_staff_app:application", staff_port, args.workers, database_url)
    app = serve("satupintu.wsgi", app_port, args.workers, database_url)
    errors = 0
    try:
        for clients in [int(c) for c in args.clients.split(",")]:
            print(f"\n{clients} concurrent users, {args.pairs} × {args.seconds:g} s per site, {args.workers} workers")
            print("| page | floor req/s | project req/s | project ÷ floor | p50 | p95 | p99 | floor p95 | errors |")
            print("|---|---|---|---|---|---|---|---|---|")
            for label, persona, path in measured:
                django_own = label in DJANGO_FLOORS
                cookie = (floor_cookies if django_own else cookies).get(persona, "")
                port = staff_port if django_own else app_port
                r = compare(floor_port, port, cookie, path, clients, args.seconds, args.pairs)
                errors += r["errors"] + r["floor_errors"]
                print(
                    f"| {label} | {r['floor_rate']:,.0f} | {r['rate']:,.1f} | {r['ratio']:.3f} | "
                    f"{r['p50'] * 1000:.0f} ms | {r['p95'] * 1000:.0f} ms | {r['p99'] * 1000:.0f} ms | "
                    f"{r['floor_p95'] * 1000:.0f} ms | {r['errors']} |",
                    flush=True,
                )
            result = intake(app_port, clients, args.seconds * args.pairs)
            errors += result["errors"]
            line(
                f"intake (API), {clients} users",
                f"{result['per_second']:.1f} applications/s, {result['acknowledged']} acknowledged, "
                f"stored exactly once: {'yes' if result['stored_once'] else 'NO'}, errors {result['errors']}, "
                f"p50 {result['p50'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms",
            )
            for answer, count in result["refusals"].items():
                line("  not acknowledged", f"{count} × {answer}")
            if not result["stored_once"]:
                errors += 1
    finally:
        for server in (floor, staff_floor, app):
            server.terminate()
            server.wait(timeout=30)
    line("errors in all", errors)
    line("bench wall time", f"{time.perf_counter() - started:.0f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
