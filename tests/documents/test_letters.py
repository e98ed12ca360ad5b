"""Letters read back the way a hospital clerk or a phone reads them."""

import datetime as dt
import hashlib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from django.urls import reverse

from satupintu.accounts.models import Agency
from satupintu.documents import actions, signing
from satupintu.documents.letter_types import LETTER_TYPES
from satupintu.documents.models import Counter, DocumentSettings, IssuedDocument, LetterTemplate
from tests.documents.conftest import pdf_qr_codes, pdf_text, qr_path

JAKARTA = ZoneInfo("Asia/Jakarta")
NOV_27 = dt.datetime(2026, 11, 27, 10, 0, tzinfo=JAKARTA)


def issue(actor, household, code="rujukan-jamkesda", **kwargs):
    return actions.document_issue_letter(actor=actor, service_code=code, subject_household=household, **kwargs)


@pytest.fixture
def signer(kepala):
    kepala.first_name, kepala.last_name = "Dra. Sri", "Wahyuni"
    kepala.position, kepala.nip = "Kepala UPT-PK Kabupaten Sragen", "196805121993032004"
    kepala.save()
    return kepala


@time_machine.travel(NOV_27, tick=False)
def test_the_letter_prints_number_name_date_addressee_and_signer(signer, keden_household, agencies):
    letter = issue(signer, keden_household, context={"keterangan": "Pasien rawat inap kelas III."})
    text = pdf_text(bytes(letter.pdf))
    assert letter.number == "440/0001/UPT-PK.RJK/XI/2026"
    for expected in [
        "PEMERINTAH KABUPATEN SRAGEN",
        "440/0001/UPT-PK.RJK/XI/2026",
        "Sragen, 27 November 2026",
        "Sutrisno Wibowo",
        keden_household.head.nik,
        "12 Mei 1975",
        "RSUD dr. Soehadi Prijonegoro Sragen",
        "Rekomendasi Rujukan Jamkesda",
        "Pasien rawat inap kelas III.",
        "Dra. Sri Wahyuni",
        "NIP. 196805121993032004",
    ]:
        assert expected in text, expected


def test_the_qr_code_on_the_printed_letter_opens_the_public_page_which_says_valid(
    client, kepala, keden_household, agencies
):
    letter = issue(kepala, keden_household)
    [scanned] = pdf_qr_codes(bytes(letter.pdf))
    assert scanned == letter.qr_text
    response = client.get(qr_path(scanned))
    assert response.status_code == 200
    assert response.context["status"] == "valid"
    assert "SAH" in response.content.decode()
    assert letter.number in response.content.decode()


