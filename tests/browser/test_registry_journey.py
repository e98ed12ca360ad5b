import pytest

from satupintu.accounts.models import Role, User
from satupintu.regions.models import Region
from tests.conftest import KEDEN, household_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_logs_in_searches_and_opens_a_household(page, regions):
    User.objects.create_user(
        username="op.keden", password="Rahasia-123!", role=Role.OPERATOR_DESA, region=Region.objects.get(code=KEDEN)
    )
    mine = household_in(KEDEN, "Sutrisno Wibowo")
    household_in("33.14.01.2002", "Sutrisno Lain")  # Trobayan: must not show up

    page.goto("/masuk/")
    page.fill("#id_username", "op.keden")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Rumah tangga").first.click()

    page.fill("#id_q", "Sutrisno")
    page.click("form.search button[type=submit]")
    rows = page.locator("table.table tbody tr")
    assert rows.count() == 1
    assert "cari=" in page.url and "Sutrisno" not in page.url

    rows.first.get_by_role("link", name=mine.reference).click()
    page.wait_for_url(f"**/rumah-tangga/{mine.pk}/")
    assert page.locator("h1").inner_text().startswith(mine.reference)
    assert page.get_by_text("Sumiyati").is_visible()
