"""The equity audit end to end (extraction, classification, statistics): a planted disparity is
flagged, random noise of the same size on balanced data is not."""

import datetime as dt

import pytest
from django.utils import timezone

from satupintu.cases.models import Application, QueueException
from satupintu.justice.extract import Period
from satupintu.justice.report import build
from satupintu.regions.models import Region

from .conftest import TANGEN, TODAY, history, make_application

pytestmark = pytest.mark.django_db
YEAR = Period(TODAY - dt.timedelta(days=365), TODAY)


def kecamatan_gaps(report):
    return next(item for item in report.consistency if item["dimension"] == "kecamatan")


def test_a_kecamatan_served_slower_is_flagged(staff_users):
    history(staff_users, slow=TANGEN)
    report = build(YEAR)
    gaps = kecamatan_gaps(report)
    assert gaps["duration"].flagged and gaps["duration"].p_value < 0.01
    assert gaps["on_time"].flagged
    slowest = max(gaps["groups"], key=lambda group: group["median"])
    assert slowest["key"] == TANGEN
    assert any("Tangen" in finding for finding in report.findings)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_balanced_data_with_the_same_noise_is_not_flagged(staff_users, seed):
    history(staff_users, seed=seed)
    report = build(YEAR)
    assert not kecamatan_gaps(report)["duration"].flagged
    assert not kecamatan_gaps(report)["on_time"].flagged
    assert report.access["kecamatan"].flagged == [] and report.access["desa"].flagged == []
    assert not any("Tangen" in finding for finding in report.findings)


def test_a_small_gap_is_not_material_even_with_many_cases(staff_users):
    # Half a working day slower on average does not cross the 1-day materiality line of the medians.
    history(staff_users, slow=TANGEN, slow_extra=0)
    assert not kecamatan_gaps(build(YEAR))["duration"].flagged


def test_an_area_with_far_fewer_applications_per_poor_household_is_flagged(staff_users):
    history(staff_users, applications=1200)
    tangen = Application.objects.filter(desa__parent_id=TANGEN)
    keep = list(tangen.values_list("pk", flat=True)[:3])
    # The others are moved to a desa of another kecamatan (an application's events are append-only,
    # so the history is thinned by moving, not deleting).
    elsewhere = Region.objects.filter(level="desa").exclude(parent_id=TANGEN).order_by("code").first()
    tangen.exclude(pk__in=keep).update(desa=elsewhere)
    report = build(YEAR)
    assert "Tangen" in report.access["kecamatan"].flagged
    row = next(row for row in report.access["kecamatan_rows"] if row["code"] == TANGEN)
    assert row["flagged"] and row["applications"] == 3
    assert report.access["kecamatan"].ratio_max_min > 5


def test_procedural_fairness_counts_reasons_overrides_and_queue_exceptions(keden_household, kasi, kepala):
    received = TODAY - dt.timedelta(days=20)
    decided = TODAY - dt.timedelta(days=10)
    make_application(keden_household, received=received, decided=decided, decider=kasi)
    make_application(keden_household, received=received, decided=decided, decider=kasi, reason="")
    overridden = make_application(
        keden_household, received=received, decided=decided, decider=kepala, override="Darurat."
    )
    make_application(keden_household, received=received, decider=kasi)  # still open
    QueueException.objects.create(application=overridden, actor=kasi, queue="decision", skipped=2, reason="Sakit.")
    report = build(Period(YEAR.start, timezone.localdate()))  # the exception is recorded now
    proc = report.procedural
    assert proc["decisions"] == 3
    assert proc["reasoned"] == pytest.approx(2 / 3)
    by_name = {officer["name"]: officer for officer in proc["officers"]}
    assert by_name["Kasi"]["decisions"] == 2 and by_name["Kasi"]["unreasoned"] == 1
    assert by_name["Kasi"]["queue_exceptions"] == 1
    assert by_name["Kepala"]["overrides"] == 1


def test_working_days_to_decision_skip_holidays(keden_household, kasi):
    # Received Monday 16 March 2026, decided Thursday 26 March: 3 working days (Nyepi and Lebaran between).
    make_application(keden_household, received=dt.date(2026, 3, 16), decided=dt.date(2026, 3, 26), decider=kasi)
    report = build(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    assert report.rows[0]["days"] == 3


def test_complaints_per_thousand_suppress_small_counts(keden_household, kasi):
    from satupintu.complaints.models import Category
    from tests.complaints.conftest import on, submit

    for _ in range(6):
        make_application(keden_household, received=TODAY - dt.timedelta(days=5))
    with on(2026, 11, 18):
        for _ in range(5):
            submit(category=Category.PENUNDAAN)
        submit(category=Category.TIDAK_PATUT)
        for _ in range(6):
            submit(category=Category.TIDAK_KOMPETEN)
    outcomes = build(YEAR).outcomes
    counts = {item["category"]: item for item in outcomes["complaints"]}
    assert counts["tidak_patut"]["count"] is None  # 1 complaint: suppressed
    # Complementary: the total is published, so the smallest other non-zero cell is hidden too.
    assert counts["penundaan_berlarut"]["count"] is None and counts["penundaan_berlarut"]["per_1000"] is None
    assert counts["tidak_kompeten"]["count"] == 6
    assert counts["tidak_kompeten"]["per_1000"] == pytest.approx(1000)
    assert outcomes["complaints_total"] == 12
