"""Every page and endpoint that shows a full NIK or KK number records the read in the audit log.

The test walks every URL pattern of the site with the pks, numbers and tokens of a small registry
(a household, an application, a letter, a complaint), as an admin who may open everything, and for
each answer that contains one of the registry's full NIKs or KK numbers asserts that the request
wrote an audit row of a read (action VIEW).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from satupintu.accounts.models import Role
from satupintu.api import tokens
from satupintu.audit.models import Action, AuditLog
from satupintu.complaints.models import Complaint
from satupintu.documents import actions as documents
from satupintu.registry.models import Household, KKNumber, Person
from tests.conftest import apply_for, make_user

CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
SKIPPED = {"/keluar/", "/bahasa/", "/healthz"}


def routes(patterns=None, prefix=""):
    """Every route of the site as a path template, e.g. `/rumah-tangga/<int:pk>/ubah/`."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):  # a regular expression (the admin's app index): no parameter to fill
            route = route.strip("^$").replace("\\", "")
            if "(" in route:
                continue
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


def concrete(template: str, ints: list[str], strings: list[str]):
    """The paths of `template` with each converter filled by every candidate of its kind."""
    match = CONVERTER.search(template)
    if match is None:
        yield template
        return
    candidates = ints if match.group(1) == "int" else ints + strings
    for value in candidates:
        yield from concrete(template[: match.start()] + value + template[match.end() :], ints, strings)


@pytest.fixture
def registry(keden_household, agencies_loaded, petugas, kepala):
    admin = make_user("admin", Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    application, _pin = apply_for(petugas, keden_household)
    letter = documents.document_issue_letter(
        actor=kepala, service_code="rujukan-jamkesda", subject_household=keden_household
    )
    return admin, application, letter


@pytest.fixture
def agencies_loaded(db):
    from satupintu.accounts.reference import ensure_agencies

    ensure_agencies()


def test_every_answer_that_shows_a_full_nik_or_kk_number_is_an_audited_read(client, registry):
    admin, application, letter = registry
    client.force_login(admin)
    token = tokens.issue(admin)[1]
    identifiers = {*Person.objects.exclude(nik="").values_list("nik", flat=True)}
    identifiers |= {*Household.objects.values_list("kk_number", flat=True)}
    identifiers |= {*KKNumber.objects.values_list("number", flat=True)}
    ints = sorted(
        {
            str(pk)
            for pk in [
                *Household.objects.values_list("pk", flat=True),
                *Person.objects.values_list("pk", flat=True),
                application.pk,
                letter.pk,
                admin.pk,
            ]
        }
    )
    strings = [application.number, letter.token, *Complaint.objects.values_list("number", flat=True)]
    unaudited, showing = [], []
    for template in sorted(set(routes())):
        for path in concrete(template, ints, strings):
            if path in SKIPPED:
                continue
            before = AuditLog.objects.filter(action=Action.VIEW).count()
            response = (
                client.get(path, HTTP_AUTHORIZATION=f"Token {token}") if path.startswith("/api/") else client.get(path)
            )
            if response.status_code != 200 or response.streaming:
                continue
            if not response.get("Content-Type", "").startswith(("text/", "application/json")):
                continue
            body = response.content.decode()
            if any(identifier in body for identifier in identifiers):
                showing.append(path)
                if AuditLog.objects.filter(action=Action.VIEW).count() == before:
                    unaudited.append(path)
    # The walk reached the pages that show them: the household's detail and edit form at least.
    household = application.household_id
    assert {f"/rumah-tangga/{household}/", f"/rumah-tangga/{household}/ubah/"} <= set(showing), showing
    assert unaudited == [], unaudited
