import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from satupintu.accounts.models import Role, User
from satupintu.budgets import actions as budgets
from satupintu.budgets.models import SourceKind, Unit
from satupintu.catalogue.models import ServiceType
from satupintu.raskin import actions as raskin
from satupintu.raskin.models import Handover
from satupintu.regions.models import Region
from satupintu.registry.models import Death
from tests.conftest import KEDEN, household_in
from tests.raskin.conftest import approve_raskin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _month(kepala):
    year = timezone.localdate().year
    programme = budgets.create_programme(
        actor=kepala, service=ServiceType.objects.get(code="raskin"), fiscal_year=year, unit=Unit.KG, name="Raskin"
    )
    source = budgets.add_source(actor=kepala, programme=programme, kind=SourceKind.APBD, name="APBD")
    budgets.revise_ceiling(
        actor=kepala, source=source, amount=None, units=Decimal(500), valid_from=dt.date(year, 1, 1), reason="APBD"
    )
    month = timezone.localdate().month
    return raskin.open_month(actor=kepala, programme=programme, source=source, year=year, month=month)


def test_operator_records_a_death_and_hands_out_the_months_rice(page, regions):
    User.objects.create_user(
        username="op.keden", password="Rahasia-123!", role=Role.OPERATOR_DESA, region=Region.objects.get(code=KEDEN)
    )
    kepala = User.objects.create_user(username="kepala", password="Rahasia-123!", role=Role.KEPALA)
    household = household_in(KEDEN, "Sutrisno Wibowo")
    now = timezone.now()
    approve_raskin(household, when=now - dt.timedelta(days=1))
    month = _month(kepala)

    page.goto("/masuk/")
    page.fill("#id_username", "op.keden")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.goto(f"/rumah-tangga/{household.pk}/")
    page.locator("table.table tr", has_text="Sumiyati").get_by_role("link", name="Catat kematian").click()
    page.fill("#id_died_on", (timezone.localdate() - dt.timedelta(days=3)).isoformat())
    page.select_option("#id_source", "laporan_desa")
    page.fill("#id_reference", "474.3/12/2026")
    page.click("button[type=submit]")  # without the confirmation: the form asks for it
    assert not Death.objects.exists()
    page.check("#id_confirm")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/rumah-tangga/{household.pk}/")
    assert page.get_by_text("Kematian tercatat").is_visible()

    page.get_by_role("link", name="Raskin").first.click()
    page.get_by_role("link", name=month.label).click()
    page.get_by_role("link", name="Keden").click()
    item = page.locator("#recipients li", has_text=household.reference)
    item.locator("summary", has_text="Catat penyerahan").click()
    item.locator("input[name=thumbprint_note]").fill("Cap jempol kanan")
    item.get_by_role("button", name="Serahkan").click()
    page.wait_for_url(f"**/raskin/{month.pk}/desa/{KEDEN}/")
    assert page.locator("#recipients li", has_text=household.reference).get_by_text("Diterima").is_visible()
    assert Handover.objects.get().entry.units == Decimal(15)
