"""Every source shown beside a parameter or a standard is true: a regulation or a document known to
state the figure, or the assumption mark, which the pages show prominently."""

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
TABLE3 = "Standar pelayanan UPT-PK Sragen (Sutikno & Pribadi 2023, Tabel 3)"
# Table 3 of the paper, as the domain brief (§3) lists it: (kind, working days).
TABLE3_PERIODS = {
    "kartu-saraswati": ("working_days", 7), "rujukan-jamkesda": ("working_days", 3),
    "kartu-sintawati": ("working_days", 7), "beasiswa-prestasi": ("fiscal_year", None),
    "rekomendasi-ppa-pkh": ("working_days", 3), "biaya-pendidikan-nonformal": ("working_days", 3),
    "biaya-pendidikan-siswa": ("working_days", 3), "santunan-duka": ("fiscal_year", None),
    "rtlh-apbd": ("fiscal_year", None), "rtlh-csr": ("working_days", 7), "raskin": ("fiscal_year", None),
    "kursi-roda": ("none", None),
}  # fmt: skip


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


def test_every_reference_standard_cites_table_3_with_its_period_or_carries_the_assumption_mark():
    standards = ServiceStandard.objects.values_list("service__code", "kind", "days", "legal_source")
    cited = {code: (kind, days) for code, kind, days, source in standards if source == TABLE3}
    assert cited == TABLE3_PERIODS
    others = [(code, source) for code, _kind, _days, source in standards if code not in TABLE3_PERIODS]
    assert {code for code, _source in others} == {"klinik-saraswati", "ambulans-gratis"}
    assert all(parameters.is_assumption(source) for _code, source in others)


def test_the_migration_corrects_only_the_source_text_of_standards_already_loaded():
    migration = import_module("satupintu.catalogue.migrations.0005_standard_sources_marked_as_assumptions")
    before = MigrationExecutor(connection).loader.project_state(
        ("catalogue", "0004_protect_standards_from_service_deletion")
    )
    Standard = before.apps.get_model("catalogue", "ServiceStandard")  # noqa: N806 - a model class
    [old_immediate] = migration.CORRECTIONS
    Standard.objects.exclude(kind="immediate").update(legal_source=TABLE3)
    Standard.objects.filter(kind="immediate").update(legal_source=old_immediate)
    Standard.objects.filter(service__code="raskin").update(legal_source="SK Kepala UPT-PK 1/2026 (admin)")
    facts = list(Standard.objects.order_by("pk").values_list("pk", "kind", "days", "minutes", "valid_from"))
    migration.correct_sources(before.apps, None)
    assert list(Standard.objects.order_by("pk").values_list("pk", "kind", "days", "minutes", "valid_from")) == facts
    sources = dict(Standard.objects.values_list("service__code", "legal_source"))
    assert sources.pop("raskin") == "SK Kepala UPT-PK 1/2026 (admin)"
    immediate = {sources.pop("klinik-saraswati"), sources.pop("ambulans-gratis")}
    assert immediate == set(migration.CORRECTIONS.values()) and parameters.is_assumption(immediate.pop())
    assert set(sources.values()) == {TABLE3}


def test_the_service_charter_shows_each_standards_source_and_the_assumption_mark(client):
    html = client.get(reverse("cases:maklumat")).content.decode()
    assert html.count(MARK) == 2 and html.count(TABLE3.replace("&", "&amp;")) == 12


def test_the_case_page_shows_the_standards_source(client, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household, "beasiswa-prestasi", details={"ipk": "3.40", "ptn": True})
    client.force_login(petugas)
    html = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert TABLE3.replace("&", "&amp;") in html


def test_the_targeting_run_page_shows_the_assumption_mark_beside_each_parameter(client, regions, kepala):
    mark_poor(household_in(KEDEN))
    run = run_targeting()
    client.force_login(kepala)
    html = client.get(reverse("targeting:run_detail", args=[run.pk])).content.decode()
    assert html.count(MARK) == len(run.parameters) and "Sutikno" not in html
