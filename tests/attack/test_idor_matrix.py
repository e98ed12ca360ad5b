"""No object outside a user's area leaks or changes: the IDOR matrix, generated from the URL configuration.

Every URL pattern that takes an object id, number, token or name (a path converter or a named group)
must be listed here: in MATRIX, with how to build an object in desa A (Keden, kecamatan Kalijambe)
and the personas for whom that object is out of scope, or in EXEMPT with the reason it needs no
entry. A new pattern in neither fails `test_every_url_with_a_parameter_is_in_the_matrix` by name.

For each entry and each outsider (anonymous, the operator of desa B, the operator of another
kecamatan, a mitra of another agency, the auditor, and the unit roles where the object is theirs
to miss), a GET answers 302 to the login page, 401, 403, 404 or 405 and never shows the object's
identifying data; a POST (or PUT, PATCH, DELETE) changes no row of the database.
"""

import datetime as dt
import hashlib
import io
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from satupintu.accounts.reference import ensure_agencies
from satupintu.lib.exports import XLSX_TYPE
from satupintu.lib.nik import FEMALE, MALE, make_kk, make_nik
from satupintu.regions.models import Region
from satupintu.registry import actions as registry
from tests.conftest import KALIJAMBE, KEDEN, apply_for, mark_poor

# Data only the Keden objects carry: none of it may reach an outsider.
HEAD_NAME = "Wiryosukarto Rahasiadesa"
SPOUSE_NAME = "Sulastri Rahasiadesa"
ADDRESS = "Dukuh Rahasia Kidul"
COMPLAINT_TEXT = "Petugas meminta uang pelicin Rp 50.000"
REPORTER = "Tukiyem Rahasiapelapor"
ALLOWED_GET = {401, 403, 404, 405}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Rows a refused request may write: its own audit and login bookkeeping, the session, the task queue.
UNFINGERPRINTED_APPS = {"audit", "axes", "sessions", "admin", "contenttypes", "django_q"}

DEFAULT_OUTSIDERS = ("anonymous", "operator_desa_b", "operator_kecamatan_other", "mitra_other_agency", "auditor")
UNIT_ROLES = ("petugas", "verifikator", "kasi", "kepala")
BUDGET_OUTSIDERS = ("anonymous", "operator_desa_b", "operator_kecamatan_other", "mitra_other_agency")


@dataclass
class Target:
    kwargs: dict
    markers: list[str]


@dataclass
class Entry:
    build: Callable  # (world) -> Target
    methods: tuple = ("GET", "POST")
    outsiders: tuple = DEFAULT_OUTSIDERS
    post: dict = field(default_factory=dict)
    api: bool = False  # JSON bodies
    # The page exists for everyone who may open the list it belongs to (a run, a queue): an outsider
    # gets it without the object's data instead of a 404.
    shell: bool = False
    # The URL carries an unguessable token that is the permission itself: outsiders try a forged one.
    bearer: str = ""


class World:
    """The objects of desa A, built on first use."""

    def __init__(self, request):
        self.request = request
        self._cache = {}

    def fixture(self, name):
        return self.request.getfixturevalue(name)

    def once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def household(self):
        return self.once("household", self._household)

    def _household(self):
        self.fixture("regions")
        desa = Region.objects.get(code=KEDEN)
        prefix = desa.nik_prefix
        household = registry.household_create(
            actor=None,
            data={"kk_number": make_kk(prefix, dt.date(2020, 1, 2), 7771), "desa": desa, "address": ADDRESS,
                  "rt": "003", "rw": "004"},
        )  # fmt: skip
        for name, sex, birth, relationship in (
            (HEAD_NAME, MALE, dt.date(1970, 1, 15), "kepala"),
            (SPOUSE_NAME, FEMALE, dt.date(1972, 3, 9), "pasangan"),
        ):
            registry.person_add(
                actor=None,
                household=household,
                data={"nik": make_nik(prefix, birth, sex, 7771), "name": name, "sex": sex, "birth_place": "Sragen",
                      "birth_date": birth, "relationship": relationship, "marital_status": "kawin",
                      "education": "sd"},
            )  # fmt: skip
        household.refresh_from_db()
        return household

    @property
    def markers(self):
        people = self.household.members.all()
        return [HEAD_NAME, SPOUSE_NAME, ADDRESS, self.household.kk_number, *(p.nik for p in people)]

    @property
    def application(self):
        def make():
            mark_poor(self.household)
            return apply_for(self.fixture("petugas"), self.household)[0]

        return self.once("application", make)

    @property
    def letter(self):
        def make():
            from satupintu.documents.actions import document_issue_letter

            ensure_agencies()
            return document_issue_letter(
                actor=self.fixture("kepala"), service_code="rujukan-jamkesda", subject_household=self.household
            )

        return self.once("letter", make)

    @property
    def complaint(self):
        """A sensitive complaint (a bribe request) from kecamatan Kalijambe: the integrity group's only."""

        def make():
            from satupintu.complaints.actions import complaint_submit
            from satupintu.complaints.models import Category, Channel, FeedbackType

            complaint, _pin = complaint_submit(
                actor=None, channel=Channel.WEB, feedback_type=FeedbackType.PENGADUAN, category=Category.IMBALAN,
                kecamatan=Region.objects.get(code=KALIJAMBE), description=COMPLAINT_TEXT, reporter_name=REPORTER,
            )  # fmt: skip
            assert complaint.sensitive
            return complaint

        self.fixture("regions")
        return self.once("complaint", make)


