"""The staff and public floors of bench/web_bench.py: the least such pages cost in Django.

Django's own middleware stack as `startproject` writes it (security, session, common, CSRF,
authentication, messages, clickjacking), the project's user model and session table, so the bench's
signed-in cookies work here too.

- `/`: one login-required view with one indexed query (50 households from a random starting id)
  rendered as a 50-row table in a small layout with a CSRF-protected form;
- `/baris-python/`: the same page with its rows written as Python strings;
- `/masuk-saja/`: the same page without the query and its table (what signing in costs: the session
  and the user read);
- `/catatan/`: a signed-in record page: a household by key, its members, assessments and last audit
  rows (four indexed reads), and one access-log row written in a table of its own;
- `/catatan-berantai/`: the same record page whose access-log row is appended to a hash chain (each
  row with the hash of the one before; the chain's head row held by one writer at a time), as the
  project's audit log keeps the readings of a record;
- `/lacak/`: a public page without a sign-in: a small form with its CSRF token and no query;
- `/v/`: a public page that writes on GET: one indexed read and one counter UPDATE.

No project code runs but the user model. Served like the bare floor (bench/floor_app.py): gunicorn
with the project's gunicorn.conf.py and worker count, on the bench's database. Measured against the
bare floor, they are the most a staff list page, any signed-in page, a record page that logs its
reading, a public form page and a page that counts its openings can reach.
"""

import hashlib
import os
import random

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)},
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.messages",
        # The user model's app imports the second factor's device models; no OTP middleware runs.
        "django_otp",
        "django_otp.plugins.otp_totp",
        "django_otp.plugins.otp_static",
        "satupintu.regions",
        "satupintu.accounts",
    ],
    AUTH_USER_MODEL="accounts.User",
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ],
    SESSION_COOKIE_SECURE=False,
    USE_TZ=True,
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.html import escape  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402

