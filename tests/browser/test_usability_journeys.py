"""Each role's main task in real Chromium. On every page visited: no horizontal overflow at a phone's
390 px, and axe-core (the copy bundled with the test dependency axe-playwright-python, not a CDN)
finds no serious or critical violation."""

import datetime as dt
import re
from pathlib import Path

import pytest

from satupintu.accounts.models import Agency, Role, User
from satupintu.cases.actions import application_transition
from satupintu.cases.models import Application
from satupintu.lib.nik import FEMALE, MALE, make_kk, make_nik
from satupintu.regions.models import Region
from tests.conftest import KEDEN, apply_for, household_in, mark_poor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rahasia-123!"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


WIDE_ELEMENTS = """() => [...document.querySelectorAll('main *')]
  .filter(el => !el.closest('.table-wrap'))
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40))"""


def assert_usable(page):
    """No sideways scrolling at 390 px and no serious or critical axe violation, at the page's own size."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width}px wide at 390px: {page.evaluate(WIDE_ELEMENTS)}"
    page.set_viewport_size(size)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())  # evaluated from Playwright's side: the page's CSP does not apply
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    assert violations == [], f"{page.url}: {violations}"


def user(username, role, region=None, **extra):
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        region=Region.objects.get(code=region) if region else None,
        first_name=username.title(),
        **extra,
    )


def open_page(chromium, live_server, viewport=DESKTOP):
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def login(page, username):
    page.goto("/masuk/")
    assert_usable(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    assert_usable(page)  # the role's home


def test_a_citizen_tracks_a_request_files_a_complaint_and_checks_a_letter(
    page, regions, live_server, settings, tmp_path
):
    from satupintu.documents import actions as documents
    from tests.documents.conftest import qr_path

    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    petugas = user("petugas", Role.PETUGAS_LAYANAN)
    household = mark_poor(household_in(KEDEN, "Sutrisno Wibowo"))
    application, pin = apply_for(petugas, household)
    card = documents.document_issue_card(actor=petugas, kind="saraswati", household=household, tier="menur")

    page.set_viewport_size(PHONE)
    page.goto("/")
    assert_usable(page)
    page.fill("#home-track-form #id_number", application.number)
    page.fill("#home-track-form #id_pin", pin)
    page.get_by_role("button", name="Lacak permohonan").click()
    assert page.locator("#track-status").inner_text() == "Diterima, pemeriksaan berkas"
    assert_usable(page)

    page.goto("/")
    page.get_by_role("link", name="Sampaikan pengaduan").click()
    assert_usable(page)
    page.select_option("#id_category", "penundaan_berlarut")
    page.fill("#id_description", "Berkas saya belum diperiksa sejak dua minggu.")
    page.select_option("#id_kecamatan", "33.14.01")
    page.check("#id_anonymous")
    assert page.locator("#id_reporter_name").is_hidden()  # anonymous: no name or phone asked
    page.click("form.form-grid button[type=submit]")
    assert re.fullmatch(r"\d{8}", page.locator("#complaint-pin").inner_text().strip())
    assert_usable(page)

    page.goto(qr_path(card.qr_text))
    assert "SAH" in page.locator(".verify-status").inner_text()
    assert "nama" in page.locator(".verify").inner_text().lower()
    assert_usable(page)


def test_the_desa_operator_registers_a_household_on_a_phone_then_files_its_request_in_three_steps(
    chromium, regions, live_server
):
    user("op.keden", Role.OPERATOR_DESA, KEDEN)
    region6 = Region.objects.get(code=KEDEN).nik_prefix
    kk = make_kk(region6, dt.date(2026, 2, 4), 7)
    head_nik = make_nik(region6, dt.date(1975, 5, 12), MALE, 7)
    context, page = open_page(chromium, live_server, PHONE)
    login(page, "op.keden")
    page.get_by_role("link", name="Catat permohonan baru").click()
    page.fill("#id_q", "Wahyu Santoso")
    page.click("form.search button[type=submit]")
    assert "Tidak ditemukan" in page.locator("#intake-households").inner_text()
    assert_usable(page)

    page.get_by_role("link", name="Daftarkan rumah tangga di tempat").click()
    assert_usable(page)
    assert page.locator("#id_desa").input_value() == KEDEN  # the operator's own desa: nothing to choose
    assert "16 digit" in page.locator("#id_kk_number_helptext").inner_text()
    page.fill("#id_kk_number", kk)
    page.fill("#id_address", "Dukuh Ngrombo")
    page.fill("#id_rt", "003")
    page.fill("#id_rw", "002")
    page.fill("#id_floor_area_m2", "24")
    page.select_option("#id_floor_type", "tanah")
    page.select_option("#id_wall_type", "bambu")
    page.click("form.form-grid button[type=submit]")
    assert "terdaftar" in page.locator(".flash").first.inner_text()
    assert "24 m²" in page.content() and "Bambu/rumbia" in page.content()
    assert page.get_by_role("link", name="Catat permohonan", exact=True).count() == 0  # no member yet
    assert_usable(page)

    page.get_by_role("link", name="Tambah anggota").click()
    assert page.locator("#id_relationship").input_value() == "kepala"  # the first member of a new household
    for field, value in [
        ("#id_nik", head_nik), ("#id_name", "Wahyu Santoso"), ("#id_birth_place", "Sragen"),
        ("#id_birth_date", "1975-05-12"),
    ]:  # fmt: skip
        page.fill(field, value)
    page.select_option("#id_sex", FEMALE)  # disagrees with the NIK's birth day
    page.select_option("#id_marital_status", "kawin")
    page.select_option("#id_education", "sd")
    page.click("form.form-grid button[type=submit]")
    assert "NIK menunjukkan jenis kelamin laki-laki" in page.locator("#error-summary").inner_text()
    assert_usable(page)  # the form with its errors
    page.select_option("#id_sex", MALE)
    page.click("form.form-grid button[type=submit]")
    assert "Wahyu Santoso" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Tambah anggota").click()
    assert page.locator("#id_relationship").input_value() == ""  # the household has its head
    for field, value in [
        ("#id_nik", make_nik(region6, dt.date(1979, 8, 21), FEMALE, 7)), ("#id_name", "Wahyuni"),
        ("#id_birth_place", "Sragen"), ("#id_birth_date", "1979-08-21"),
    ]:  # fmt: skip
        page.fill(field, value)
    page.select_option("#id_sex", FEMALE)
    page.select_option("#id_relationship", "pasangan")
    page.select_option("#id_marital_status", "kawin")
    page.select_option("#id_education", "smp")
    page.click("form.form-grid button[type=submit]")
    members = page.locator("#members").inner_text()
    assert "Wahyuni" in members and "Perempuan" in members and "Laki-laki" in members  # words, not L/P codes
    household_page = page.url
    assert page.get_by_role("link", name="Catat permohonan", exact=True).is_visible()
    assert_usable(page)

    page.goto("/")
    page.get_by_role("link", name="Catat permohonan baru").click()
    assert "Langkah 1 dari 3" in page.locator(".wizard").inner_text()
    page.fill("#id_q", kk)
    page.click("form.search button[type=submit]")
    choose = page.get_by_role("link", name="Pilih")
    box = choose.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]  # the row's action in sight, not scrolled away
    assert_usable(page)
    choose.click()
    assert "Langkah 2 dari 3" in page.locator(".wizard").inner_text()
    assert "Wahyu Santoso" in page.locator("h1").inner_text()
    assert_usable(page)
    page.set_viewport_size(DESKTOP)  # the front desk's screen from here
    page.get_by_role("link", name=re.compile("Penerbitan Kartu Saraswati")).click()
    assert "Langkah 3 dari 3" in page.locator(".wizard").inner_text()
    assert page.locator("#id_applicant option").all_inner_texts()[-2:] == ["Wahyu Santoso", "Wahyuni"]
    assert_usable(page)
    for box in page.locator("#intake-form input[type=checkbox]").all():
        box.check()
    page.click("#intake-form button[type=submit]")
    assert re.fullmatch(r"\d{6}", page.locator("#receipt-pin").inner_text().strip())
    assert_usable(page)
    application = Application.objects.get()
    assert application.applicant.household.kk_number == kk
    page.goto(household_page)
    assert (
        page.get_by_role("link", name="Catat permohonan", exact=True)
        .get_attribute("href")
        .endswith(f"/permohonan/baru/{application.applicant.household_id}/")
    )
    page.goto("/")
    assert "1 dicatat oleh Anda" in page.locator("#home-intake").inner_text()
    context.close()


def test_the_front_desk_takes_a_request_through_to_the_issued_card(page, regions, live_server, settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    petugas, kepala = user("petugas", Role.PETUGAS_LAYANAN), user("kepala", Role.KEPALA)
    application, _pin = apply_for(petugas, mark_poor(household_in(KEDEN, "Sutrisno Wibowo")))
    login(page, "petugas")
    page.goto(f"/permohonan/{application.number}/")
    assert page.locator(".stepper li[aria-current=step]").inner_text().endswith("Pemeriksaan berkas")
    assert page.locator("#closing-actions").get_attribute("open") is None  # cancel/withdraw folded away
    assert_usable(page)
    page.click("#act-accept_documents button[type=submit]")
    page.click("#act-fast_track button[type=submit]")
    assert page.locator("#status").inner_text() == "Menunggu keputusan"
    application_transition(
        actor=kepala, application=Application.objects.get(pk=application.pk), name="approve",
        data={"reason": "Terdaftar miskin di DTSEN"},
    )  # fmt: skip
    page.reload()
    page.click("#act-issue button[type=submit]")
    assert page.locator("#status").inner_text() == "Diterbitkan"
    timeline = page.locator("#timeline").inner_text()
    assert "approved" not in timeline and "dari “Disetujui” ke “Diterbitkan”" in timeline
    assert_usable(page)


def test_the_verifier_records_a_visit_on_a_phone(chromium, regions, live_server):
    petugas, verifier = user("petugas", Role.PETUGAS_LAYANAN), user("verifikator", Role.VERIFIKATOR)
    application, _pin = apply_for(petugas, household_in(KEDEN, "Sutrisno Wibowo"))
    application = application_transition(actor=petugas, application=application, name="accept_documents")
    application_transition(
        actor=petugas, application=application, name="start_verification", data={"verifier": verifier}
    )
    context, page = open_page(chromium, live_server, PHONE)
    login(page, "verifikator")
    page.locator("#home-queues a.queue-card").first.click()
    page.get_by_role("link", name=application.number).click()
    assert_usable(page)
    form = page.locator("#act-record_verification")
    legend = form.locator("fieldset legend").first.inner_text()
    assert "BPS" in legend
    boxes = form.locator("fieldset input[type=checkbox]")
    first_label = form.locator("fieldset label.choice").first
    assert first_label.locator("input").count() == 1  # each box inside its own label, beside the text
    for index in range(9):
        boxes.nth(index).check()
    form.locator("select[name=method]").select_option("lapangan")
    form.locator("input[name=visit_date]").fill(dt.date.today().isoformat())
    form.locator("textarea[name=findings]").fill("Rumah berlantai tanah, dinding bambu.")
    form.locator("select[name=recommendation]").select_option("miskin")
    form.locator("button[type=submit]").click()
    assert page.locator("#status").inner_text() == "Menunggu persetujuan kasi"
    assert "9 dari 14" in page.content()
    assert_usable(page)
    context.close()


def test_the_kepala_decides_and_reads_the_equity_report(page, regions, live_server):
    petugas, _kepala = user("petugas", Role.PETUGAS_LAYANAN), user("kepala", Role.KEPALA)
    application, _pin = apply_for(petugas, mark_poor(household_in(KEDEN, "Sutrisno Wibowo")))
    for name in ("accept_documents", "fast_track"):
        application = application_transition(actor=petugas, application=application, name=name)
    login(page, "kepala")
    assert "Keputusan" in page.locator("#home-queues").inner_text()
    numbers = "[...document.querySelectorAll('#home-area td.num')].map(td => getComputedStyle(td).textAlign)"
    assert set(page.evaluate(numbers)) == {"right"}  # counts line up by their last digit
    page.locator("#home-queues a.queue-card").first.click()
    assert_usable(page)
    page.get_by_role("link", name=application.number).click()
    rules = page.locator("#rules").inner_text()
    assert "Rumah tangga tercatat miskin" in rules and "Data:" in rules
    page.fill("#act-approve textarea[name=reason]", "Terdaftar miskin di DTSEN")
    page.click("#act-approve button[type=submit]")
    assert page.locator("#status").inner_text() == "Disetujui"
    page.goto("/")
    page.get_by_role("link", name=re.compile("Keadilan layanan: apakah")).click()
    page.get_by_role("button", name="Tampilkan").click()
    assert_usable(page)
    assert not re.search(r"\d\.\d+e-\d+", page.content())  # no raw dot-decimal p-values


def test_the_partner_agency_accepts_a_referral(page, regions, live_server, settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "key.pem"
    agency, _created = Agency.objects.get_or_create(code="rsud-soehadi", defaults={"name": "RSUD dr. Soehadi"})
    petugas, kepala = user("petugas", Role.PETUGAS_LAYANAN), user("kepala", Role.KEPALA)
    user("mitra.rsud", Role.MITRA, agency=agency)
    application, _pin = apply_for(petugas, mark_poor(household_in(KEDEN, "Sutrisno Wibowo")))
    for actor, name, data in [
        (petugas, "accept_documents", {}),
        (petugas, "fast_track", {}),
        (kepala, "approve", {"reason": "Terdaftar miskin"}),
        (petugas, "refer", {"agency": agency, "note": "Mohon rawat inap kelas III"}),
    ]:
        application = application_transition(actor=actor, application=application, name=name, data=data)
    login(page, "mitra.rsud")
    assert "1" in page.locator("#home-referrals").inner_text()
    page.locator("#home-referrals").get_by_role("link", name=application.number).click()
    assert_usable(page)
    page.click("#act-acknowledge_referral button[type=submit]")
    assert "Terima rujukan: tersimpan" in page.locator(".flash").first.inner_text()
    assert_usable(page)
