"""Death records: the membership closes, a dead head is replaced, bad dates are refused, and the
santunan duka application names the death and is checked against the claim period."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from satupintu.audit.models import AuditLog
from satupintu.cases.actions import application_create
from satupintu.cases.effects import TransitionRefused
from satupintu.cases.facts import facts_for
from satupintu.catalogue.rules import evaluate
from satupintu.registry import actions
from satupintu.registry.models import Death, Household, Membership, Person
from tests.conftest import KEDEN, apply_for, household_in, mark_poor

pytestmark = pytest.mark.django_db
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def _on(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 10, 0, tzinfo=JAKARTA), tick=False)


def _spouse(household):
    return household.members.get(relationship="pasangan")


def test_a_members_death_closes_the_membership_and_leaves_an_audit_row(keden_household, petugas):
    spouse = _spouse(keden_household)
    death = actions.record_death(
        actor=petugas, person=spouse, died_on=dt.date(2026, 3, 1), source="laporan_desa", reference="474/12/2026"
    )
    spouse.refresh_from_db()
    assert spouse.household_id is None
    membership = Membership.objects.get(person=spouse)
    assert membership.end == dt.date(2026, 3, 1) and membership.reason == "Meninggal dunia"
    assert list(keden_household.members.all()) == [keden_household.head]
    assert death.household_id == keden_household.pk and death.recorded_by == petugas
    row = AuditLog.objects.get(object_type="registry.death", object_id=str(death.pk))
    assert row.household_id == keden_household.pk and row.actor == petugas


def test_a_dead_head_is_replaced_by_the_chosen_member(keden_household, petugas):
    head, spouse = keden_household.head, _spouse(keden_household)
    with pytest.raises(ValidationError, match="pilih kepala keluarga baru"):
        actions.record_death(actor=petugas, person=head, died_on=dt.date(2026, 3, 1), source="dukcapil")
    assert not Death.objects.exists()
    actions.record_death(actor=petugas, person=head, died_on=dt.date(2026, 3, 1), source="dukcapil", new_head=spouse)
    keden_household.refresh_from_db()
    spouse.refresh_from_db()
    assert keden_household.head == spouse and spouse.relationship == "kepala"
    assert Membership.objects.get(person=spouse, end__isnull=True).relationship == "kepala"


def test_the_last_members_death_leaves_the_household_without_a_head(regions, petugas):
    household = household_in(KEDEN, "Paijo", members=1)
    actions.record_death(actor=petugas, person=household.head, died_on=dt.date(2026, 2, 2), source="rumah_sakit")
    household = Household.objects.get(pk=household.pk)
    assert household.head_id is None and not household.members.exists()


def test_a_new_head_must_be_a_member_of_the_same_household(keden_household, trobayan_household, petugas):
    with pytest.raises(ValidationError, match="anggota rumah tangga yang sama"):
        actions.record_death(
            actor=petugas,
            person=keden_household.head,
            died_on=dt.date(2026, 3, 1),
            source="dukcapil",
            new_head=_spouse(trobayan_household),
        )


@_on(2026, 6, 1)
def test_a_death_in_the_future_or_before_birth_is_refused(keden_household, petugas):
    spouse = _spouse(keden_household)
    with pytest.raises(ValidationError, match="masa depan"):
        actions.record_death(actor=petugas, person=spouse, died_on=dt.date(2026, 6, 2), source="laporan_desa")
    with pytest.raises(ValidationError, match="sebelum tanggal lahir"):
        actions.record_death(actor=petugas, person=spouse, died_on=dt.date(1979, 8, 20), source="laporan_desa")
    assert not Death.objects.exists()
    assert Person.objects.get(pk=spouse.pk).household_id == keden_household.pk


def test_recording_a_death_twice_is_refused_and_a_resent_form_finds_the_first(keden_household, petugas):
    spouse, key = _spouse(keden_household), uuid.uuid4()
    first = actions.record_death(
        actor=petugas, person=spouse, died_on=dt.date(2026, 3, 1), source="laporan_desa", submission_key=key
    )
    again = actions.record_death(
        actor=petugas, person=spouse, died_on=dt.date(2026, 3, 1), source="laporan_desa", submission_key=key
    )
    assert again == first
    with pytest.raises(ValidationError, match="sudah tercatat meninggal"):
        actions.record_death(actor=petugas, person=spouse, died_on=dt.date(2026, 3, 2), source="laporan_desa")
    assert Death.objects.count() == 1


def _form(**extra):
    return {"died_on": "2026-03-01", "source": "laporan_desa", "reference": "", "note": "", **extra}


def test_the_operator_records_a_death_on_the_page_after_confirming(client, keden_household, operator_keden):
    spouse = _spouse(keden_household)
    client.force_login(operator_keden)
    detail = client.get(reverse("registry:household_detail", args=[keden_household.pk]))
    assert reverse("registry:death_record", args=[spouse.pk]) in detail.content.decode()
    url = reverse("registry:death_record", args=[spouse.pk])
    unconfirmed = client.post(url, _form())
    assert unconfirmed.status_code == 200 and not Death.objects.exists()
    key = str(uuid.uuid4())
    response = client.post(url, _form(confirm="on", submission_key=key))
    assert response.status_code == 302 and Death.objects.get().person == spouse
    resent = client.post(url, _form(confirm="on", submission_key=key))
    assert resent.status_code == 302 and Death.objects.count() == 1
    page = client.get(reverse("registry:household_detail", args=[keden_household.pk])).content.decode()
    assert "Kematian tercatat" in page


def test_the_page_asks_for_the_new_head_when_the_head_died(client, keden_household, operator_keden):
    client.force_login(operator_keden)
    url = reverse("registry:death_record", args=[keden_household.head_id])
    response = client.post(url, _form(confirm="on"))
    assert response.status_code == 200 and "new_head" in response.context["form"].errors
    response = client.post(url, _form(confirm="on", new_head=_spouse(keden_household).pk))
    assert response.status_code == 302


def test_an_operator_of_another_desa_gets_404(client, trobayan_household, operator_keden):
    client.force_login(operator_keden)
    url = reverse("registry:death_record", args=[trobayan_household.head_id])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(confirm="on")).status_code == 404
    assert not Death.objects.exists()


def test_an_auditor_may_not_record_a_death(client, keden_household, auditor):
    client.force_login(auditor)
    assert client.get(reverse("registry:death_record", args=[keden_household.head_id])).status_code == 403


def _santunan(petugas, household, died_on, applied_on):
    spouse = _spouse(household)
    death = actions.record_death(actor=petugas, person=spouse, died_on=died_on, source="laporan_desa")
    with _on(*applied_on.timetuple()[:3]):
        application, _pin = apply_for(petugas, household, "santunan-duka", details={"death_id": death.pk})
    return application, death


def _death_criterion(application):
    result = evaluate("santunan-duka", facts_for(application), application.received_at.astimezone(JAKARTA).date())
    return next(c for c in result.criteria if c.name == "kematian_tercatat")


def test_santunan_within_the_claim_period_names_the_recorded_death(keden_household, petugas):
    mark_poor(keden_household)
    application, death = _santunan(petugas, keden_household, dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    assert application.details == {"death_id": death.pk, "date_of_death": "2026-03-01", "deceased": "Sumiyati"}
    criterion = _death_criterion(application)
    assert criterion.met and "31 hari" in criterion.explanation


def test_santunan_outside_the_claim_period_is_flagged_with_the_days(keden_household, petugas):
    mark_poor(keden_household)
    application, _death = _santunan(petugas, keden_household, dt.date(2025, 1, 10), dt.date(2026, 4, 1))
    criterion = _death_criterion(application)
    assert not criterion.met
    assert criterion.explanation == "Diajukan 446 hari setelah meninggal, lebih dari batas 365 hari."


def test_santunan_for_a_death_of_another_household_or_twice_is_refused(keden_household, trobayan_household, petugas):
    application, death = _santunan(petugas, keden_household, dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    with pytest.raises(TransitionRefused, match="tidak tercatat pada rumah tangga pemohon"):
        apply_for(petugas, trobayan_household, "santunan-duka", details={"death_id": death.pk})
    with pytest.raises(TransitionRefused, match="sudah diajukan"):
        application_create(
            actor=petugas,
            service=application.service,
            applicant=keden_household.head,
            details={"death_id": death.pk},
            duplicate_reason="Pengajuan kedua",
        )


def test_a_typed_date_without_a_recorded_death_is_flagged(keden_household, petugas):
    mark_poor(keden_household)
    with _on(2026, 4, 1):
        application, _pin = apply_for(
            petugas, keden_household, "santunan-duka", details={"date_of_death": "2026-03-01"}
        )
    assert "belum tercatat di registri" in _death_criterion(application).explanation


def test_the_santunan_intake_form_asks_for_the_recorded_death(client, keden_household, operator_keden):
    from satupintu.cases.models import Application

    spouse = _spouse(keden_household)
    death = actions.record_death(actor=operator_keden, person=spouse, died_on=dt.date(2026, 3, 1), source="dukcapil")
    client.force_login(operator_keden)
    url = reverse("cases:intake", args=[keden_household.pk]) + "?layanan=santunan-duka"
    form = client.get(url).context["form"]
    assert [pk for pk, _label in form.fields["death"].choices if pk] == [death.pk]
    present = [pk for pk, _label in form.fields["present"].choices]
    missing = client.post(url, {"applicant": keden_household.head_id, "present": present})
    assert missing.status_code == 200 and "death" in missing.context["form"].errors
    client.post(url, {"applicant": keden_household.head_id, "present": present, "death": death.pk})
    assert Application.objects.get().details["death_id"] == death.pk
