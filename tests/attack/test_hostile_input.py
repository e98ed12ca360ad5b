"""Hostile input (tests/attack/hostile.py) into every form of the site and every API operation.

The forms are found, not listed: every page of the URL configuration (the pages with a parameter
opened on the objects the IDOR matrix builds) is fetched as the first persona that may open it,
its <form>s parsed, and each field sent every corpus value while the other fields keep the values
the page offered. The API operations come from /api/v1/openapi.json: each property of a request
body (beside valid values for the others) and each query parameter gets every corpus value.

Every answer is below 500. A request the application refused leaves every row as it was (nothing
half-written); one it took stores no NUL, no lone surrogate and no cut-off copy of the value. In CI
each field gets a slice of the corpus; ATTACK_FULL=1 sends all of it.
"""

import json
import os
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes, urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from satupintu.accounts.models import Role, User
from tests.attack.hostile import CORPUS, JSON_EXTRA, sample
from tests.attack.test_idor_matrix import MATRIX, UNFINGERPRINTED_APPS, World, parameterised_patterns
from tests.conftest import KEDEN

FULL = os.environ.get("ATTACK_FULL") == "1"
# Pages without a form worth sending hostile input to, or whose form ends the test's session.
SKIPPED_NAMES = {"logout", "healthz", "openapi", "api-docs", "api-root"}
SKIPPED_PREFIXES = ("admin:",)
PERSONAS = ("operator_keden", "petugas", "verifikator", "kasi", "kepala", "superuser", None)
SURROGATE = re.compile("[\ud800-\udfff]")


class Forms(HTMLParser):
    """The forms of a page: method, action and fields with the values the page offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").upper(), "action": attrs.get("action") or "",
                          "fields": {}, "order": [], "submit": None}  # fmt: skip
            self.forms.append(self._form)
        if self._form is None or "name" not in attrs and tag not in ("option",):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                if self._form["submit"] is None and name:
                    self._form["submit"] = (name, attrs.get("value", ""))
            elif kind == "file":
                return
            elif kind in ("checkbox", "radio"):
                self._field(name, attrs.get("value", "on") if "checked" in attrs else None, keep=kind == "radio")
            else:
                self._field(name, attrs.get("value", ""))
        elif tag == "button" and name:
            if self._form["submit"] is None:
                self._form["submit"] = (name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
            self._field(name, None)
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if "selected" in attrs or (self._form["fields"].get(self._select) is None and value):
                self._form["fields"][self._select] = value
        elif tag == "textarea":
            self._textarea = name
            self._field(name, "")

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _field(self, name, value, keep=False):
        if name not in self._form["order"]:
            self._form["order"].append(name)
        if value is not None or name not in self._form["fields"]:
            if not (keep and self._form["fields"].get(name)):
                self._form["fields"][name] = value


def encode(data: dict) -> str:
    """A form body; bytes values go as their raw bytes (what a browser sends for text it cannot encode)."""
    parts = []
    for key, value in data.items():
        if value is None:
            continue
        raw = quote_from_bytes(value) if isinstance(value, bytes) else quote(str(value), safe="")
        parts.append(f"{quote(key, safe='')}={raw}")
    return "&".join(parts)


def snapshot(tables=None) -> dict:
    """Every row a request could change, by table (its own audit and session rows aside)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in UNFINGERPRINTED_APPS or model._meta.proxy or not model._meta.managed:
            continue
        if tables is not None and model._meta.db_table not in tables:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.db_table] = {
            tuple(_hashable(cell) for cell in row) for row in model._default_manager.values_list(*columns)
        }
    return rows


def _hashable(cell):
    return json.dumps(cell, sort_keys=True, default=str) if isinstance(cell, dict | list) else cell


def changed_rows(before: dict, after: dict) -> list:
    return [row for table, now in after.items() for row in now - before.get(table, set())] + [
        row for table, then in before.items() for row in then - after.get(table, set())
    ]


