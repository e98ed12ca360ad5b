"""Report pages: who may open them, downloads, traceability to a scoped case list, query counts."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from satupintu.cases.models import Application
from tests.conftest import KEDEN, TROBAYAN, household_in
from tests.ops.queue import queued_file

from .conftest import TANGEN, TODAY, history, make_application

pytestmark = pytest.mark.django_db
QUERY = {"start": "2025-11-20", "end": TODAY.isoformat()}


@pytest.fixture
def slow_history(staff_users):
    history(staff_users, slow=TANGEN)


def test_the_equity_report_is_for_unit_wide_readers(client, regions, kepala, auditor, operator_keden, mitra, petugas):
    assert client.get("/laporan/keadilan/").status_code == 302
    for user in (operator_keden, mitra, petugas):
        client.force_login(user)
        assert client.get("/laporan/keadilan/").status_code == 403
        assert client.get("/laporan/skm/").status_code == 403
    for user in (kepala, auditor):
        client.force_login(user)
        assert client.get("/laporan/keadilan/").status_code == 200
        assert client.get("/laporan/skm/").status_code == 200


def test_the_report_shows_the_planted_finding_with_links_for_case_readers(client, slow_history, kepala):
    client.force_login(kepala)
    response = client.get("/laporan/keadilan/", QUERY)
    page = response.content.decode()
    assert "Tangen" in page and "kesenjangan ditandai" in page and "<svg" in page
    assert "/laporan/keadilan/kasus/?" in page


def test_the_auditor_sees_figures_but_no_links_to_cases(client, slow_history, auditor):
    client.force_login(auditor)
    page = client.get("/laporan/keadilan/", QUERY).content.decode()
    assert "Tangen" in page and "/laporan/keadilan/kasus/?" not in page
    assert client.get("/laporan/keadilan/kasus/", QUERY).status_code == 403


def test_an_invalid_period_is_a_400(client, regions, kepala):
    client.force_login(kepala)
    assert client.get("/laporan/keadilan/", {"start": "2026-05-01", "end": "2026-01-01"}).status_code == 400


def test_xlsx_and_pdf_exports_are_queued_and_downloaded_from_the_job_page(
    client, slow_history, kepala, django_capture_on_commit_callbacks
):
    client.force_login(kepala)
    xlsx = queued_file(client, django_capture_on_commit_callbacks, "/laporan/keadilan/", {**QUERY, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx))
    assert "Konsistensi proses" in book.sheetnames
    summary = [row[0] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)]
    assert any("Tangen" in text for text in summary)
    pdf = queued_file(client, django_capture_on_commit_callbacks, "/laporan/keadilan/", {**QUERY, "format": "pdf"})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Laporan keadilan layanan" in text and "Tangen" in text


def test_a_figure_and_its_case_list_agree(client, slow_history, kepala):
    client.force_login(kepala)
    report = client.get("/laporan/keadilan/", QUERY).context["report"]
    tangen = next(item for item in report.consistency if item["dimension"] == "kecamatan")
    group = next(group for group in tangen["groups"] if group["key"] == TANGEN)
    listing = client.get(group["url"])
    assert listing.status_code == 200
    assert listing.context["page"].paginator.count == group["n"]
    assert all(case.desa.parent_id == TANGEN and case.decided_at for case in listing.context["cases"])


def test_the_case_list_is_scoped_to_the_users_area(client, regions, operator_keden, kasi):
    keden = household_in(KEDEN, "Sumarno")
    trobayan = household_in(TROBAYAN, "Paijo")
    for household in (keden, trobayan):
        make_application(household, received=TODAY - dt.timedelta(days=9), decided=TODAY, decider=kasi)
    client.force_login(operator_keden)
    listing = client.get("/laporan/keadilan/kasus/", QUERY)
    assert [case.desa_id for case in listing.context["cases"]] == [KEDEN]
    assert client.get("/laporan/keadilan/kasus/", {"start": "x"}).status_code == 400


def test_the_case_list_runs_a_bounded_number_of_queries(client, slow_history, kepala, django_assert_max_num_queries):
    client.force_login(kepala)
    with django_assert_max_num_queries(10):
        response = client.get("/laporan/keadilan/kasus/", {**QUERY, "decided": "ya"})
    assert response.context["page"].paginator.count > 50 and len(response.context["cases"]) == 50


def test_the_skm_page_shows_the_unit_ikm(client, regions, kepala):
    client.force_login(kepala)
    assert "Belum ada jawaban survei" in client.get("/laporan/skm/").content.decode()


def test_the_case_list_needs_login(client, regions):
    assert client.get("/laporan/keadilan/kasus/", QUERY).status_code == 302
    assert Application.objects.count() == 0


def test_an_export_with_an_unknown_format_or_a_bad_period_queues_nothing(client, regions, kepala):
    from satupintu.ops.models import Job

    client.force_login(kepala)
    assert client.post("/laporan/keadilan/", {**QUERY, "format": "docx"}).status_code == 400
    assert (
        client.post("/laporan/keadilan/", {"start": "2026-05-01", "end": "2026-01-01", "format": "pdf"}).status_code
        == 400
    )
    assert not Job.objects.exists()


def test_an_export_job_opens_for_equity_readers_and_not_for_others(
    client, slow_history, kepala, kasi, operator_keden, django_capture_on_commit_callbacks
):
    client.force_login(kepala)
    queued_file(client, django_capture_on_commit_callbacks, "/laporan/keadilan/", {**QUERY, "format": "xlsx"})
    from satupintu.ops.models import Job

    job = Job.objects.get()
    client.force_login(kasi)
    assert client.get(f"/tugas/{job.pk}/unduh/").status_code == 200
    client.force_login(operator_keden)
    assert client.get(f"/tugas/{job.pk}/unduh/").status_code == 404
