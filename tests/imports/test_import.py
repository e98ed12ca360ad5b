import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from satupintu.audit.models import AuditLog
from satupintu.demo.sample import sample_rows, write_csv
from satupintu.imports.models import ImportBatch, State
from satupintu.registry.models import Household, KKNumber, Membership, Person, PovertyAssessment
from tests.conftest import KEDEN

from .helpers import HEAD, SPOUSE, imported, validated


def test_an_import_creates_households_people_history_and_assessments(regions, operator_keden):
    batch = imported([HEAD, SPOUSE], actor=operator_keden)
    assert batch.state == State.IMPORTED
    assert (batch.households_created, batch.people_created) == (1, 2)
    household = Household.objects.get(kk_number=HEAD["no_kk"])
    assert household.head.nik == HEAD["nik"]
    assert (household.rt, household.rw) == ("002", "001")
    assert set(household.members.values_list("relationship", flat=True)) == {"kepala", "pasangan"}
    assert Membership.objects.filter(household=household, end__isnull=True).count() == 2
    assert KKNumber.objects.get(household=household).number == HEAD["no_kk"]
    assessment = PovertyAssessment.objects.get(household=household)
    assert (assessment.method, assessment.desil, assessment.result, assessment.source) == ("dtsen", 3, "miskin", "desa")
    creation = AuditLog.objects.get(object_type="registry.household", object_id=str(household.pk))
    assert creation.actor == operator_keden and batch.reference in creation.reason
    assert Person.objects.get(nik=SPOUSE["nik"]).disability == "tidak_ada"  # blank cell → default


def test_reimporting_the_same_file_changes_nothing(regions):
    imported([HEAD, SPOUSE])
    counts = (Household.objects.count(), Person.objects.count(), AuditLog.objects.count(),
              PovertyAssessment.objects.count(), Membership.objects.count())  # fmt: skip
    again = imported([HEAD, SPOUSE])
    assert (again.households_created, again.people_created, again.people_updated, again.unchanged_rows) == (0, 0, 0, 2)
    assert counts == (Household.objects.count(), Person.objects.count(), AuditLog.objects.count(),
                      PovertyAssessment.objects.count(), Membership.objects.count())  # fmt: skip


def test_an_update_keeps_history_and_blank_cells_keep_old_values(regions):
    imported([{**HEAD, "pekerjaan": "Petani", "jaminan_kesehatan": "pbi_jk"}, SPOUSE])
    person = Person.objects.get(nik=HEAD["nik"])
    batch = imported([{**HEAD, "nama": "Sutrisno Wibowo", "pekerjaan": ""}, {**SPOUSE, "hubungan": "anak"}])
    assert (batch.people_updated, batch.people_created) == (2, 0)
    person.refresh_from_db()
    assert (person.name, person.occupation, person.health_insurance) == ("Sutrisno Wibowo", "Petani", "pbi_jk")
    audit = AuditLog.objects.get(object_type="registry.person", object_id=str(person.pk), action="update")
    assert audit.changes == {"name": ["Sutrisno", "Sutrisno Wibowo"]}
    spouse = Person.objects.get(nik=SPOUSE["nik"])
    history = list(Membership.objects.filter(person=spouse).order_by("id").values_list("relationship", "end"))
    assert history[0][0] == "pasangan" and history[0][1] is not None
    assert history[1] == ("anak", None)


def test_a_person_without_nik_is_matched_by_name_and_birth_date(regions):
    child = {"no_kk": HEAD["no_kk"], "nama": "Bayu", "jenis_kelamin": "L", "tempat_lahir": "Sragen",
             "tanggal_lahir": "01-02-2026", "hubungan": "anak", "status_perkawinan": "belum_kawin",
             "pendidikan": "tidak_sekolah"}  # fmt: skip
    imported([HEAD, SPOUSE, child])
    batch = imported([HEAD, SPOUSE, {**child, "status_sekolah": "belum_sekolah"}])
    assert (batch.people_created, batch.people_updated) == (0, 1)


def test_the_dry_run_writes_nothing(regions, tmp_path, capsys):
    path = tmp_path / "desa.csv"
    write_csv(path, sample_rows(5, desa_codes=[KEDEN]))
    call_command("import_registry", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Selesai diperiksa" in out and "tidak ada yang disimpan" in out
    assert (Household.objects.count(), ImportBatch.objects.count(), AuditLog.objects.count()) == (0, 0, 0)


def test_the_command_imports_and_reports(regions, tmp_path, capsys):
    path = tmp_path / "desa.csv"
    rows = write_csv(path, sample_rows(5, desa_codes=[KEDEN]))
    call_command("import_registry", str(path), "--source", "DTSEN")
    assert f"{rows} baris, {rows} valid" in capsys.readouterr().out
    assert Person.objects.count() == rows
    assert set(PovertyAssessment.objects.values_list("source", flat=True)) == {"DTSEN"}


def test_too_many_bad_rows_stop_the_batch_with_a_reason(regions, settings):
    settings.IMPORT_MAX_PROBLEM_SHARE = 0.3
    batch = validated([HEAD, {**SPOUSE, "tanggal_lahir": "kemarin"}])
    assert batch.state == State.FAILED
    assert "Dihentikan: 50.0% baris tidak valid atau duplikat, melebihi batas 30.0%." in batch.reason
    settings.IMPORT_MAX_PROBLEM_SHARE = 0.5
    assert validated([HEAD, {**SPOUSE, "tanggal_lahir": "kemarin"}]).state == State.VALIDATED


def test_the_command_fails_clearly_when_the_batch_fails(regions, tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_text("nama,umur\nSutrisno,50\n")
    with pytest.raises(CommandError, match="Kolom wajib tidak ditemukan"):
        call_command("import_registry", str(path))


def test_an_interrupted_import_resumes_without_writing_twice(regions, settings):
    from satupintu.imports import workflow
    from satupintu.imports.loader import Chunk, import_batch

    settings.IMPORT_CHUNK_HOUSEHOLDS = 1
    other = {**HEAD, "no_kk": "3314010403190002", "nik": "3314010101800001", "tanggal_lahir": "01-01-1980"}
    batch = workflow.move(validated([HEAD, SPOUSE, other]), "approve", command_line=True)
    Chunk(batch, None, 1, 2).run()  # the first chunk committed, then the worker died
    batch = import_batch(batch)
    assert Household.objects.count() == 2 and Person.objects.count() == 3
    assert batch.state == State.IMPORTED


def test_dates_written_by_excel_are_read(regions):
    import openpyxl

    from satupintu.demo.sample import HEADER

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([dt.datetime(1975, 5, 12) if key == "tanggal_lahir" else HEAD.get(key, "") for key in HEADER])
    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    batch = validated([], name="data.xlsx", content=buffer.getvalue())
    assert batch.state == State.VALIDATED and batch.valid_rows == 1