def household_pk(world):
    return Target({"pk": world.household.pk}, world.markers)


def head_pk(world):
    return Target({"pk": world.household.head_id}, world.markers)


def application_number(world, **extra):
    return Target({"number": world.application.number, **extra}, world.markers)


def household_for_intake(world):
    return Target({"household_pk": world.household.pk}, world.markers)


def letter_pk(world):
    return Target({"pk": world.letter.pk}, world.markers)


def letter_token(world):
    return Target({"token": world.letter.token}, world.markers)


def complaint_number(world, **extra):
    return Target({"number": world.complaint.number, **extra}, [COMPLAINT_TEXT, REPORTER])


def survey_token(world):
    from satupintu.survey.models import Invitation

    invitation = Invitation.objects.create(application=world.application, token=secrets.token_urlsafe(32))
    return Target({"token": invitation.token}, world.markers)


def targeting_run(world):
    from satupintu.targeting.run import run_targeting

    world.application  # noqa: B018  (a poor household: the run lists it)
    return Target({"pk": run_targeting().pk}, world.markers)


def import_batch(world):
    from tests.imports.helpers import HEAD, SPOUSE, csv_bytes, upload

    rows = [{**HEAD, "nama": HEAD_NAME, "alamat": ADDRESS}, {**SPOUSE, "nama": SPOUSE_NAME}]
    batch = upload(csv_bytes(rows), name="rahasia-keden.csv", actor=world.fixture("operator_keden"))
    return Target({"pk": batch.pk}, [HEAD_NAME, SPOUSE_NAME, ADDRESS, "rahasia-keden.csv"])


def duplicate_pair(world):
    from satupintu.imports.models import DuplicatePair

    head = world.household.head
    spouse = world.household.members.exclude(pk=head.pk).get()
    pair = DuplicatePair.objects.create(person_a=head, person_b=spouse, desa_a_id=KEDEN, desa_b_id=KEDEN, score=80,
                                        level="possible", reasons=["nama mirip"])  # fmt: skip
    return Target({"pk": pair.pk}, world.markers)


def private_job(world):
    """A job of the Keden operator without a shared permission: nobody else's."""
    from satupintu.ops import jobs
    from satupintu.ops.models import Job

    job = jobs.job_create(
        actor=world.fixture("operator_keden"), kind=Job.Kind.CARD_BATCH, work="tests.ops.test_jobs.steady",
        parameters={}, area=KEDEN,
    )  # fmt: skip
    Job.objects.filter(pk=job.pk).update(message=HEAD_NAME)
    return Target({"pk": job.pk}, [HEAD_NAME])


