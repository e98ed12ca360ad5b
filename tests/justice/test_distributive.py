"""The equity audit's distributive criterion: money and goods per poor household per kecamatan from
the budgets ledger (reversals netted), their Gini, and a kecamatan planted to receive far less than its
share of the poor households flagged; the allocation rounds' deviations listed beside it."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from satupintu.budgets import actions as budgets
from satupintu.budgets.models import EntryKind, SourceKind, Unit
from satupintu.catalogue.models import ServiceType
from satupintu.justice import distributive
from satupintu.justice.documents import equity_file, equity_tables
from satupintu.justice.extract import Period
from satupintu.justice.report import build
from satupintu.lib.equity import share_departure
from tests.conftest import GEMOLONG_DESA, KEDEN, household_in, mark_poor

pytestmark = pytest.mark.django_db
KARANGWARU = "33.14.02.2001"
PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_an_area_far_below_its_share_is_flagged_and_one_near_it_is_not():
    rows = {r.area: r for r in share_departure({"a": (15, 15), "b": (15, 15), "c": (1, 15)})}
    assert rows["c"].flagged and rows["c"].ratio < 0.5 and rows["c"].p_value < 0.01 / 3
    assert not rows["a"].flagged and rows["a"].expected == pytest.approx(31 / 3)


def test_a_small_shortfall_is_not_flagged_by_chance():
    rows = {r.area: r for r in share_departure({"a": (3, 4), "b": (1, 4)})}
    assert not any(r.flagged for r in rows.values())


@pytest.fixture
def santunan(kepala):
    programme = budgets.create_programme(
        actor=kepala, service=ServiceType.objects.get(code="santunan-duka"), fiscal_year=2026, unit=Unit.RUPIAH,
        name="Sangduta",
    )  # fmt: skip
    source = budgets.add_source(actor=kepala, programme=programme, kind=SourceKind.APBD, name="APBD")
    budgets.revise_ceiling(
        actor=kepala, source=source, amount=Decimal(10**9), units=None, valid_from=dt.date(2026, 1, 1), reason="APBD"
    )
    return source


def _pay(petugas, source, household):
    return budgets.record_entry(
        actor=petugas, programme=source.programme, source=source, household=household, kind=EntryKind.PAYMENT,
        on=dt.date(2026, 5, 4), amount=Decimal(500_000), method="tunai", recipient_name=household.head.name,
    )  # fmt: skip


@pytest.fixture
def planted(regions, petugas, santunan):
    """15 poor households in each of three kecamatan; Kalijambe and Gemolong all paid, Plupuh one."""
    paid = {}
    for code, n_paid in ((KEDEN, 15), (GEMOLONG_DESA, 15), (KARANGWARU, 1)):
        households = [mark_poor(household_in(code, f"Warga {code[-4:]} {i}", members=1)) for i in range(15)]
        paid[code] = [_pay(petugas, santunan, h) for h in households[:n_paid]]
    return paid


def test_the_planted_kecamatan_is_flagged_with_rupiah_per_poor_household_and_gini(planted, kepala, petugas):
    budgets.reverse_entry(actor=petugas, entry=planted[KEDEN][0], reason="Salah penerima")
    result = distributive.build(PERIOD, {KEDEN: 15, GEMOLONG_DESA: 15, KARANGWARU: 15})
    rows = {r["code"]: r for r in result["rows"]}
    kalijambe, plupuh = rows["33.14.01"], rows["33.14.02"]
    assert kalijambe["reached"] == 14 and kalijambe["rupiah"] == Decimal(14 * 500_000)
    assert kalijambe["rupiah_per_poor"] == Decimal(14 * 500_000) / 15
    assert plupuh["flagged"] and plupuh["reached"] == 1 and not kalijambe["flagged"]
    assert result["flagged"] == [plupuh["name"]]
    assert 0.2 < result["gini_rupiah"] < 0.4
    assert result["total_rupiah"] == Decimal(30 * 500_000)


def test_the_equity_report_and_its_files_carry_the_criterion(planted):
    report = build(PERIOD)
    assert any(f.startswith("Distributif:") and "jauh di bawah" in f for f in report.findings)
    names = [name for name, _header, _rows in equity_tables(report)]
    assert "Distributif per RT miskin" in names
    filename, content = equity_file(report, "pdf")
    assert filename.endswith(".pdf") and content.startswith(b"%PDF")
    _filename, content = equity_file(report, "xlsx")
    sheet = load_workbook(io.BytesIO(content))["Distributif per RT miskin"]
    flagged = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[-1] == "ya"]
    assert [row[0] for row in flagged] == ["Plupuh"]


def test_the_equity_page_shows_the_distributive_table(client, kepala, planted):
    client.force_login(kepala)
    page = client.get("/laporan/keadilan/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert page.status_code == 200
    assert 'id="distributive-table"' in page.content.decode()