def stored_problems(rows: list, value) -> list[str]:
    """What a row written from `value` must not hold: NUL, lone surrogates, a cut-off copy of it."""
    problems = []
    cleaned = value.strip() if isinstance(value, str) else None
    for row in rows:
        for cell in row:
            if not isinstance(cell, str):
                continue
            if "\x00" in cell:
                problems.append("NUL stored")
            if SURROGATE.search(cell):
                problems.append("lone surrogate stored")
            if cleaned and len(cell) >= 50 and cleaned.startswith(cell) and cell != cleaned:
                problems.append(f"cut to {len(cell)} of {len(cleaned)} characters")
    return problems


WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Attack:
    """Sends the corpus and records every server error and half-written or badly stored request.

    A table is compared with its last snapshot only after a request that sent it a write: a request
    that wrote nothing changed nothing."""

    def __init__(self):
        self.requests = 0
        self.findings = []
        self.rows = snapshot()
        self.tables = set(self.rows)

    def send(self, client, method, url, body, content_type, label, *, headers=None):
        self.requests += 1
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(url, **(headers or {}))
            else:
                response = client.generic(method, url, body, content_type=content_type, **(headers or {}))
        written = {m.group(2) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))} & self.tables
        changes = []
        if written:
            after = snapshot(written)
            changes = changed_rows({table: self.rows[table] for table in written}, after)
            self.rows.update(after)
        where = f"{method} {url[:120]} {label}"
        if response.status_code >= 500:
            self.findings.append(f"{where}: {response.status_code}")
        elif changes and response.status_code >= 400:
            self.findings.append(f"{where}: refused with {response.status_code} but wrote {len(changes)} rows")
        return response, changes


@pytest.fixture
def personas(operator_keden, petugas, verifikator, kasi, kepala, regions):
    superuser = User.objects.create_superuser(username="super", password="Rahasia-123!", role=Role.ADMIN)
    users = {"operator_keden": operator_keden, "petugas": petugas, "verifikator": verifikator, "kasi": kasi,
             "kepala": kepala, "superuser": superuser, None: None}  # fmt: skip
    return users


@pytest.fixture
def world(request, outsiders):
    return World(request)


def pages(world) -> list[str]:
    """Every page of the site without a parameter, and each MATRIX page on the world's objects."""
    urls = []
    for name, params in [*parameterised_patterns(), *_plain_names()]:
        if name in SKIPPED_NAMES or name.startswith(SKIPPED_PREFIXES) or not name:
            continue
        if params:
            entry = MATRIX.get(name)
            if entry is None or entry.api:
                continue
            kwargs = {key: value for key, value in entry.build(world).kwargs.items() if key in params}
        else:
            kwargs = {}
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        if url not in urls and not url.startswith("/api/"):
            urls.append(url)
    return urls


def _plain_names():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and not _has_params(pattern):
                yield f"{namespace}{pattern.name}", ()

    def _has_params(pattern):
        route = pattern.pattern
        regex = getattr(route, "regex", None)
        return bool(getattr(route, "converters", None)) or bool(getattr(regex, "groupindex", {}))

    return walk(get_resolver().url_patterns, "")


def forms_of(url, personas):
    """(client, form) for the forms of `url` as each persona that may open it: each role sees its own."""
    for key in PERSONAS:
        client = Client(raise_request_exception=False)
        if personas[key] is not None:
            client.force_login(personas[key])
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = Forms()
            parser.feed(response.content.decode("utf-8", "replace"))
            yield from ((client, form) for form in parser.forms if form["order"])


