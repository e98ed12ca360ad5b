import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.audit import chain
from satupintu.budgets import actions, selectors
from satupintu.budgets.models import EntryKind, Flow, LedgerEntry, SourceKind, Unit
from satupintu.regions.models import Region
from tests.conftest import KALIJAMBE, KEDEN, TROBAYAN, apply_for, household_in

from .conftest import YEAR, programme_of, source_with

pytestmark = pytest.mark.django_db
ON = dt.date(YEAR, 3, 5)


def pay(actor, source, household, amount="100000", units=None, **extra):
    return actions.record_entry(
        actor=actor,
        programme=source.programme,
        source=source,
        household=household,
        kind=extra.pop("kind", EntryKind.PAYMENT),
        on=ON,
        amount=amount,
        units=units,
        **extra,
    )


def test_a_payment_is_realisation_and_a_reversal_takes_it_back(petugas, apbd, keden_household):
    entry = pay(petugas, apbd, keden_household, method="tunai", recipient_name="Sutrisno")
    assert (entry.flow, entry.kecamatan_id, entry.desa_id) == (Flow.OUT, KALIJAMBE, KEDEN)
    assert selectors.realisation(apbd.programme)[0]["amount"] == Decimal("100000")
    reversal = actions.reverse_entry(actor=petugas, entry=entry, reason="Salah penerima")
    assert (reversal.kind, reversal.amount, reversal.reverses) == (EntryKind.REVERSAL, Decimal("-100000"), entry)
    assert selectors.realisation(apbd.programme)[0]["amount"] == 0
    assert selectors.remaining(apbd).amount == Decimal("1000000")
    assert LedgerEntry.objects.count() == 2
    assert chain.verify(LedgerEntry).broken_id is None


def test_an_entry_is_reversed_once_and_a_reversal_is_not_reversed(petugas, apbd, keden_household):
    entry = pay(petugas, apbd, keden_household)
    reversal = actions.reverse_entry(actor=petugas, entry=entry, reason="Ganda")
    with pytest.raises(actions.BudgetRefused, match="sudah dibalik"):
        actions.reverse_entry(actor=petugas, entry=entry, reason="Ganda")
    with pytest.raises(actions.BudgetRefused, match="tidak dapat dibalik"):
        actions.reverse_entry(actor=petugas, entry=reversal, reason="Ganda")


def test_a_reversal_needs_a_reason(petugas, apbd, keden_household):
    with pytest.raises(actions.BudgetRefused, match="Alasan"):
        actions.reverse_entry(actor=petugas, entry=pay(petugas, apbd, keden_household), reason="")


def test_a_ledger_row_is_never_changed(petugas, apbd, keden_household):
    entry = pay(petugas, apbd, keden_household)
    entry.amount = Decimal(1)
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_a_payment_without_commitment_stays_within_the_ceiling(petugas, apbd, keden_household):
    pay(petugas, apbd, keden_household, amount="900000")
    with pytest.raises(actions.OverCeiling, match="sebesar Rp 50.000"):
        pay(petugas, apbd, keden_household, amount="150000")


def test_a_payment_from_a_commitment_uses_the_ceiling_once_and_never_more_than_committed(
    kepala, petugas, apbd, keden_household
):
    application = apply_for(petugas, keden_household, "raskin")[0]
    kalijambe = Region.objects.get(code=KALIJAMBE)
    actions.commit_budget(
        actor=kepala, source=apbd, items=[(application, Decimal(600000), None, kalijambe)], round_ref="1"
    )
    entry = pay(petugas, apbd, keden_household, amount="400000", application=application)
    assert entry.commitment is not None
    assert selectors.remaining(apbd).amount == Decimal("400000")
    with pytest.raises(actions.OverCeiling, match="komitmen"):
        pay(petugas, apbd, keden_household, amount="300000", application=application)


