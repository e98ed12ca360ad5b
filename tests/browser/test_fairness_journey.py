import datetime as dt

import pytest

from satupintu.accounts.models import Role, User
from satupintu.cases.actions import application_transition
from satupintu.cases.models import Application, VerifierAppointment
from satupintu.regions.models import Region
from tests.browser.test_case_journey import PASSWORD, login
from tests.conftest import KEDEN, TROBAYAN, apply_for, household_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kasi_appoints_a_desa_operator_who_verifies_then_a_recused_kasi_is_refused(
    page, chromium, live_server, regions
):
    def user(username, role, region=None):
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            role=role,
            region=Region.objects.get(code=region) if region else None,
            first_name=username.title(),
        )

    user("kasi", Role.KASI)
    petugas = user("petugas", Role.PETUGAS_LAYANAN)
    operator = user("op.trobayan", Role.OPERATOR_DESA, TROBAYAN)
    application, _pin = apply_for(petugas, household_in(KEDEN, "Sutrisno Wibowo"), "kartu-sintawati")
    application = application_transition(actor=petugas, application=application, name="accept_documents")

    # 1. The kasi appoints the Trobayan operator to verify the Keden cases for a month.
    login(page, "kasi")
    page.goto("/permohonan/penunjukan/")
    page.select_option("#id_appointee", label="Op.Trobayan · Operator desa/kelurahan")
    page.select_option("#id_desa", value=KEDEN)
    page.fill("#id_valid_from", dt.date.today().isoformat())
    page.fill("#id_valid_until", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.fill("#id_reason", "Verifikator cuti; operator Trobayan mengenal Keden")
    page.click("#appointment-form button[type=submit]")
    page.locator("#appointments-table").get_by_text("Verifikator cuti").wait_for()
    assert VerifierAppointment.objects.get().appointee == operator

    # 2. The petugas assigns the verification to the appointee (the list offers them).
    application = application_transition(
        actor=petugas, application=application, name="start_verification", data={"verifier": operator}
    )

    # 3. The appointee finds the case on the appointment page and records the verification.
    operator_context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    operator_page = operator_context.new_page()
    login(operator_page, "op.trobayan")
    operator_page.goto("/permohonan/penunjukan/")
    operator_page.locator("#appointed-work").get_by_role("link", name=application.number).click()
    form = operator_page.locator("#act-record_verification")
    form.locator("select[name=recommendation]").select_option("miskin")
    form.locator("textarea[name=findings]").fill("Lantai tanah, dinding bambu")
    form.locator("button[type=submit]").click()
    operator_page.locator("#status").get_by_text("Persetujuan kasi").wait_for()
    operator_context.close()
    assert Application.objects.get(pk=application.pk).status == "kasi_approval"

    # 4. The kasi declares a relation to the applicant and is then refused, with the reason.
    page.goto(f"/permohonan/{application.number}/")
    page.fill("#recusal-relation", "adik ipar")
    page.click("#declare-recusal button[type=submit]")
    page.locator("#recused").wait_for()
    page.click("#act-kasi_approve button[type=submit]")
    page.get_by_text("Anda menyatakan hubungan keluarga dengan pemohon (adik ipar)").first.wait_for()
    assert Application.objects.get(pk=application.pk).status == "kasi_approval"
    assert "Selesai dalam" not in page.content() and page.locator("#fast-path-clock").count() == 1
