"""The main pages run under the strict Content Security Policy with nothing refused, and the
behaviour moved out of inline handlers (language switch, print button) still works."""

import pytest

from satupintu.accounts.models import Role, User
from satupintu.regions.models import Region
from tests.conftest import KEDEN, apply_for, household_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
window.print = () => { window.__printed = true; };
"""


def test_the_main_pages_break_no_rule_of_the_content_security_policy(page, regions):
    petugas = User.objects.create_user(
        username="petugas", password="Rahasia-123!", role=Role.PETUGAS_LAYANAN, region=None
    )
    User.objects.create_user(
        username="op.keden", password="Rahasia-123!", role=Role.OPERATOR_DESA, region=Region.objects.get(code=KEDEN)
    )
    household = household_in(KEDEN, "Sutrisno Wibowo")
    application, _pin = apply_for(petugas, household)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    violations = []

    def visit(path):
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        violations.extend(f"{path}: {v}" for v in page.evaluate("window.__violations"))

    for path in ["/transparansi/", "/layanan/", "/lacak/", "/pengaduan/", "/survei/", "/masuk/"]:
        visit(path)
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")
    for path in [
        "/", "/rumah-tangga/", f"/rumah-tangga/{household.pk}/", f"/rumah-tangga/{household.pk}/ubah/",
        f"/rumah-tangga/anggota/{household.head.pk}/ubah/", "/permohonan/", f"/permohonan/{application.number}/",
        f"/permohonan/{application.number}/tanda-terima/", "/dokumen/", "/impor/",
    ]:  # fmt: skip
        visit(path)

    visit(f"/permohonan/{application.number}/tanda-terima/")
    page.click("[data-print]")
    assert page.evaluate("window.__printed") is True
    with page.expect_navigation():  # the switch submits its form by itself (app.js)
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []
    assert [text for text in console if "Content Security Policy" in text] == []