def allocation_round(world):
    """A round of RTLH APBD ranking the Keden household's application."""
    from satupintu.allocation.actions import open_round
    from satupintu.budgets import actions as budgets
    from satupintu.cases.actions import application_transition
    from satupintu.catalogue.models import ServiceType

    def make():
        world.application  # noqa: B018  (a poor household)
        petugas, kasi = world.fixture("petugas"), world.fixture("kasi")
        application = apply_for(petugas, world.household, "rtlh-apbd")[0]
        for name in ("accept_documents", "fast_track"):
            application_transition(actor=petugas, application=application, name=name, queue_reason="Uji")
        service = ServiceType.objects.get(code="rtlh-apbd")
        programme = budgets.create_programme(actor=kasi, service=service, fiscal_year=2026, unit="rumah", name="RTLH")
        source = budgets.add_source(actor=kasi, programme=programme, kind="apbd", name="APBD")
        budgets.revise_ceiling(actor=kasi, source=source, amount=None, units=1, valid_from=dt.date(2026, 1, 1),
                               reason="APBD murni")  # fmt: skip
        return open_round(actor=kasi, programme=programme, source=source)

    round_ = world.once("round", make)
    return Target({"pk": round_.pk, "entry_pk": round_.entries.get().pk}, world.markers)


def ambulance_call(world, **extra):
    """A call from the Keden household's head, picked up at its address."""
    from satupintu.emergency.actions import call_take
    from satupintu.emergency.models import Facility
    from satupintu.emergency.reference import ensure_facilities

    def make():
        ensure_agencies()
        ensure_facilities()
        call, _new = call_take(
            actor=world.fixture("petugas"), caller_name=SPOUSE_NAME, caller_phone="081298765432",
            patient=world.household.head, pickup_desa=world.household.desa, landmark=ADDRESS,
            destination=Facility.objects.get(agency__code="rsud-soehadi"), urgency="gawat",
        )  # fmt: skip
        return call

    return Target({"number": world.once("call", make).number, **extra}, world.markers)


def recusal(world):
    """The petugas's declared relation to the Keden applicant."""
    from satupintu.cases.actions import recusal_declare

    def make():
        return recusal_declare(actor=world.fixture("petugas"), application=world.application, relation="Tetangga")

    return Target({"number": world.application.number, "pk": world.once("recusal", make).pk}, world.markers)


def appointment(world):
    """The verifikator appointed to the Keden application."""
    from satupintu.cases.actions import appointment_create

    def make():
        return appointment_create(
            actor=world.fixture("kepala"), appointee=world.fixture("verifikator"), valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31), reason="Uji", application=world.application,
        )  # fmt: skip

    return Target({"pk": world.once("appointment", make).pk}, world.markers)


def budget(world):
    """A raskin-free programme (Kartu Saraswati, rupiah) with one source and a payment to the Keden head."""
    from satupintu.budgets import actions as budgets
    from satupintu.catalogue.models import ServiceType

    def make():
        kasi = world.fixture("kasi")
        service = ServiceType.objects.get(code="kartu-saraswati")
        programme = budgets.create_programme(actor=kasi, service=service, fiscal_year=2026, unit="rupiah", name="KS")
        source = budgets.add_source(actor=kasi, programme=programme, kind="apbd", name="APBD")
        budgets.revise_ceiling(actor=kasi, source=source, amount=10_000_000, units=None, valid_from=dt.date(2026, 1, 1),
                               reason="APBD murni")  # fmt: skip
        entry = budgets.record_entry(
            actor=world.fixture("petugas"), programme=programme, source=source, household=world.household,
            kind="payment", on=dt.date(2026, 2, 2), amount=500_000, method="tunai", recipient_name=HEAD_NAME,
            proof_note="Kuitansi", person=world.household.head,
        )  # fmt: skip
        return programme, source, entry

    return world.once("budget", make)


def programme_pk(world):
    return Target({"pk": budget(world)[0].pk}, world.markers)


def source_pk(world):
    return Target({"pk": budget(world)[1].pk}, world.markers)


def ledger_entry_pk(world):
    return Target({"pk": budget(world)[2].pk}, world.markers)