def test_every_form_takes_hostile_input_without_a_server_error_or_a_half_write(world, personas):
    attack = Attack()
    corpus = [(label, value) for label, value in CORPUS]
    sent_forms = set()
    for url in pages(world):
        for client, form in list(forms_of(url, personas)):
            action = urljoin(url, form["action"]) if form["action"] else url
            path = urlsplit(action).path
            key = (form["method"], path, tuple(form["order"]))  # a form is sent once, as its first persona
            if key in sent_forms or path.startswith(("/keluar/", "/admin/")):
                continue
            sent_forms.add(key)
            base = dict(form["fields"])
            if form["submit"]:
                base.setdefault(*form["submit"])
            for index, field in enumerate(form["order"]):
                for label, value in sample(corpus, FULL, start=index + len(sent_forms)):
                    data = {**base, field: value}
                    if "submission_key" in data and field != "submission_key":
                        data["submission_key"] = str(uuid.uuid4())
                    if form["method"] == "GET":
                        attack.send(client, "GET", f"{path}?{encode(data)}", None, None, f"{field}={label}")
                        continue
                    _, changes = attack.send(
                        client, "POST", path, encode(data), "application/x-www-form-urlencoded", f"{field}={label}"
                    )
                    for problem in stored_problems(changes, value) if changes else []:
                        attack.findings.append(f"POST {path} {field}={label}: {problem}")
    print(f"\nattack forms: {len(sent_forms)} forms, {attack.requests} requests, {len(attack.findings)} findings")
    print("\n".join(f"  {method} {path} {', '.join(fields)}" for method, path, fields in sorted(sent_forms)))
    assert len(sent_forms) >= 10, sent_forms
    assert attack.findings == [], "\n".join(attack.findings)


def api_bases(world) -> dict:
    """A valid body for each create, and where each path parameter points."""
    household = world.household
    return {
        "POST /api/v1/applications": {"service": "kartu-saraswati", "applicant": household.head_id},
        "POST /api/v1/applications/{number}/transitions": {"transition": "accept_documents", "reason": "ok"},
        "POST /api/v1/households/": {
            "kk_number": "3314010201200009",
            "desa": KEDEN,
            "address": "Krajan",
            "rt": "001",
            "rw": "002",
        },  # fmt: skip
        "POST /api/v1/households/search/": {"name": "Sutrisno"},
        "POST /api/v1/people/": {
            "household": household.pk,
            "nik": "3314011501700042",
            "name": "Parno",
            "sex": "L",
            "birth_place": "Sragen",
            "birth_date": "1970-01-15",
            "relationship": "anak",
            "marital_status": "belum_kawin",
            "education": "sd",
        },  # fmt: skip
        "path": {
            "number": world.application.number,
            "id": household.pk,
            "code": "kartu-saraswati",
            "name": "berkas",
        },  # fmt: skip
    }


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_api_operation_takes_hostile_input_without_a_server_error_or_a_half_write(
    world, personas, client, settings
):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None}
    petugas = personas["petugas"]
    client.force_login(petugas)
    document = json.loads(client.get("/api/v1/openapi.json").content)
    bases = api_bases(world)
    attack = Attack()
    json_corpus = [(label, value) for label, value in CORPUS if isinstance(value, str)] + JSON_EXTRA
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            method = method.upper()
            targets = {**bases["path"], "id": world.household.head_id} if "/people/" in template else bases["path"]
            path = re.sub(r"\{(\w+)\}", lambda m, t=targets: quote(str(t[m.group(1)]), safe=""), template)
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            for index, name in enumerate(queries):
                for label, value in sample(json_corpus, FULL, start=index):
                    if isinstance(value, str):
                        attack.send(client, "GET" if method == "GET" else method, f"{path}?{name}={quote(value)}",
                                    "{}", "application/json", f"{name}={label}")  # fmt: skip
            if schema is None:
                continue
            properties = list(_resolve(document, schema).get("properties", {}))
            base = dict(bases.get(f"{method} {template}", {}))
            if method in ("PUT", "PATCH"):
                current = client.get(path)
                if current.status_code == 200:
                    base = {key: value for key, value in current.json().items() if key in properties}
            for index, prop in enumerate(properties):
                for label, value in sample(json_corpus, FULL, start=index):
                    body = json.dumps({**base, prop: value})
                    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
                    _, changes = attack.send(client, method, path, body, "application/json", f"{prop}={label}",
                                             headers=headers)  # fmt: skip
                    for problem in stored_problems(changes, value) if changes else []:
                        attack.findings.append(f"{method} {path} {prop}={label}: {problem}")
    print(f"\nattack api input: {attack.requests} requests, {len(attack.findings)} findings")
    assert attack.findings == [], "\n".join(attack.findings)
