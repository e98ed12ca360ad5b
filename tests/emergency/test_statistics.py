import datetime as dt

import pytest
import time_machine

from satupintu.emergency.actions import call_step
from satupintu.emergency.selectors import clinic_counts, response_times
from tests.conftest import GEMOLONG_DESA, KEDEN, TROBAYAN

from .conftest import take_call

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)


def _served(actor, desa, hospital, vehicle, at, minutes):
    with time_machine.travel(at, tick=False) as clock:
        call = take_call(actor, desa, hospital, patient_name="Pasien")
        call = call_step(actor=actor, call=call, name="dispatch", data={"vehicle": vehicle})
        clock.move_to(at + dt.timedelta(minutes=minutes))
        call = call_step(actor=actor, call=call, name="arrive")
        call = call_step(actor=actor, call=call, name="deliver")
        call_step(actor=actor, call=call, name="return")


def test_response_time_per_kecamatan_against_the_standard(petugas, regions, hospital, vehicle):
    from satupintu.regions.models import Region

    gemolong = Region.objects.get(code=GEMOLONG_DESA)
    for day, minutes in enumerate([10, 20, 25, 35, 12]):
        desa = regions[KEDEN] if day % 2 == 0 else regions[TROBAYAN]
        _served(petugas, desa, hospital, vehicle, START + dt.timedelta(days=day), minutes)
    for day, minutes in enumerate([40, 50]):
        _served(petugas, gemolong, hospital, vehicle, START + dt.timedelta(days=day, hours=3), minutes)
    with time_machine.travel(START + dt.timedelta(days=6), tick=False):
        take_call(petugas, gemolong, hospital, patient_name="Belum tiba")  # counted, not yet measured
        cancelled = take_call(petugas, gemolong, hospital, patient_name="Batal")
        call_step(actor=petugas, call=cancelled, name="cancel", data={"reason": "Dibawa keluarga"})
    take_call(petugas, regions[KEDEN], hospital, patient_name="Di luar periode")

    stats = response_times(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    rows = {row.name: row for row in stats["rows"]}
    kalijambe, gem = rows["Kalijambe"], rows["Gemolong"]
    assert (kalijambe.calls, kalijambe.reached, kalijambe.median, kalijambe.p90) == (5, 5, 20, 35)
    assert (kalijambe.within, kalijambe.measured) == (4, 5) and kalijambe.share_within == 0.8
    assert (gem.calls, gem.reached, gem.median, gem.within) == (3, 2, 45, 0)
    assert stats["total"].calls == 8 and stats["total"].reached == 7
    only = response_times(dt.date(2026, 11, 1), dt.date(2026, 11, 30), kecamatan="33.14.01")
    assert [row.name for row in only["rows"]] == ["Kalijambe"]


def test_clinic_visits_are_counted_per_tier_and_kecamatan(client, petugas, keden_household):
    from satupintu.documents.actions import document_issue_card
    from satupintu.emergency.actions import visit_register
    from satupintu.emergency.eligibility import check_card
    from satupintu.emergency.selectors import people_for

    card = document_issue_card(actor=petugas, kind="saraswati", household=keden_household, tier="melati")
    check = check_card(card.qr_text, people_for(petugas))
    for referred in (False, True, False):
        visit_register(
            actor=petugas, check=check, person=keden_household.head, service="pemeriksaan", referred=referred
        )
    today = dt.date.today()
    counts = clinic_counts(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    assert counts["rows"] == [{"name": "Kalijambe", "counts": [3, 0, 0, 0], "total": 3, "referred": 1}]
    assert counts["tiers"][0] == "Melati"
