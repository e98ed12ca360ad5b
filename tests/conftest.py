"""Personas: one user per role and area, over a small Sragen registry."""

import datetime as dt

import pytest

from satupintu.accounts.models import Agency, Role, User
from satupintu.lib.nik import FEMALE, MALE, make_kk, make_nik
from satupintu.regions.loader import SRAGEN_CSV, load_regions
from satupintu.regions.models import Region
from satupintu.registry import actions
from satupintu.registry.models import Household

KEDEN = "33.14.01.2001"
TROBAYAN = "33.14.01.2002"
KALIJAMBE = "33.14.01"
GEMOLONG_DESA = "33.14.13.2001"


@pytest.fixture
def regions(db):
    load_regions(SRAGEN_CSV, kabupaten_name="Sragen")
    return Region.objects.in_bulk([KEDEN, TROBAYAN, KALIJAMBE])


def make_user(username, role, region_code=None, agency=None):
    user = User.objects.create_user(
        username=username,
        password="Rahasia-123!",
        role=role,
        region=Region.objects.get(code=region_code) if region_code else None,
        agency=agency,
        first_name=username.title(),
    )
    return user


@pytest.fixture
def operator_keden(regions):
    return make_user("op.keden", Role.OPERATOR_DESA, KEDEN)


@pytest.fixture
def operator_trobayan(regions):
    return make_user("op.trobayan", Role.OPERATOR_DESA, TROBAYAN)


@pytest.fixture
def operator_kalijambe(regions):
    return make_user("op.kalijambe", Role.OPERATOR_KECAMATAN, KALIJAMBE)


@pytest.fixture
def kepala(regions):
    return make_user("kepala", Role.KEPALA)


@pytest.fixture
def petugas(regions):
    return make_user("petugas", Role.PETUGAS_LAYANAN)


@pytest.fixture
def auditor(regions):
    return make_user("auditor", Role.AUDITOR)


@pytest.fixture
def mitra(regions):
    agency, _created = Agency.objects.get_or_create(
        code="rsud-soehadi", defaults={"name": "RSUD dr. Soehadi Prijonegoro"}
    )
    return make_user("mitra.rsud", Role.MITRA, agency=agency)


# From 1000 up: the hand-written rows of the import tests use serials 0001–0099, which must not collide.
_serial = iter(range(1000, 9999))


def household_in(desa_code, head_name="Sutrisno", *, members=2, actor=None):
    """A household with a head (and a spouse when members >= 2), valid NIK and KK numbers."""
    desa = Region.objects.get(code=desa_code)
    region6 = desa.nik_prefix
    serial = next(_serial)
    household = actions.household_create(
        actor=actor,
        data={
            "kk_number": make_kk(region6, dt.date(2019, 3, 4), serial),
            "desa": desa,
            "address": "Dukuh Krajan",
            "rt": "002",
            "rw": "001",
        },
    )
    people = [(head_name, MALE, dt.date(1975, 5, 12), "kepala")]
    if members >= 2:
        people.append(("Sumiyati", FEMALE, dt.date(1979, 8, 21), "pasangan"))
    for name, sex, birth, relationship in people:
        actions.person_add(
            actor=actor,
            household=household,
            data={
                "nik": make_nik(region6, birth, sex, serial),
                "name": name,
                "sex": sex,
                "birth_place": "Sragen",
                "birth_date": birth,
                "relationship": relationship,
                "marital_status": "kawin",
                "education": "sd",
            },
        )
    return Household.objects.get(pk=household.pk)


@pytest.fixture
def keden_household(regions):
    return household_in(KEDEN, "Sutrisno Wibowo")


@pytest.fixture
def trobayan_household(regions):
    return household_in(TROBAYAN, "Paimin Santoso")


# --- The one-stop core (catalogue, cases) ---


@pytest.fixture
def kasi(regions):
    return make_user("kasi", Role.KASI)


@pytest.fixture
def verifikator(regions):
    return make_user("verifikator", Role.VERIFIKATOR)


def mark_poor(household, desil=2):
    """Record the household as poor in the national database (DTSEN)."""
    actions.assessment_record(
        actor=None, household=household, method="dtsen", desil=desil, assessed_on=dt.date(2026, 1, 5), source="DTSEN"
    )
    return household


def apply_for(actor, household, service="kartu-saraswati", *, all_documents=True, details=None):
    """An application by `actor` for the head of `household`, returning (application, pin)."""
    from satupintu.cases.actions import application_create
    from satupintu.catalogue.models import ServiceType

    service = ServiceType.objects.get(code=service)
    present = [r.pk for r in service.requirements.all()] if all_documents else []
    return application_create(
        actor=actor, service=service, applicant=household.head, present_ids=present, details=details or {}
    )


@pytest.fixture(autouse=True)
def _fresh_parameter_values():
    """Each test reads the dated parameter values of its own database, not a copy cached by an earlier
    test in this process (the cache lives a minute)."""
    from satupintu import parameters

    parameters.clear_cache()
    yield
    parameters.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_public_pages():
    """Each test renders the public pages, reads the versions and compiles the list statements of its
    own database, not what an earlier test kept."""
    from satupintu.lib import compiled, page_cache, versioned_cache

    page_cache.forget()
    versioned_cache.forget_local()
    compiled.forget()
    yield
    page_cache.forget()
    versioned_cache.forget_local()
    compiled.forget()


@pytest.fixture(autouse=True)
def _imports_media(settings, tmp_path):
    """Uploaded import files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
