import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from satupintu.audit.models import AuditLog
from satupintu.imports.models import DuplicatePair, ImportBatch, PairStatus, State
from satupintu.imports.services import next_batch, run_batch
from satupintu.registry.models import Household, Membership, Person
from tests.conftest import KEDEN, TROBAYAN, household_in

from .helpers import HEAD, SPOUSE, csv_bytes, upload


def run_worker():
    """What `satupintu run-imports --once` does."""
    while batch := next_batch():
        run_batch(batch)


@pytest.fixture(autouse=True)
def _tolerant(settings):
    settings.IMPORT_MAX_PROBLEM_SHARE = 0.5


@pytest.fixture
def keden_batch(operator_keden):
    batch = upload(
        csv_bytes([HEAD, SPOUSE, {**SPOUSE, "nik": "=cmd|' /C calc'!A0", "nama": "X"}]), actor=operator_keden
    )
    run_worker()
    return ImportBatch.objects.get(pk=batch.pk)


def test_an_operator_uploads_and_the_worker_validates(client, operator_keden):
    client.force_login(operator_keden)
    content = csv_bytes([HEAD, SPOUSE])
    response = client.post(
        reverse("imports:batch_upload"), {"file": SimpleUploadedFile("desa.csv", content), "source": "desa"}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:batch_detail", args=[batch.pk])
    assert batch.state == State.UPLOADED and batch.region_id == KEDEN
    assert client.get(reverse("imports:batch_status", args=[batch.pk])).json()["state"] == "uploaded"
    run_worker()
    status = client.get(reverse("imports:batch_status", args=[batch.pk])).json()
    assert status["state"] == "validated" and status["percent"] == 100 and status["final"]
    page = client.get(reverse("imports:batch_detail", args=[batch.pk]))
    assert "Menunggu persetujuan kepala UPT-PK atau admin." in page.content.decode()


def test_the_upload_form_refuses_other_file_types(client, operator_keden):
    client.force_login(operator_keden)
    response = client.post(
        reverse("imports:batch_upload"), {"file": SimpleUploadedFile("a.pdf", b"%PDF"), "source": "desa"}
    )
    assert response.status_code == 200 and "Unggah berkas .xlsx atau .csv." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_operator_cannot_approve_but_the_kepala_can(client, keden_batch, operator_keden, kepala):
    assert keden_batch.state == State.VALIDATED and keden_batch.valid_rows == 0  # the bad row holds its KK
    client.force_login(operator_keden)
    client.post(reverse("imports:batch_decide", args=[keden_batch.pk]), {"decision": "approve"})
    keden_batch.refresh_from_db()
    assert keden_batch.state == State.VALIDATED
    client.force_login(kepala)
    client.post(reverse("imports:batch_decide", args=[keden_batch.pk]), {"decision": "approve", "note": "ok"})
    run_worker()
    keden_batch.refresh_from_db()
    assert keden_batch.state == State.IMPORTED and keden_batch.decided_by == kepala
    assert [e.to_state for e in keden_batch.events.all()] == [
        "uploaded",
        "validating",
        "validated",
        "importing",
        "imported",
    ]


def test_a_batch_event_cannot_be_changed_or_deleted(operator_keden):
    batch = upload(csv_bytes([HEAD, SPOUSE]), actor=operator_keden)
    event = batch.events.get()
    event.reason = "diubah"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert batch.events.get().reason == ""


def test_the_kepala_imports_only_valid_rows(client, kepala, operator_keden):
    other = {**HEAD, "no_kk": "3314010403190002", "nik": "3314010101800001", "tanggal_lahir": "01-01-1980"}
    batch = upload(csv_bytes([HEAD, SPOUSE, {**other, "rt": "x"}]), actor=operator_keden)
    run_worker()
    client.force_login(kepala)
    client.post(reverse("imports:batch_decide", args=[batch.pk]), {"decision": "approve"})
    run_worker()
    assert list(Household.objects.values_list("kk_number", flat=True)) == [HEAD["no_kk"]]


def test_the_kepala_rejects_a_batch(client, keden_batch, kepala):
    client.force_login(kepala)
    client.post(reverse("imports:batch_decide", args=[keden_batch.pk]), {"decision": "reject", "note": "data lama"})
    keden_batch.refresh_from_db()
    assert (keden_batch.state, keden_batch.reason) == (State.REJECTED, "data lama")
    run_worker()
    assert not Household.objects.exists()


def test_the_error_report_neutralises_formulas(client, keden_batch, operator_keden):
    client.force_login(operator_keden)
    response = client.get(reverse("imports:batch_errors", args=[keden_batch.pk]))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "baris,kolom,nilai,pesan" in body
    assert "'=cmd" in body and ",=cmd" not in body


def test_the_template_is_an_xlsx_with_a_guide(client, operator_keden):
    import io

    import openpyxl

    client.force_login(operator_keden)
    response = client.get(reverse("imports:template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Data"][1]][:3] == ["no_kk", "kode_desa", "alamat"]
    assert workbook["Data"]["A2"].value == "3314010403190001"
    assert workbook["Petunjuk"].max_row > 20


@pytest.mark.parametrize("name", ["batch_detail", "batch_status", "batch_errors"])
def test_an_operator_of_another_desa_gets_404(client, keden_batch, operator_trobayan, name):
    client.force_login(operator_trobayan)
    assert client.get(reverse(f"imports:{name}", args=[keden_batch.pk])).status_code == 404
    assert (
        client.post(reverse("imports:batch_decide", args=[keden_batch.pk]), {"decision": "reject"}).status_code == 404
    )


def test_the_kecamatan_operator_sees_the_desa_batch(client, keden_batch, operator_kalijambe):
    client.force_login(operator_kalijambe)
    assert client.get(reverse("imports:batch_detail", args=[keden_batch.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["auditor", "mitra"])
def test_auditor_and_mitra_are_refused(client, request, persona, keden_batch):
    client.force_login(request.getfixturevalue(persona))
    for url in (reverse("imports:batch_list"), reverse("imports:batch_detail", args=[keden_batch.pk]),
                reverse("imports:pair_list"), reverse("imports:batch_upload")):  # fmt: skip
        assert client.get(url).status_code == 403


def test_the_batch_list_is_scoped_and_paginated_in_few_queries(
    client, operator_keden, operator_trobayan, django_assert_max_num_queries
):
    for _ in range(30):
        upload(csv_bytes([HEAD]), actor=operator_keden)
    upload(csv_bytes([HEAD]), actor=operator_trobayan)
    client.force_login(operator_keden)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:batch_list"))
    assert response.context["page"].paginator.count == 30


def make_pair(first_desa=KEDEN, second_desa=KEDEN):
    a = household_in(first_desa, "Sutrisno").members.get(relationship="kepala")
    b = household_in(second_desa, "Sutrisna").members.get(relationship="kepala")
    Person.objects.filter(pk=b.pk).update(nik=None)
    return DuplicatePair.objects.create(person_a=a, person_b=b, desa_a_id=first_desa, desa_b_id=second_desa,
                                        score=80, level="possible", reasons=["nama beda satu huruf"])  # fmt: skip


def test_the_review_queue_is_scoped_and_paginated(client, operator_keden, django_assert_max_num_queries):
    mine = [make_pair() for _ in range(3)]
    across = make_pair(KEDEN, TROBAYAN)
    client.force_login(operator_keden)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:pair_list"))
    assert list(response.context["page"].object_list) == sorted(mine, key=lambda p: p.pk)
    assert client.post(reverse("imports:pair_decide", args=[across.pk]), {"decision": "dismiss"}).status_code == 404


def test_merging_keeps_one_person_detaches_the_other_and_leaves_audit(client, operator_keden):
    pair = make_pair()
    kept, gone = pair.person_a, pair.person_b
    client.force_login(operator_keden)
    client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "keep_a", "note": "orang sama"})
    pair.refresh_from_db()
    gone.refresh_from_db()
    assert (pair.status, pair.decided_by) == (PairStatus.MERGED, operator_keden)
    assert gone.household is None and not Membership.objects.filter(person=gone, end__isnull=True).exists()
    assert Person.objects.filter(pk=kept.pk, household__isnull=False).exists()
    assert AuditLog.objects.filter(object_type="imports.duplicatepair", object_id=str(pair.pk)).exists()
    assert AuditLog.objects.filter(object_type="registry.person", object_id=str(gone.pk), action="update").exists()
    response = client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "dismiss"}, follow=True)
    assert "sudah diputuskan" in response.content.decode()