def raskin_month(world):
    """March 2026 of a raskin programme in kg; the Keden household's raskin application approved."""
    from satupintu.budgets import actions as budgets
    from satupintu.catalogue.models import ServiceType
    from satupintu.raskin.actions import open_month
    from tests.raskin.conftest import YEAR, approve_raskin, on

    def make():
        kepala = world.fixture("kepala")
        with on(YEAR, 1, 5):
            programme = budgets.create_programme(actor=kepala, service=ServiceType.objects.get(code="raskin"),
                                                 fiscal_year=YEAR, unit="kg", name="Raskin")  # fmt: skip
            source = budgets.add_source(actor=kepala, programme=programme, kind="apbd", name="APBD")
            budgets.revise_ceiling(actor=kepala, source=source, amount=None, units=1000,
                                   valid_from=dt.date(YEAR, 1, 1), reason="APBD")  # fmt: skip
        approve_raskin(world.household)
        with on(YEAR, 3, 1):
            return open_month(actor=kepala, programme=programme, source=source, year=YEAR, month=3)

    month = world.once("raskin_month", make)
    return Target({"pk": month.pk, "code": KEDEN, "household": world.household.pk}, world.markers)


def raskin_handover(world):
    """The Keden household's March rice, handed over by the Keden operator."""
    from satupintu.raskin.actions import record_handover
    from satupintu.raskin.models import DistributionMonth
    from tests.raskin.conftest import YEAR, on

    def make():
        month = DistributionMonth.objects.get(pk=raskin_month(world).kwargs["pk"])
        with on(YEAR, 3, 10):
            return record_handover(
                actor=world.fixture("operator_keden"), month=month, household=world.household, on=dt.date(YEAR, 3, 10),
                received_by=HEAD_NAME, relation="kepala", thumbprint_note="cap jempol kanan",
            )  # fmt: skip

    return Target({"pk": world.once("raskin_handover", make).pk}, world.markers)


def queue_of_the_application(world):
    world.application  # noqa: B018
    return Target({"name": "berkas"}, world.markers)


REASON = {"reason": "Dicoba oleh orang luar", "note": "Dicoba oleh orang luar", "queue_reason": "x"}
HOUSEHOLD_FORM = {"kk_number": "3314010201200001", "desa": KEDEN, "address": "Diubah", "rt": "001", "rw": "001"}
PERSON_FORM = {"name": "Diubah Orang Luar", "sex": "L", "birth_place": "Sragen", "birth_date": "1970-01-15",
               "relationship": "kepala", "marital_status": "kawin", "education": "sd"}  # fmt: skip
SUBMIT = {"submission_key": "00000000-0000-4000-8000-000000000001"}
HANDOVER_FORM = {"on": "2026-03-10", "relation": "kepala", "received_by": "Orang Luar", "thumbprint_note": "cap jempol",
                 **SUBMIT}  # fmt: skip