def test_a_revoked_letter_shows_revoked_at_once(client, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    path = qr_path(pdf_qr_codes(bytes(letter.pdf))[0])
    assert "SAH" in client.get(path).content.decode()
    assert "SAH" in client.get(path).content.decode()  # the page kept for every reader (lib/page_cache.py)
    actions.document_revoke(actor=kepala, document=letter, reason="Salah alamat instansi")
    page = client.get(path)
    assert page.context["status"] == "revoked"
    assert "DICABUT" in page.content.decode()
    assert "Salah alamat instansi" in page.content.decode()


def test_the_qr_signature_verifies_offline_with_the_published_key(client, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    [scanned] = pdf_qr_codes(bytes(letter.pdf))
    pem = client.get(reverse("verify:public_key")).content
    public_key = serialization.load_pem_public_key(pem)
    assert signing.verify_qr(scanned, public_key)
    forged = scanned.replace("/0001/", "/0002/")
    assert not signing.verify_qr(forged, public_key)
    assert f"#2~{signing.key_id(public_key)}~L~{letter.number}~" in scanned


def test_numbers_run_per_service_and_year_without_gaps(kepala, keden_household, agencies):
    with time_machine.travel(dt.datetime(2026, 12, 31, 20, 0, tzinfo=JAKARTA), tick=False):
        first = issue(kepala, keden_household)
        second = issue(kepala, keden_household)
        other = issue(kepala, keden_household, code="biaya-pendidikan-siswa")
    with time_machine.travel(dt.datetime(2027, 1, 2, 8, 0, tzinfo=JAKARTA), tick=False):
        next_year = issue(kepala, keden_household)
    assert [first.number, second.number] == ["440/0001/UPT-PK.RJK/XII/2026", "440/0002/UPT-PK.RJK/XII/2026"]
    assert other.number == "420/0001/UPT-PK.BPS/XII/2026"
    assert next_year.number == "440/0001/UPT-PK.RJK/I/2027"


def test_a_failed_issue_gives_its_number_back(kepala, keden_household, agencies):
    issue(kepala, keden_household)
    with mock.patch("satupintu.documents.actions.render_letter", side_effect=RuntimeError("printer on fire")):
        with pytest.raises(RuntimeError):
            issue(kepala, keden_household)
    assert Counter.objects.get(series__contains="RJK").last == 1
    assert issue(kepala, keden_household).sequence == 2


def test_the_number_scheme_is_configurable(kepala, keden_household, agencies):
    config = DocumentSettings.current()
    config.letter_number_scheme = "{klasifikasi}/{urut}/{unit}/{bulan_romawi}/{tahun}"
    config.unit_code = "UPTPK"
    config.save()
    with time_machine.travel(NOV_27, tick=False):
        assert issue(kepala, keden_household).number == "440/0001/UPTPK/XI/2026"
        # Without {jenis}, services sharing a classification share a series: numbers stay unique.
        assert issue(kepala, keden_household, code="biaya-pendidikan-siswa").number == "420/0001/UPTPK/XI/2026"
        assert issue(kepala, keden_household, code="biaya-pendidikan-nonformal").number == "420/0002/UPTPK/XI/2026"


def test_the_unit_code_accepts_only_number_characters(db):
    from django.core.exceptions import ValidationError

    config = DocumentSettings.current()
    config.unit_code = "UPT~PK"
    with pytest.raises(ValidationError):
        config.full_clean()


def test_a_template_change_never_alters_an_issued_letter(client, kepala, keden_household, agencies):
    letter = issue(kepala, keden_household)
    original = bytes(letter.pdf)
    LetterTemplate.objects.filter(service_code="rujukan-jamkesda").update(body="Teks baru untuk {nama}.")
    client.force_login(kepala)
    download = client.get(reverse("documents:download", args=[letter.pk]))
    assert download.content == original
    assert hashlib.sha256(download.content).hexdigest() == letter.sha256 == download["X-Content-SHA256"]
    assert "Jaminan" in pdf_text(download.content)
    assert "Teks baru untuk Sutrisno Wibowo." in pdf_text(bytes(issue(kepala, keden_household).pdf))
    assert IssuedDocument.objects.get(pk=letter.pk).content["template"]["body"].startswith("Berdasarkan")


def test_every_letter_service_has_a_template_and_issues(kepala, keden_household, agencies):
    codes = set(LetterTemplate.objects.values_list("service_code", flat=True))
    assert codes == {letter_type.code for letter_type in LETTER_TYPES}
    assert "kartu-saraswati" not in codes
    for code in sorted(codes):
        letter = issue(kepala, keden_household, code=code)
        assert letter.number in pdf_text(bytes(letter.pdf))


def test_the_addressee_can_be_named_by_the_caller(kepala, keden_household, agencies):
    soeratno = Agency.objects.get(code="rsud-soeratno")
    letter = issue(kepala, keden_household, addressee_agency=soeratno, source_type="cases.application", source_id=42)
    assert "RSUD dr. Soeratno Gemolong" in pdf_text(bytes(letter.pdf))
    assert (letter.source_type, letter.source_id) == ("cases.application", "42")


def test_a_service_without_a_letter_is_refused(kepala, keden_household, agencies):
    with pytest.raises(actions.DocumentError):
        issue(kepala, keden_household, code="ambulans-gratis")


def test_a_person_of_another_household_is_refused(kepala, keden_household, trobayan_household, agencies):
    with pytest.raises(actions.DocumentError):
        issue(kepala, keden_household, subject_person=trobayan_household.head)


def test_unknown_context_keys_are_refused(kepala, keden_household, agencies):
    with pytest.raises(ValueError):
        issue(kepala, keden_household, context={"__class__": "x"})
    assert not IssuedDocument.objects.exists()


def test_the_letter_is_a4_and_its_issue_is_audited(kepala, keden_household, agencies):
    import io

    from pypdf import PdfReader

    from satupintu.audit.models import AuditLog

    letter = issue(kepala, keden_household)
    box = PdfReader(io.BytesIO(bytes(letter.pdf))).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    entry = AuditLog.objects.get(object_type="documents.issueddocument", object_id=str(letter.pk), action="create")
    assert entry.household_id == keden_household.pk
    assert entry.changes["number"] == [None, letter.number]