def test_dismissing_a_pair_is_recorded(client, operator_keden):
    pair = make_pair()
    client.force_login(operator_keden)
    client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "dismiss", "note": "kembar"})
    pair.refresh_from_db()
    assert (pair.status, pair.note) == (PairStatus.DISMISSED, "kembar")
    response = client.get(reverse("imports:pair_list") + "?status=dismissed")
    assert list(response.context["page"].object_list) == [pair]


def test_possible_duplicates_found_while_validating_reach_the_queue(regions):
    from .helpers import imported

    existing = household_in(KEDEN, "Sutrisno").members.get(relationship="kepala")
    row = {**HEAD, "no_kk": "3314010403190009", "nik": "", "nama": "Sutrisno", "tempat_lahir": "Klaten",
           "tanggal_lahir": existing.birth_date.strftime("%d-%m-%Y"), "kode_desa": TROBAYAN}  # fmt: skip
    batch = imported([row])
    pair = DuplicatePair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} >= {existing.pk}
    assert pair.batch == batch and pair.level == "possible"


def test_merging_hands_the_removed_persons_applications_to_the_kept_person(client, operator_keden):
    from satupintu.cases.models import Application
    from tests.conftest import apply_for

    pair = make_pair()
    kept, gone = pair.person_a, pair.person_b
    application, _pin = apply_for(operator_keden, gone.household)
    assert application.applicant == gone
    client.force_login(operator_keden)
    client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "keep_a", "note": "orang sama"})
    application.refresh_from_db()
    assert application.applicant == kept
    assert application.household_id != kept.household_id  # the household it was decided for stays
    moved = AuditLog.objects.get(object_type="cases.application", object_id=str(application.pk), action="update")
    assert moved.changes == {"applicant": [gone.pk, kept.pk]} and moved.actor == operator_keden
    assert not Application.objects.filter(applicant=gone).exists()


