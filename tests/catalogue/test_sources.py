"""Every source shown beside a parameter or a standard is true: a regulation known to state the
figure, or the assumption mark, which the pages show prominently."""

import re
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from satupintu import parameters
from satupintu.catalogue.models import ServiceStandard
from satupintu.targeting.run import run_targeting
from tests.conftest import KEDEN, apply_for, household_in, mark_poor

pytestmark = pytest.mark.django_db
# A citation by number, e.g. "Permensos 15/2018", "Perbup Sragen 2/2012".
REGULATION = re.compile(r"\b(UU|PP|Perpres|Inpres|Permen\w*|Kepmen\w*|Perbup \w+|SK \w+) \d+/\d{4}\b")
MARK = '<strong class="warn assumption">asumsi — ganti dengan Perbup/SK yang berlaku</strong>'


def cites_a_regulation_or_is_marked(source: str) -> bool:
    return parameters.is_assumption(source) or bool(REGULATION.search(source))


@pytest.mark.parametrize("name", sorted(parameters.NAMES))
def test_every_parameter_cites_a_regulation_or_carries_the_assumption_mark(name):
    for value in parameters.history(name):
        assert "Sutikno" not in value.source
        assert cites_a_regulation_or_is_marked(value.source), value.source


def test_the_scholarship_and_sangduta_figures_are_marked_as_assumptions():
    for name in ("beasiswa_amount", "beasiswa_ipk_min", "beasiswa_window", "sangduta_amount"):
        assert parameters.history(name)[0].assumption


def test_every_reference_standard_cites_a_regulation_or_carries_the_assumption_mark():
    sources = set(ServiceStandard.objects.values_list("legal_source", flat=True))
    assert sources and all("Sutikno" not in source and cites_a_regulation_or_is_marked(source) for source in sources)


def test_the_migration_corrects_only_the_source_text_of_standards_already_loaded():
    migration = import_module("satupintu.catalogue.migrations.0005_standard_sources_marked_as_assumptions")
    before = MigrationExecutor(connection).loader.project_state(
        ("catalogue", "0004_protect_standards_from_service_deletion")
    )
    Standard = before.apps.get_model("catalogue", "ServiceStandard")  # noqa: N806 - a model class
    old_table3, old_immediate = migration.CORRECTIONS
    Standard.objects.exclude(kind="immediate").update(legal_source=old_table3)
    Standard.objects.filter(kind="immediate").update(legal_source=old_immediate)
    Standard.objects.filter(service__code="raskin").update(legal_source="SK Kepala UPT-PK 1/2026 (admin)")
    facts = list(Standard.objects.order_by("pk").values_list("pk", "kind", "days", "minutes", "valid_from"))
    migration.correct_sources(before.apps, None)
    assert list(Standard.objects.order_by("pk").values_list("pk", "kind", "days", "minutes", "valid_from")) == facts
    sources = dict(Standard.objects.values_list("service__code", "legal_source"))
    assert sources.pop("raskin") == "SK Kepala UPT-PK 1/2026 (admin)"
    assert set(sources.values()) == set(migration.CORRECTIONS.values())
    assert all(parameters.is_assumption(source) for source in sources.values())


def test_the_service_charter_shows_the_assumption_mark(client):
    html = client.get(reverse("cases:maklumat")).content.decode()
    assert html.count(MARK) == 14 and "Sutikno" not in html


def test_the_case_page_shows_the_standards_source_with_the_assumption_mark(client, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household, "beasiswa-prestasi", details={"ipk": "3.40", "ptn": True})
    client.force_login(petugas)
    html = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert MARK + " (standar pelayanan UPT-PK Sragen)" in html


def test_the_targeting_run_page_shows_the_assumption_mark_beside_each_parameter(client, regions, kepala):
    mark_poor(household_in(KEDEN))
    run = run_targeting()
    client.force_login(kepala)
    html = client.get(reverse("targeting:run_detail", args=[run.pk])).content.decode()
    assert html.count(MARK) == len(run.parameters) and "Sutikno" not in html
