"""The fast-path clock, referral response deadlines, appointed verifiers and recusal on cases."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from satupintu.accounts.models import Role
from satupintu.audit.models import AuditLog
from satupintu.cases import actions
from satupintu.cases.actions import TransitionRefused, application_transition
from satupintu.cases.models import CaseRecusal, EventType, OfficerPerson, Referral, ReferralStandard
from satupintu.cases.sweep import check_deadlines
from satupintu.justice.extract import Period
from satupintu.justice.fairness import fast_path_shares, recusal_audit, referral_on_time
from satupintu.notifications.models import Notification
from satupintu.parameters.models import ParameterValue
from satupintu.regions.models import Region
from tests.conftest import KEDEN, apply_for, household_in, make_user, mark_poor

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=JAKARTA), tick=False)


def step(actor, application, name, **data):
    return application_transition(actor=actor, application=application, name=name, data=data)


def fast_path_to_decision(petugas, household):
    application, _pin = apply_for(petugas, household)
    application = step(petugas, application, "accept_documents")
    return step(petugas, application, "fast_track")


# --- The fast-path clock ---


def test_the_issue_step_stores_the_minutes_from_intake_and_the_case_page_shows_them(
    client, petugas, kepala, keden_household
):
    mark_poor(keden_household)
    with at(2026, 11, 10, 9, 0):
        application = fast_path_to_decision(petugas, keden_household)
    with at(2026, 11, 10, 9, 15):
        application = step(kepala, application, "approve", reason="Memenuhi syarat")
        client.force_login(petugas)
        running = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert "Jam berjalan: 15 menit sejak diterima — standar jalur cepat 30 menit" in running
    with at(2026, 11, 10, 9, 23, 40):
        application = actions.application_issue(actor=petugas, application=application)
        html = client.get(reverse("cases:detail", args=[application.number])).content.decode()
    assert application.issue_minutes == 23
    assert "Selesai dalam 23 menit — standar 30 menit" in html


def test_the_fast_path_standard_is_the_dated_parameter_in_force_at_receipt(petugas, kepala, keden_household):
    ParameterValue.objects.create(
        name="fast_path_minutes", value=20, valid_from=dt.date(2026, 11, 1), legal_source="SK Kepala UPT-PK 1/2026"
    )
    mark_poor(keden_household)
    with at(2026, 11, 10, 9, 0):
        application = fast_path_to_decision(petugas, keden_household)
        application = step(kepala, application, "approve", reason="Memenuhi syarat")
    with at(2026, 11, 10, 9, 25):
        application = actions.application_issue(actor=petugas, application=application)
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    [row] = fast_path_shares(kepala, period)
    assert (row["n"], row["within"], row["share"]) == (1, 0, 0.0)
    assert row["desk"] == "Meja layanan UPT-PK" and row["mean"] == 25


def test_the_fast_path_report_splits_services_by_desk_within_the_users_scope(
    petugas, kepala, operator_keden, operator_trobayan, operator_kalijambe, keden_household, trobayan_household
):
    for household in (keden_household, trobayan_household):
        mark_poor(household)
    with at(2026, 11, 10, 9, 0):
        desk = fast_path_to_decision(petugas, keden_household)
        desa, _pin = apply_for(operator_trobayan, trobayan_household)
        desa = step(operator_kalijambe, desa, "acknowledge")
        desa = step(petugas, step(petugas, desa, "accept_documents"), "fast_track")
        for application in (desk, desa):
            step(kepala, application, "approve", reason="Memenuhi syarat")
    for minute, application in ((20, desk), (45, desa)):
        with at(2026, 11, 10, 9, minute):
            application.refresh_from_db()
            actions.application_issue(actor=petugas, application=application)
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    rows = {r["desk"]: (r["n"], r["within"]) for r in fast_path_shares(kepala, period)}
    assert rows == {"Meja layanan UPT-PK": (1, 1), "Kantor desa/kelurahan": (1, 0)}
    assert [r["desk"] for r in fast_path_shares(operator_keden, period)] == ["Meja layanan UPT-PK"]


# --- Referral deadlines ---


@pytest.fixture
def referred(petugas, kepala, mitra, keden_household):
    """A Saraswati card referred to the RSUD on Tuesday 10 November 2026 under a 3-day standard."""
    from satupintu.catalogue.models import ServiceType

    ReferralStandard.objects.create(
        agency=mitra.agency,
        service=ServiceType.objects.get(code="kartu-saraswati"),
        days=3,
        valid_from=dt.date(2026, 1, 1),
        legal_source="asumsi — ganti dengan Perbup/SK yang berlaku (tanggapan rujukan)",
    )
    mark_poor(keden_household)
    with at(2026, 11, 10, 9, 0):
        application = fast_path_to_decision(petugas, keden_household)
        application = step(kepala, application, "approve", reason="Memenuhi syarat")
        application = actions.application_issue(actor=petugas, application=application)
        application = step(petugas, application, "refer", agency=mitra.agency)
    return application


def test_a_referral_is_due_the_standards_working_days_after_it_was_sent(referred):
    referral = Referral.objects.get(application=referred)
    assert referral.due_date == dt.date(2026, 11, 13) and referral.standard.days == 3


def test_the_sweep_flags_a_referral_due_soon_then_overdue_and_tells_the_agency_and_the_unit_once(
    referred, mitra, kepala, petugas
):
    with at(2026, 11, 12, 8, 0):
        assert check_deadlines()["referral_due_soon"] == 1
        assert check_deadlines()["referral_due_soon"] == 0
    with at(2026, 11, 16, 8, 0):
        counts = check_deadlines()
        assert counts["referral_overdue"] == 1 and check_deadlines()["referral_overdue"] == 0
    referral = Referral.objects.get(application=referred)
    assert referral.deadline_state == "overdue"
    types = list(referred.events.filter(type__gte=904).values_list("type", flat=True))
    assert types == [EventType.REFERRAL_DUE_SOON, EventType.REFERRAL_OVERDUE]
    notices = Notification.objects.filter(channel="internal", body__contains="Rujukan permohonan")
    assert sorted(notices.values_list("user__username", flat=True)) == ["kepala", "kepala", "mitra.rsud", "mitra.rsud"]
    assert not notices.filter(user=petugas).exists()


def test_the_referral_inbox_shows_the_due_date_and_the_flag(client, referred, mitra):
    with at(2026, 11, 16, 8, 0):
        check_deadlines()
        client.force_login(mitra)
        html = client.get(reverse("cases:referrals")).content.decode()
    assert "13/11/2026" in html and "Lewat batas waktu" in html


def test_the_monthly_report_gives_each_agencys_on_time_share(client, referred, mitra, kepala):
    with at(2026, 11, 12, 10, 0):
        step(mitra, referred, "acknowledge_referral")
        step(mitra, referred, "record_outcome", outcome="Dirawat kelas III")
    [row] = referral_on_time(kepala, Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert (row["answered"], row["on_time"], row["share"], row["overdue_open"]) == (1, 1, 1.0, 0)
    client.force_login(kepala)
    with at(2026, 12, 1, 10, 0):
        html = client.get("/laporan/bulanan/", {"month": "2026-11"}).content.decode()
    assert 'id="monthly-referrals"' in html and "RSUD dr. Soehadi Prijonegoro" in html
    assert 'id="monthly-fast-path"' in html


def test_a_referral_standard_in_force_is_never_edited(referred):
    from satupintu.parameters.models import TakenEffect

    standard = ReferralStandard.objects.get()
    standard.days = 10
    with pytest.raises(TakenEffect):
        standard.save()


# --- Appointed verifiers ---


@pytest.fixture
def in_verification(petugas, verifikator, keden_household, trobayan_household):
    """One unassessed case in Keden and one in Trobayan, both waiting at the database check."""
    cases = []
    for household in (keden_household, trobayan_household):
        application, _pin = apply_for(petugas, household, "kartu-sintawati")
        cases.append(step(petugas, application, "accept_documents"))
    return cases


def appoint(kasi, appointee, *, desa=(), application=None, until=dt.date(2026, 12, 31)):
    return actions.appointment_create(
        actor=kasi,
        appointee=appointee,
        desa=list(Region.objects.filter(code__in=desa)),
        application=application,
        valid_from=dt.date(2026, 11, 1),
        valid_until=until,
        reason="TKSK kecamatan membantu verifikasi lapangan",
    )


VERIFIED = {"recommendation": "miskin", "findings": "Rumah berlantai tanah", "method": "lapangan"}


def test_an_appointed_desa_operator_verifies_in_the_appointed_desa_but_not_another(
    kasi, petugas, operator_trobayan, in_verification
):
    keden_case, trobayan_case = in_verification
    with at(2026, 11, 10, 9, 0):
        appointment = appoint(kasi, operator_trobayan, desa=[KEDEN])
        keden_case = step(petugas, keden_case, "start_verification", verifier=operator_trobayan)
        keden_case = step(operator_trobayan, keden_case, "record_verification", **VERIFIED)
        assert keden_case.status == "kasi_approval"
        with pytest.raises(TransitionRefused, match="Pilih verifikator"):
            step(petugas, trobayan_case, "start_verification", verifier=make_user("op.x", Role.OPERATOR_DESA, KEDEN))
    assert AuditLog.objects.filter(object_type="cases.verifierappointment", object_id=str(appointment.pk)).exists()


def test_an_appointee_may_take_no_other_step_and_not_after_the_period_or_a_revocation(
    kasi, petugas, operator_trobayan, in_verification
):
    keden_case, _other = in_verification
    with at(2026, 11, 10, 9, 0):
        appointment = appoint(kasi, operator_trobayan, application=keden_case, until=dt.date(2026, 11, 20))
        keden_case = step(petugas, keden_case, "start_verification", verifier=operator_trobayan)
        with pytest.raises(TransitionRefused, match="tidak berwenang"):
            step(operator_trobayan, keden_case, "cancel", reason="x")
    with at(2026, 11, 23, 9, 0), pytest.raises(TransitionRefused, match="tidak berwenang|tidak mencakup"):
        step(operator_trobayan, keden_case, "record_verification", **VERIFIED)
    with at(2026, 11, 12, 9, 0):
        actions.appointment_revoke(actor=kasi, appointment=appointment, reason="Petugas cuti")
        with pytest.raises(TransitionRefused):
            step(operator_trobayan, keden_case, "record_verification", **VERIFIED)
    assert AuditLog.objects.filter(object_type="cases.verifierappointment", action="update").count() == 1


def test_the_appointee_sees_only_the_appointed_case_outside_their_own_desa(
    client, kasi, petugas, operator_trobayan, in_verification, keden_household
):
    keden_case, _trobayan_case = in_verification
    other, _pin = apply_for(petugas, household_in(KEDEN, "Budi Santoso"), "kartu-sintawati")
    with at(2026, 11, 10, 9, 0):
        appoint(kasi, operator_trobayan, application=keden_case)
        client.force_login(operator_trobayan)
        assert client.get(reverse("cases:detail", args=[keden_case.number])).status_code == 200
        assert client.get(reverse("cases:detail", args=[other.number])).status_code == 404
        html = client.get(reverse("cases:detail", args=[keden_case.number])).content.decode()
    assert 'id="appointments"' in html and "TKSK kecamatan" in html


def test_only_kasi_or_kepala_appoint_and_only_staff_are_appointed(kasi, petugas, mitra, operator_trobayan, regions):
    with pytest.raises(TransitionRefused, match="tidak dapat menunjuk"):
        appoint(petugas, operator_trobayan, desa=[KEDEN])
    with pytest.raises(TransitionRefused, match="Hanya petugas aktif"):
        appoint(kasi, mitra, desa=[KEDEN])
    with pytest.raises(TransitionRefused, match="salah satu"):
        appoint(kasi, operator_trobayan)


def test_the_appointment_page_creates_once_for_a_form_sent_twice(client, kasi, operator_trobayan, regions):
    client.force_login(kasi)
    keden = Region.objects.get(code=KEDEN)
    data = {
        "appointee": operator_trobayan.pk,
        "desa": [keden.pk],
        "valid_from": "2026-11-01",
        "valid_until": "2026-12-31",
        "reason": "Verifikasi lapangan Keden",
        "submission_key": "0b6a3a2e-9f1e-4f43-9d3b-3c2a1b0c9d8e",
    }
    assert client.post(reverse("cases:appointments"), data).status_code == 302
    assert client.post(reverse("cases:appointments"), data).status_code == 302
    assert operator_trobayan.verifier_appointments.count() == 1
    client.force_login(operator_trobayan)
    assert client.post(reverse("cases:appointments"), data).status_code == 404
    assert "Verifikasi lapangan Keden" in client.get(reverse("cases:appointments")).content.decode()


# --- Recusal ---


def test_a_kasi_who_declared_a_relation_cannot_approve_and_is_told_why(
    client, kasi, kepala, petugas, verifikator, in_verification
):
    case, _other = in_verification
    case = step(petugas, case, "start_verification", verifier=verifikator)
    case = step(verifikator, case, "record_verification", **VERIFIED)
    client.force_login(kasi)
    client.post(reverse("cases:recusal_declare", args=[case.number]), {"relation": "adik ipar"})
    with pytest.raises(TransitionRefused, match="Anda menyatakan hubungan keluarga dengan pemohon \\(adik ipar\\)"):
        step(kasi, case, "kasi_approve", reason="Layak")
    response = client.post(reverse("cases:act", args=[case.number, "kasi_approve"]), {"reason": "Layak"}, follow=True)
    assert "Anda menyatakan hubungan keluarga" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "kasi_approval"
    recusal = CaseRecusal.objects.get(application=case, officer=kasi)
    with pytest.raises(TransitionRefused):
        actions.recusal_override(actor=kasi, recusal=recusal, reason="tidak ada petugas lain")
    actions.recusal_override(actor=kepala, recusal=recusal, reason="Satu-satunya kasi; diawasi kepala")
    assert step(kasi, case, "kasi_approve", reason="Layak").status == "kepala_approval"


def test_an_officer_in_the_applicants_kk_is_recused_by_the_registry_when_about_to_act(
    petugas, keden_household, regions
):
    OfficerPerson.objects.create(user=petugas, person=keden_household.members.exclude(pk=keden_household.head_id).get())
    application, _pin = apply_for(make_user("loket", Role.PETUGAS_LAYANAN), keden_household)
    with pytest.raises(TransitionRefused, match="Data kependudukan menunjukkan hubungan"):
        step(petugas, application, "accept_documents")
    assert CaseRecusal.objects.get(officer=petugas).kind == CaseRecusal.Kind.SAME_KK
    assert AuditLog.objects.filter(object_type="cases.caserecusal").count() == 1


def test_a_shared_surname_is_flagged_for_review_not_blocked_until_confirmed(client, kasi, kepala, keden_household):
    officer = make_user("sri.wibowo", Role.PETUGAS_LAYANAN)
    officer.first_name, officer.last_name = "Sri", "Wibowo"
    officer.save()
    application, _pin = apply_for(officer, keden_household)  # the intake is no step of the table
    application = step(officer, application, "accept_documents")
    flag = CaseRecusal.objects.get(officer=officer)
    assert flag.kind == CaseRecusal.Kind.SURNAME and flag.awaiting_review and not flag.blocks
    actions.recusal_review(actor=kasi, recusal=flag, outcome="confirmed", reason="Paman pemohon")
    with pytest.raises(TransitionRefused, match="dikonfirmasi"):
        step(officer, application, "cancel", reason="x")
    audit = recusal_audit(Period(dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
    assert audit["confirmed"] == 1 and dict(audit["kinds"])["Ditandai: nama keluarga sama"] == 1
    assert audit["officers"][0]["name"] == "Sri Wibowo"


def test_the_equity_audit_shows_recusals_and_overrides(client, kasi, kepala, petugas, keden_household):
    application, _pin = apply_for(petugas, keden_household)
    recusal = actions.recusal_declare(actor=petugas, application=application, relation="tetangga dekat")
    actions.recusal_override(actor=kepala, recusal=recusal, reason="Petugas tunggal di loket")
    client.force_login(kasi)
    today = dt.date.today()
    html = client.get(reverse("justice:equity"), {"start": today.replace(day=1).isoformat(), "end": today.isoformat()})
    text = html.content.decode()
    assert 'id="recusals"' in text and "Petugas tunggal di loket" in text


def test_the_appointment_list_runs_a_bounded_number_of_queries(
    client, kasi, operator_trobayan, operator_keden, in_verification, django_assert_max_num_queries
):
    for case in in_verification:
        appoint(kasi, operator_keden, application=case)
        appoint(kasi, operator_trobayan, desa=[KEDEN, "33.14.01.2002"])
    client.force_login(kasi)
    # Session and user, the form's officers and desa, the list with its desa, the own work list.
    with django_assert_max_num_queries(10):
        html = client.get(reverse("cases:appointments")).content.decode()
    assert html.count('<tr id="appointment-') == 4


def test_a_resent_appointment_key_returns_the_earlier_row_only_for_the_same_actor_and_target(
    kasi, kepala, verifikator, operator_trobayan, in_verification
):
    keden_case, _trobayan_case = in_verification
    key = "5d7c1a40-2b7e-4d8e-9a51-0c3f6b2e8a11"

    def send(actor, appointee):
        return actions.appointment_create(
            actor=actor,
            appointee=appointee,
            application=keden_case,
            valid_from=dt.date(2026, 11, 1),
            valid_until=dt.date(2026, 12, 31),
            reason="Bantuan verifikasi",
            submission_key=key,
        )

    first = send(kasi, operator_trobayan)
    assert send(kasi, operator_trobayan) == first
    with pytest.raises(TransitionRefused, match="sudah dipakai"):
        send(kepala, operator_trobayan)
    with pytest.raises(TransitionRefused, match="sudah dipakai"):
        send(kasi, verifikator)