MATRIX = {
    "registry:household_detail": Entry(household_pk),
    "registry:household_edit": Entry(household_pk, post={**HOUSEHOLD_FORM, **SUBMIT}),
    "registry:person_add": Entry(household_pk, post={**PERSON_FORM, "nik": "3314011501700099", **SUBMIT}),
    "registry:person_edit": Entry(head_pk, post=PERSON_FORM),
    "registry:death_record": Entry(
        head_pk, post={"died_on": "2026-01-02", "source": "desa", "reference": "x", "confirm": "on", **SUBMIT}
    ),
    "registry:person_subject_export": Entry(head_pk),
    "documents:detail": Entry(letter_pk),
    "documents:download": Entry(letter_pk),
    "documents:revoke": Entry(letter_pk, post=REASON),
    "documents:reissue": Entry(letter_pk, post=REASON),
    "verify:document": Entry(letter_token, bearer="token", outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES)),
    "complaints:detail": Entry(complaint_number, outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES)),
    "complaints:step": Entry(
        lambda w: complaint_number(w, name="respond"), outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES), post=REASON
    ),
    "survey:answer": Entry(
        survey_token,
        bearer="token",
        outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES),
        post={"q1": "4", "q2": "4", "suggestion": "x"},
    ),  # fmt: skip
    "cases:intake": Entry(household_for_intake, post={"service": "kartu-saraswati", "applicant": "1", **SUBMIT}),
    "cases:detail": Entry(application_number),
    "cases:receipt": Entry(application_number),
    "cases:act": Entry(lambda w: application_number(w, name="cancel"), post=REASON),
    "targeting:run_detail": Entry(targeting_run, shell=True),
    "imports:batch_detail": Entry(import_batch),
    "imports:batch_status": Entry(import_batch),
    "imports:batch_errors": Entry(import_batch),
    "imports:batch_decide": Entry(import_batch, post={"decision": "reject", "note": "x"}),
    "imports:pair_decide": Entry(duplicate_pair, post={"decision": "keep_a", "note": "x"}),
    "ops:job": Entry(private_job, outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES)),
    "ops:job_download": Entry(private_job, outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES)),
    "application-detail": Entry(application_number, methods=("GET", *UNSAFE), api=True),
    "application-transition": Entry(
        lambda w: application_number(w), methods=("POST",), api=True, post={"transition": "cancel", "reason": "x"}
    ),
    "allocation:detail": Entry(allocation_round, shell=True),
    "allocation:print": Entry(allocation_round, shell=True),
    "allocation:move": Entry(allocation_round, post={"proposed": "0", "reason": "x"}),
    "allocation:approve": Entry(allocation_round, post={"reason": "x"}),
    "allocation:cancel": Entry(allocation_round, post=REASON),
    "round-detail": Entry(allocation_round, methods=("GET",), api=True, shell=True),
    "round-entries": Entry(allocation_round, methods=("GET",), api=True, shell=True),
    "round-approve": Entry(allocation_round, methods=("POST",), api=True, post={"reason": "x"}),
    "emergency:call": Entry(ambulance_call),
    "emergency:step": Entry(lambda w: ambulance_call(w, name="cancel"), post=REASON),
    "emergency:verification_resolve": Entry(ambulance_call, post={"outcome": "eligible", "note": "x"}),
    "cases:recusal_declare": Entry(application_number, methods=("POST",), post={"relation": "Saudara"}),
    "cases:recusal_review": Entry(recusal, methods=("POST",), post={"outcome": "dismissed", "reason": "x"}),
    "cases:recusal_override": Entry(recusal, methods=("POST",), post=REASON),
    "cases:appointment_revoke": Entry(appointment, methods=("POST",), post=REASON),
    # Programmes are the unit's figures (the auditor reads them); the ledger rows name households.
    "budgets:programme": Entry(programme_pk, outsiders=BUDGET_OUTSIDERS),
    "budgets:source_new": Entry(programme_pk, outsiders=BUDGET_OUTSIDERS, post={"kind": "apbd", "name": "x"}),
    "budgets:entry_new": Entry(programme_pk, outsiders=BUDGET_OUTSIDERS, post={"kind": "payment", "amount": "1"}),
    "budgets:revision_new": Entry(source_pk, outsiders=BUDGET_OUTSIDERS, post={"amount": "1", "reason": "x"}),
    "budgets:entry": Entry(ledger_entry_pk),
    "budgets:entry_proof": Entry(ledger_entry_pk),
    "budgets:entry_reverse": Entry(ledger_entry_pk, post=REASON),
    "budget-detail": Entry(programme_pk, methods=("GET",), api=True, outsiders=BUDGET_OUTSIDERS),
    "ledger-detail": Entry(ledger_entry_pk, methods=("GET",), api=True),
    "ledger-reverse": Entry(ledger_entry_pk, methods=("POST",), api=True, post={"reason": "x"}),
    # A month is the whole kabupaten's (every reader opens it, its rows cut to the reader's area); a
    # desa's list and its downloads are the desa's: the auditor reads them without a household.
    "raskin:month_detail": Entry(raskin_month, shell=True),
    "raskin:desa_detail": Entry(raskin_month, shell=True),
    "raskin:desa_pdf": Entry(raskin_month, shell=True),
    "raskin:desa_xlsx": Entry(raskin_month, shell=True),
    "raskin:handover": Entry(raskin_month, methods=("POST",), post=HANDOVER_FORM),
    "raskin:correct": Entry(raskin_handover, methods=("POST",), post=REASON),
    "queue-items": Entry(queue_of_the_application, methods=("GET",), api=True, shell=True),
    "household-detail": Entry(household_pk, methods=("GET", *UNSAFE), api=True, post={"address": "Diubah"}),
    "person-detail": Entry(head_pk, methods=("GET", *UNSAFE), api=True, post={"name": "Diubah Orang Luar"}),
    "track": Entry(application_number, methods=("GET",), api=True, outsiders=(*DEFAULT_OUTSIDERS, *UNIT_ROLES)),
}

