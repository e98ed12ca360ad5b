import pytest

from satupintu.complaints.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reports_a_bribe_anonymously_and_tracks_it(page, regions):
    page.goto("/pengaduan/")
    page.select_option("#id_category", "permintaan_imbalan")
    page.fill("#id_description", "Petugas meminta Rp100.000 agar berkas cepat selesai.")
    page.select_option("#id_kecamatan", "33.14.01")
    page.check("#id_anonymous")
    page.click("form.form-grid button[type=submit]")
    number = page.locator("#complaint-number").inner_text()
    pin = page.locator("#complaint-pin").inner_text()
    complaint = Complaint.objects.get(number=number)
    assert complaint.anonymous and complaint.sensitive and complaint.reporter_name == ""

    page.goto("/pengaduan/lacak/")
    page.fill("#id_number", number)
    page.fill("#id_pin", pin)
    page.click("form.form-grid button[type=submit]")
    assert "Diterima" in page.locator("#tracked").inner_text()
