"""The flow of the domain brief §2, end to end through the actions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from satupintu.accounts.models import Agency, Role
from satupintu.accounts.pins import pin_matches
from satupintu.cases.actions import TransitionRefused, application_issue, application_transition
from satupintu.cases.models import Event, Referral
from satupintu.notifications.models import Notification
from satupintu.registry.models import PovertyAssessment
from tests.conftest import apply_for, make_user, mark_poor

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(*args):
    return time_machine.travel(dt.datetime(*args, 9, 0, tzinfo=JAKARTA), tick=False)


def step(actor, application, name, **data):
    return application_transition(actor=actor, application=application, name=name, data=data)


def test_a_poor_household_takes_the_fast_path_from_desa_to_referral(
    operator_keden, operator_kalijambe, petugas, kepala, mitra, keden_household
):
    mark_poor(keden_household)
    keden_household.head.phone = "081234567890"
    keden_household.head.save()
    with at(2026, 12, 22):
        application, pin = apply_for(operator_keden, keden_household)
        assert application.status == "submitted" and application.channel == "desa"
        assert application.due_date == dt.date(2027, 1, 6)
        assert pin_matches(pin, application.pin_hash) and pin not in application.pin_hash

        application = step(operator_kalijambe, application, "acknowledge")
        application = step(petugas, application, "accept_documents")
        application = step(petugas, application, "fast_track")
        assert application.status == "decision" and application.fast_path
        assert application.rules_result["eligible"] and application.rules_result["tier"] == "melati"
        application = step(kepala, application, "approve", reason="Memenuhi syarat")
        application = application_issue(actor=petugas, application=application)
        assert application.status == "issued" and application.issued_at
        application = step(petugas, application, "refer", agency=mitra.agency)

        application = step(mitra, application, "acknowledge_referral")
        with pytest.raises(TransitionRefused, match="hasil tindak lanjut"):
            step(mitra, application, "record_outcome")
        application = step(mitra, application, "record_outcome", outcome="Dirawat kelas III tanpa biaya")
        assert application.status == "completed" and application.closed_at
        assert Referral.objects.get(application=application).state == "done"
        types = list(application.events.values_list("type", flat=True))
        assert types == [100, 110, 400, 200, 300, 320, 330, 340, 350]
        assert Notification.objects.filter(application=application, phone="081234567890").count() == 6


def test_a_household_not_yet_poor_is_verified_then_approved_by_kasi_then_kepala(
    petugas, verifikator, kasi, kepala, keden_household
):
    application, _pin = apply_for(petugas, keden_household, "kartu-sintawati")
    assert application.status == "received" and application.channel == "upt"
    application = step(petugas, application, "accept_documents")
    with pytest.raises(TransitionRefused, match="belum tercatat miskin"):
        step(petugas, application, "fast_track")
    application = step(petugas, application, "start_verification", verifier=verifikator)
    verification = application.verifications.get()
    assert verification.due_date > dt.date.today() - dt.timedelta(days=1)

    other = make_user("verifikator2", Role.VERIFIKATOR)
    with pytest.raises(TransitionRefused, match="ditugaskan"):
        step(other, application, "record_verification", recommendation="miskin", findings="x")
    answers = dict.fromkeys(
        ["luas_lantai", "lantai_tanah", "dinding_buruk", "tanpa_jamban", "kayu_bakar", "jarang_daging",
         "satu_pakaian", "tak_mampu_berobat", "penghasilan_rendah", "pendidikan_rendah"], True,
    )  # fmt: skip
    application = step(
        verifikator, application, "record_verification", recommendation="miskin", findings="Rumah bambu",
        bps14_answers=answers, visit_date=dt.date.today(),
    )  # fmt: skip
    with pytest.raises(TransitionRefused, match="Peran Anda"):
        step(kepala, application, "kasi_approve", reason="Sesuai hasil verifikasi.")
    application = step(kasi, application, "kasi_approve", reason="Sesuai hasil verifikasi.")
    assert not PovertyAssessment.objects.filter(household=keden_household).exists()
    application = step(kepala, application, "kepala_approve", reason="Sesuai rekomendasi kasi.")
    assessment = PovertyAssessment.objects.get(household=keden_household)
    assert (assessment.method, assessment.result, int(assessment.score)) == ("bps14", "miskin", 10)
    assert application.status == "decision"
    assert [c["name"] for c in application.rules_result["criteria"]] == ["siswa_sd_sma", "rumah_tangga_miskin"]


def test_a_decision_against_the_rules_needs_an_override_reason(petugas, kepala, keden_household):
    mark_poor(keden_household, desil=8)
    keden_household.head.health_insurance = "bpjs_mandiri"
    keden_household.head.save()
    application, _pin = apply_for(petugas, keden_household)
    application.status = "decision"
    application.rules_result = {"eligible": False}
    application.save()
    with pytest.raises(TransitionRefused, match="alasan penyimpangan"):
        step(kepala, application, "approve", reason="Keluarga sakit berat")
    application = step(
        kepala,
        application,
        "approve",
        reason="Keluarga sakit berat",
        override_reason="Jaminan mandiri menunggak, keluarga sakit",
    )
    assert application.override_reason and application.decision == "approved"
    event = application.events.get(type=300)
    assert event.reason == "Keluarga sakit berat"
    assert event.extra["override"] is True and "menunggak" in event.extra["override_reason"]


def test_rejection_needs_a_reason(petugas, kepala, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    application.status, application.rules_result = "decision", {"eligible": False}
    application.save()
    with pytest.raises(TransitionRefused, match="Alasan wajib"):
        step(kepala, application, "reject")
    application = step(kepala, application, "reject", reason="Tidak miskin")
    assert application.status == "rejected" and application.closed_at


def test_incomplete_documents_cannot_be_accepted(petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household, all_documents=False)
    with pytest.raises(TransitionRefused, match="Berkas belum lengkap"):
        step(petugas, application, "accept_documents")
    present = list(application.documents.values_list("pk", flat=True))
    application = step(petugas, application, "accept_documents", present=present)
    assert application.status == "data_check"


@pytest.mark.parametrize("name", ["withdraw", "cancel"])
def test_an_open_application_can_be_withdrawn_or_cancelled_with_a_reason(name, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    application = step(petugas, application, name, reason="Permintaan pemohon")
    assert application.status in ("withdrawn", "cancelled")
    with pytest.raises(TransitionRefused, match="Tidak dapat dilakukan"):
        step(petugas, application, "cancel", reason="lagi")


def test_events_are_append_only(petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    event = Event.objects.get(application=application)
    event.reason = "diubah"
    with pytest.raises(ValueError):
        event.save()


def test_a_mitra_cannot_act_on_a_referral_to_another_agency(petugas, kepala, mitra, keden_household):
    mark_poor(keden_household)
    other, _created = Agency.objects.get_or_create(code="disdik", defaults={"name": "Dinas Pendidikan"})
    application, _pin = apply_for(petugas, keden_household)
    application.status = "issued"
    application.save()
    application = step(petugas, application, "refer", agency=other)
    with pytest.raises(TransitionRefused, match="Tidak ada rujukan"):
        step(mitra, application, "acknowledge_referral")