EXEMPT = {
    "service-estimate": "the public catalogue: a service code, the same answer for everyone",
    "api-root": "the API's index: a format suffix, no object",
    "household-list": "a list filtered by area (a format suffix only); tests/api covers its scoping",
    "household-search": "a search filtered by area (a format suffix only); tests/api covers its scoping",
    "person-list": "a list filtered by area (a format suffix only); tests/api covers its scoping",
}
EXEMPT_PREFIXES = {
    "admin:": "the Django admin: superusers only (test_the_admin_turns_every_other_persona_away)",
}


def parameterised_patterns(patterns=None, namespace="", prefix_params=()):
    """(name, parameter names) of every URL pattern that takes a parameter."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        params = (*prefix_params, *_params(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from parameterised_patterns(pattern.url_patterns, inner, params)
        elif isinstance(pattern, URLPattern) and params:
            yield f"{namespace}{pattern.name or ''}", params


def _params(route) -> tuple:
    if getattr(route, "converters", None):
        return tuple(route.converters)
    return tuple(re.compile(str(route._regex)).groupindex) if hasattr(route, "_regex") else ()


def is_exempt(name: str) -> bool:
    return name in EXEMPT or any(name.startswith(prefix) for prefix in EXEMPT_PREFIXES)


def test_every_url_with_a_parameter_is_in_the_matrix():
    names = {name for name, _params in parameterised_patterns()}
    missing = sorted(name for name in names if name not in MATRIX and not is_exempt(name))
    assert missing == [], f"URL patterns with a parameter and no entry in MATRIX or EXEMPT: {missing}"


def fingerprint() -> str:
    """A digest of every row that a request could change (its own audit and session rows aside)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in UNFINGERPRINTED_APPS or model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        digest.update(model._meta.db_table.encode())
        for row in model._default_manager.order_by("pk").values_list(*columns):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def urls_for(name: str, kwargs: dict) -> list[str]:
    """The URL of every pattern of `name` (with and without a format suffix)."""
    found = []
    for pattern_name, params in parameterised_patterns():
        if pattern_name != name:
            continue
        values = {key: kwargs[key] for key in params if key in kwargs}
        if "format" in params:
            values["format"] = "json"
        url = reverse(name, kwargs=values)
        if url not in found:
            found.append(url)
    return found


def forged(token: str) -> str:
    return token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")


def body_of(response) -> str:
    """The answer's text; of a PDF or XLSX download, the text a reader of the file sees."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if response.status_code == 200 and kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if response.status_code == 200 and kind.startswith(XLSX_TYPE):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return content.decode("utf-8", "replace")


def call(client, method, url, entry):
    if entry.api:
        return client.generic(method, url, json.dumps(entry.post), content_type="application/json")
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, _urlencode(entry.post), content_type="application/x-www-form-urlencoded")


def _urlencode(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


@pytest.fixture
def world(request, operator_keden, outsiders):
    return World(request)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_object_of_desa_a_neither_leaks_nor_changes_for_an_outsider(name, world, outsiders):
    entry = MATRIX[name]
    target = entry.build(world)
    kwargs = dict(target.kwargs)
    if entry.bearer:
        kwargs[entry.bearer] = forged(kwargs[entry.bearer])
    urls = urls_for(name, kwargs)
    if not urls:
        pytest.skip(f"no URL pattern named {name}")
    leaks, writes = [], []
    for persona in entry.outsiders:
        user = outsiders[persona]
        client = Client(raise_request_exception=True)
        if user is not None:
            client.force_login(user)
        for url in urls:
            for method in entry.methods:
                before = fingerprint() if method in UNSAFE else None
                response = call(client, method, url, entry)
                status = response.status_code
                body = body_of(response)
                shown = [marker for marker in target.markers if marker and marker in body]
                if method == "GET":
                    refused = status in ALLOWED_GET or (
                        status == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
                    )
                    if shown or not (refused or (entry.shell and status == 200)):
                        leaks.append((persona, method, url, status, shown))
                else:
                    if fingerprint() != before or status >= 500 or shown:
                        writes.append((persona, method, url, status, shown))
    assert leaks == [], leaks
    assert writes == [], writes


def test_the_admin_turns_every_other_persona_away(world, outsiders):
    from satupintu.accounts.models import User

    url = reverse("admin:accounts_user_change", args=[User.objects.get(username="kepala").pk])
    for persona, user in outsiders.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], persona