PAGE = engines["django"].from_string(
    """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Rumah tangga</title></head>
<body><header><nav><a href="/">Beranda</a> <a href="/rumah-tangga/">Rumah tangga</a>
<a href="/permohonan/">Permohonan</a> <a href="/pengaduan/">Pengaduan</a> <a href="/laporan/">Laporan</a>
{{ user.get_username }}
<form method="post" action="/keluar/">{% csrf_token %}<button>Keluar</button></form></nav></header>
<main><h1>Rumah tangga</h1>
<table><thead><tr><th>ID</th><th>No. KK</th><th>Alamat</th><th>RT/RW</th><th>Desa</th></tr></thead>
<tbody>{{ written }}
{% for row in rows %}<tr><td><a href="/rumah-tangga/{{ row.0 }}/">RT-{{ row.0|stringformat:"07d" }}</a></td>
<td>{{ row.1|slice:":6" }}**********</td><td>{{ row.2 }}</td><td>{{ row.3 }}/{{ row.4 }}</td><td>{{ row.5 }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""
)
_highest: list[int] = []


def fifty_households():
    """50 households from a random starting id: one indexed query."""
    with connection.cursor() as cursor:
        if not _highest:
            cursor.execute("SELECT COALESCE(MAX(id), 1) FROM registry_household")
            _highest.append(cursor.fetchone()[0])
        cursor.execute(
            "SELECT id, kk_number, address, rt, rw, desa_id FROM registry_household "
            "WHERE id >= %s ORDER BY id LIMIT 50",
            [random.randint(1, max(1, _highest[0] - 50))],
        )
        return cursor.fetchall()


@login_required(login_url="/masuk/")
def households(request):
    return HttpResponse(PAGE.render({"rows": fifty_households(), "user": request.user}, request))


@login_required(login_url="/masuk/")
def households_written(request):
    """The same page with its 50 rows written as Python strings (escaped), not through template nodes."""
    rows = "".join(
        f'<tr><td><a href="/rumah-tangga/{pk}/">RT-{pk:07d}</a></td><td>{escape(kk[:6])}**********</td>'
        f"<td>{escape(address)}</td><td>{escape(rt)}/{escape(rw)}</td><td>{desa}</td></tr>\n"
        for pk, kk, address, rt, rw, desa in fifty_households()
    )
    return HttpResponse(PAGE.render({"written": mark_safe(rows), "user": request.user}, request))


FORM_PAGE = engines["django"].from_string(
    """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Lacak permohonan</title></head>
<body><header><nav><a href="/">Beranda</a> <a href="/layanan/">Layanan</a> <a href="/lacak/">Lacak</a>
<a href="/pengaduan/">Pengaduan</a> <a href="/transparansi/">Transparansi</a></nav></header>
<main><h1>Lacak permohonan</h1><form method="post">{% csrf_token %}
<label for="n">Nomor tanda terima</label><input id="n" name="number" maxlength="20" required>
<label for="p">PIN</label><input id="p" name="pin" inputmode="numeric" maxlength="6" required>
<button>Lacak</button></form></main></body></html>"""
)


def public_form(request):
    """A public page: the same middleware, no sign-in, a small form with its CSRF token, no query."""
    return HttpResponse(FORM_PAGE.render({}, request))


SCANNED = engines["django"].from_string(
    """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Verifikasi dokumen</title></head>
<body><main><h1>Verifikasi dokumen</h1><p>{{ row.1 }}</p><p>{{ row.2 }}</p></main></body></html>"""
)
_documents: list[int] = []


def counted_read(request):
    """A public page that writes on GET, as the verification page does: one indexed read (a document
    by key) and one counter UPDATE (a scan row by key, in autocommit), no sign-in."""
    with connection.cursor() as cursor:
        if not _documents:
            cursor.execute(
                "SELECT COALESCE(MAX(id), 1), (SELECT COALESCE(MAX(id), 1) FROM documents_scan) "
                "FROM documents_issueddocument"
            )
            _documents.extend(cursor.fetchone())
        cursor.execute(
            "SELECT id, number, title FROM documents_issueddocument WHERE id = %s", [random.randint(1, _documents[0])]
        )
        row = cursor.fetchone() or (0, "", "")
        cursor.execute("UPDATE documents_scan SET count = count + 1 WHERE id = %s", [random.randint(1, _documents[1])])
    return HttpResponse(SCANNED.render({"row": row}, request))


@login_required(login_url="/masuk/")
def signed_in(request):
    """The signed-in page without its table: the same layout, session, user and CSRF form, no query."""
    return HttpResponse(PAGE.render({"rows": (), "user": request.user}, request))


RECORD = engines["django"].from_string(
    """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Rumah tangga</title></head>
<body><header><nav><a href="/">Beranda</a> <a href="/rumah-tangga/">Rumah tangga</a>
<a href="/permohonan/">Permohonan</a> {{ user.get_username }}
<form method="post" action="/keluar/">{% csrf_token %}<button>Keluar</button></form></nav></header>
<main><h1>RT-{{ household.0|stringformat:"07d" }}</h1>
<p>{{ household.2 }} RT {{ household.3 }}/RW {{ household.4 }} · {{ household.5 }}</p>
<p>No. KK <span>{{ household.1|slice:":6" }}**********</span></p>
<table><thead><tr><th>Nama</th><th>NIK</th><th>Hubungan</th><th>L/P</th><th>Lahir</th></tr></thead>
<tbody>{% for p in members %}<tr><td>{{ p.1 }}</td><td>{{ p.0|slice:":6" }}**********</td><td>{{ p.2 }}</td>
<td>{{ p.3 }}</td><td>{{ p.4|date:"d-m-Y" }}</td></tr>{% endfor %}</tbody></table>
<h2>Penilaian</h2><ul>{% for a in assessments %}<li>{{ a.0|date:"d-m-Y" }} · {{ a.1 }} · {{ a.2 }}</li>{% endfor %}</ul>
<h2>Jejak perubahan</h2><ul>{% for e in audit %}<li>{{ e.0|date:"d-m-Y H:i" }} · {{ e.1 }}</li>{% endfor %}</ul>
</main></body></html>"""
)
_access_log: list[bool] = []


def _plain_access(cursor, actor_id: int, household_id: int) -> None:
    """One row of an access log in a table of its own (one INSERT, in autocommit)."""
    if not _access_log:
        key = "integer PRIMARY KEY" if connection.vendor == "sqlite" else "bigserial PRIMARY KEY"
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_floor_access (id {key}, at timestamp NOT NULL, "
            "actor_id bigint NOT NULL, household_id bigint NOT NULL)"
        )
        _access_log.append(True)
    cursor.execute(
        "INSERT INTO bench_floor_access (at, actor_id, household_id) VALUES (CURRENT_TIMESTAMP, %s, %s)",
        [actor_id, household_id],
    )


def record_page(request, log):
    """A signed-in record page: one household by key, its members, assessments and last 30 audit rows
    (four indexed reads), and its reading written by `log(cursor, actor_id, household_id)`, as a detail
    page that records who read whose data must."""
    with connection.cursor() as cursor:
        if not _highest:
            cursor.execute("SELECT COALESCE(MAX(id), 1) FROM registry_household")
            _highest.append(cursor.fetchone()[0])
        pk = random.randint(1, _highest[0])
        cursor.execute("SELECT id, kk_number, address, rt, rw, desa_id FROM registry_household WHERE id = %s", [pk])
        household = cursor.fetchone() or (pk, "", "", "", "", "")
        cursor.execute(
            "SELECT nik, name, relationship, sex, birth_date FROM registry_person WHERE household_id = %s ORDER BY id",
            [pk],
        )
        members = cursor.fetchall()
        cursor.execute(
            "SELECT assessed_on, method, result FROM registry_povertyassessment WHERE household_id = %s "
            "ORDER BY assessed_on DESC",
            [pk],
        )
        assessments = cursor.fetchall()
        cursor.execute("SELECT at, action FROM audit_auditlog WHERE household_id = %s ORDER BY at DESC LIMIT 30", [pk])
        audit = cursor.fetchall()
        log(cursor, request.user.pk, pk)
    context = {"household": household, "members": members, "assessments": assessments, "audit": audit}
    return HttpResponse(RECORD.render({**context, "user": request.user}, request))


@login_required(login_url="/masuk/")
def record(request):
    """The record page, its reading one row of a plain access log."""
    return record_page(request, _plain_access)


_chain: list[bool] = []


def _chained_access(cursor, actor_id: int, household_id: int) -> None:
    """One row of an access log kept as a hash chain: each row holds the hash of the one before and
    its own, the chain's last seq and hash in a head row that one writer at a time holds. On PostgreSQL
    in one statement (the head locked for that statement only), on SQLite in one transaction."""
    if not _chain:
        key = "integer PRIMARY KEY" if connection.vendor == "sqlite" else "bigserial PRIMARY KEY"
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_floor_chained (id {key}, seq bigint NOT NULL UNIQUE, "
            "at timestamp NOT NULL, actor_id bigint NOT NULL, household_id bigint NOT NULL, "
            "prev_hash text NOT NULL, hash text NOT NULL)"
        )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_chain_head (id integer PRIMARY KEY, seq bigint NOT NULL, "
            "hash text NOT NULL)"
        )
        cursor.execute("SELECT 1 FROM bench_floor_chain_head WHERE id = 1")
        if cursor.fetchone() is None:
            cursor.execute("INSERT INTO bench_floor_chain_head (id, seq, hash) VALUES (1, 0, %s)", ["0" * 64])
        _chain.append(True)
    if connection.vendor == "postgresql":
        cursor.execute(
            "WITH last AS (SELECT seq, hash FROM bench_floor_chain_head WHERE id = 1 FOR UPDATE), "
            "added AS (INSERT INTO bench_floor_chained (seq, at, actor_id, household_id, prev_hash, hash) "
            "SELECT last.seq + 1, CURRENT_TIMESTAMP, %s, %s, last.hash, encode(sha256(convert_to("
            "last.hash || '|' || (last.seq + 1) || '|' || %s || '|' || %s, 'UTF8')), 'hex') FROM last "
            "RETURNING seq, hash) "
            "UPDATE bench_floor_chain_head SET seq = added.seq, hash = added.hash FROM added "
            "WHERE bench_floor_chain_head.id = 1",
            [actor_id, household_id, str(actor_id), str(household_id)],
        )
        return
    cursor.execute("BEGIN IMMEDIATE")  # SQLite: the write lock taken first, so two writers queue
    try:
        cursor.execute("SELECT seq, hash FROM bench_floor_chain_head WHERE id = 1")
        seq, previous = cursor.fetchone()
        digest = hashlib.sha256(f"{previous}|{seq + 1}|{actor_id}|{household_id}".encode()).hexdigest()
        cursor.execute(
            "INSERT INTO bench_floor_chained (seq, at, actor_id, household_id, prev_hash, hash) "
            "VALUES (%s, CURRENT_TIMESTAMP, %s, %s, %s, %s)",
            [seq + 1, actor_id, household_id, previous, digest],
        )
        cursor.execute("UPDATE bench_floor_chain_head SET seq = %s, hash = %s WHERE id = 1", [seq + 1, digest])
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
    cursor.execute("COMMIT")


@login_required(login_url="/masuk/")
def chained_record(request):
    """The record page whose access-log row is appended to a hash chain, as the project's audit log
    keeps it: one writer at a time extends the chain."""
    return record_page(request, _chained_access)


urlpatterns = [
    path("", households),
    path("catatan-berantai/", chained_record),
    path("masuk-saja/", signed_in),
    path("baris-python/", households_written),
    path("catatan/", record),
    path("lacak/", public_form),
    path("v/", counted_read),
]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