def test_the_proof_is_kept_and_the_chain_holds(petugas, apbd, keden_household):
    proof = SimpleUploadedFile("kwitansi.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    entry = pay(petugas, apbd, keden_household, proof=proof, proof_note="Kwitansi")
    assert LedgerEntry.objects.get(pk=entry.pk).proof.read() == b"%PDF-1.4 bukti"
    assert chain.verify(LedgerEntry).broken_id is None


def test_the_same_submission_key_records_once(petugas, apbd, keden_household):
    first = pay(petugas, apbd, keden_household, submission_key="k-1")
    assert pay(petugas, apbd, keden_household, submission_key="k-1") == first
    assert LedgerEntry.objects.count() == 1


def test_only_ledger_officers_record(operator_keden, auditor, apbd, keden_household):
    for user in (operator_keden, auditor):
        with pytest.raises(PermissionDenied):
            pay(user, apbd, keden_household)


def test_stock_on_hand_is_never_negative(kepala, petugas, keden_household, trobayan_household):
    programme = programme_of(kepala, "kursi-roda", Unit.ITEM)
    donation = source_with(kepala, programme, kind=SourceKind.DONATION, name="Donasi")
    receipt = actions.record_entry(
        actor=petugas, programme=programme, source=donation, household=None, kind=EntryKind.STOCK_RECEIPT,
        on=ON, units=2, note="Donasi Rotary",
    )  # fmt: skip
    assert selectors.stock(donation) == selectors.Figures(Decimal(2), Decimal(2))
    pay(petugas, donation, keden_household, amount=None, units=1, kind=EntryKind.STOCK_ISSUE)
    with pytest.raises(actions.OverCeiling, match="tersedia 1 unit"):
        pay(petugas, donation, trobayan_household, amount=None, units=2, kind=EntryKind.STOCK_ISSUE)
    with pytest.raises(actions.OverCeiling, match="membalik penerimaan"):
        actions.reverse_entry(actor=petugas, entry=receipt, reason="Salah catat")
    assert selectors.stock(donation).units == 1


def test_realisation_by_kecamatan_and_month(petugas, apbd, keden_household):
    gemolong = household_in("33.14.13.2001", "Karyo")
    pay(petugas, apbd, keden_household, amount="100000")
    pay(petugas, apbd, gemolong, amount="50000")
    rows = selectors.realisation(YEAR, by=("kecamatan", "month"))
    assert [(r["kecamatan"], r["month"], r["amount"], r["households"]) for r in rows] == [
        (KALIJAMBE, 3, Decimal("100000"), 1),
        ("33.14.13", 3, Decimal("50000"), 1),
    ]


def test_an_operator_sees_only_its_desa_rows(petugas, operator_keden, operator_trobayan, apbd, keden_household):
    entry = pay(petugas, apbd, keden_household)
    assert list(selectors.ledger_for(operator_keden)) == [entry]
    assert not selectors.ledger_for(operator_trobayan).exists()
    assert TROBAYAN != KEDEN


def test_a_raskin_handover_is_refused_in_the_ledger_and_kept_to_the_desa_through_raskin(
    operator_keden, petugas, apbd, keden_household, trobayan_household
):
    for actor in (operator_keden, petugas):
        with pytest.raises(actions.BudgetRefused, match="halaman penyalurannya"):
            pay(actor, apbd, keden_household, amount=None, units=10, kind=EntryKind.HANDOVER)
    assert not LedgerEntry.objects.exists()
    handover = {"amount": None, "units": 10, "kind": EntryKind.HANDOVER, "_distribution": True}
    entry = pay(operator_keden, apbd, keden_household, **handover)
    assert entry.officer == operator_keden
    with pytest.raises(PermissionDenied):
        pay(operator_keden, apbd, trobayan_household, **handover)
    with pytest.raises(PermissionDenied):
        actions.reverse_entry(actor=operator_keden, entry=entry, reason="Salah rumah tangga")
    reversal = actions.reverse_entry(actor=operator_keden, entry=entry, reason="Salah rumah tangga", _distribution=True)
    assert reversal.units == -10


def test_ledger_dates_in_the_future_or_outside_the_fiscal_year_are_refused(petugas, apbd, keden_household):
    with time_machine.travel(dt.datetime(YEAR, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        for on, message in ((dt.date(YEAR, 6, 2), "masa depan"), (dt.date(YEAR - 1, 12, 31), "tahun anggaran")):
            with pytest.raises(actions.BudgetRefused, match=message):
                actions.record_entry(
                    actor=petugas, programme=apbd.programme, source=apbd, household=keden_household,
                    kind=EntryKind.PAYMENT, on=on, amount="1000",
                )  # fmt: skip
    assert not LedgerEntry.objects.exists()


def test_a_resent_submission_key_returns_the_entry_only_for_the_same_actor_and_target(
    petugas, apbd, keden_household, trobayan_household
):
    key = "a" * 64
    first = pay(petugas, apbd, keden_household, submission_key=key)
    assert pay(petugas, apbd, keden_household, submission_key=key) == first
    with pytest.raises(actions.BudgetRefused, match="sudah dipakai"):
        pay(petugas, apbd, trobayan_household, submission_key=key)
    reversal = actions.reverse_entry(actor=petugas, entry=first, reason="Salah", submission_key="b" * 64)
    assert actions.reverse_entry(actor=petugas, entry=first, reason="Salah", submission_key="b" * 64) == reversal
    assert LedgerEntry.objects.count() == 2