def test_other_open_pairs_of_a_merged_away_person_move_to_the_kept_person(client, operator_keden):
    pair = make_pair()
    kept, gone = pair.person_a, pair.person_b
    third = household_in(KEDEN, "Sutrisnu").members.get(relationship="kepala")
    a, b = sorted((gone.pk, third.pk))
    carried = DuplicatePair.objects.create(person_a_id=a, person_b_id=b, desa_a_id=KEDEN, desa_b_id=KEDEN,
                                           score=70, level="possible", reasons=["nama mirip"])  # fmt: skip
    client.force_login(operator_keden)
    client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "keep_a", "note": "orang sama"})
    carried.refresh_from_db()
    assert carried.status == PairStatus.OPEN
    assert {carried.person_a_id, carried.person_b_id} == {kept.pk, third.pk}
    assert carried.person_a_id < carried.person_b_id
    assert AuditLog.objects.filter(object_type="imports.duplicatepair", object_id=str(carried.pk)).exists()


def test_an_open_pair_that_would_repeat_an_existing_one_is_closed_on_merge(client, operator_keden):
    pair = make_pair()
    kept, gone = pair.person_a, pair.person_b
    third = household_in(KEDEN, "Sutrisnu").members.get(relationship="kepala")
    existing = DuplicatePair.objects.create(person_a_id=min(kept.pk, third.pk), person_b_id=max(kept.pk, third.pk),
                                            desa_a_id=KEDEN, desa_b_id=KEDEN, score=70, level="possible")  # fmt: skip
    repeat = DuplicatePair.objects.create(person_a_id=min(gone.pk, third.pk), person_b_id=max(gone.pk, third.pk),
                                          desa_a_id=KEDEN, desa_b_id=KEDEN, score=70, level="possible")  # fmt: skip
    client.force_login(operator_keden)
    client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "keep_a", "note": "orang sama"})
    repeat.refresh_from_db()
    existing.refresh_from_db()
    assert repeat.status == PairStatus.MERGED and f"pasangan #{pair.pk}" in repeat.note
    assert existing.status == PairStatus.OPEN


def test_an_open_pair_with_a_person_merged_away_earlier_is_closed_not_a_500(client, operator_keden):
    pair = make_pair()
    gone = pair.person_b
    earlier = household_in(KEDEN, "Sutrisnu").members.get(relationship="kepala")
    Person.objects.filter(pk=earlier.pk).update(household=None, nik=None)  # detached by an older merge
    stale = DuplicatePair.objects.create(person_a_id=min(gone.pk, earlier.pk), person_b_id=max(gone.pk, earlier.pk),
                                         desa_a_id=KEDEN, desa_b_id=KEDEN, score=70, level="possible")  # fmt: skip
    client.force_login(operator_keden)
    response = client.post(reverse("imports:pair_decide", args=[pair.pk]), {"decision": "keep_a", "note": "sama"})
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.status == PairStatus.MERGED


def test_a_file_uploaded_again_is_pointed_out_on_its_batch_page(client, operator_keden, operator_trobayan):
    content = csv_bytes([HEAD, SPOUSE])
    first = upload(content, actor=operator_keden)
    again = upload(content, actor=operator_keden)
    other = upload(csv_bytes([HEAD]), actor=operator_keden)
    client.force_login(operator_keden)
    page = client.get(reverse("imports:batch_detail", args=[again.pk])).content.decode()
    assert 'data-role="same-file"' in page and first.reference in page
    assert reverse("imports:batch_detail", args=[first.pk]) in page
    first_page = client.get(reverse("imports:batch_detail", args=[first.pk])).content.decode()
    assert again.reference in first_page  # both ways
    assert 'data-role="same-file"' not in client.get(reverse("imports:batch_detail", args=[other.pk])).content.decode()


def test_the_same_file_notice_names_only_batches_the_user_may_see(client, operator_keden, operator_trobayan):
    content = csv_bytes([HEAD, SPOUSE])
    keden = upload(content, actor=operator_keden)
    trobayan = upload(content, actor=operator_trobayan)
    client.force_login(operator_trobayan)
    page = client.get(reverse("imports:batch_detail", args=[trobayan.pk])).content.decode()
    assert 'data-role="same-file"' not in page and keden.reference not in page
