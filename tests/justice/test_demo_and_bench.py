"""The demo data (idempotent, complaints in every state, the planted unfairness flagged) and the
benchmark's code path at a tiny size."""

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from django.utils import timezone

from satupintu.cases.models import Application
from satupintu.complaints.models import Complaint, Status
from satupintu.complaints.sweep import escalate_overdue
from satupintu.demo.accounts import ensure_demo_users
from satupintu.demo.justice import ensure_justice_demo
from satupintu.demo.registry import generate
from satupintu.justice.extract import Period
from satupintu.justice.report import build
from satupintu.survey.models import Response

pytestmark = pytest.mark.django_db


def test_the_demo_is_idempotent_and_its_audit_flags_tangen(regions):
    generate(2000, seed=2012)  # the demo's registry: every kecamatan has households
    ensure_demo_users()
    ensure_justice_demo()
    counts = (Application.objects.count(), Complaint.objects.count(), Response.objects.count())
    ensure_justice_demo()
    assert (Application.objects.count(), Complaint.objects.count(), Response.objects.count()) == counts
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    assert Complaint.objects.filter(sensitive=True, anonymous=True).exists()
    assert escalate_overdue()[1] > 0  # overdue complaints wait for the escalation schedule's first run
    today = timezone.localdate()
    report = build(Period(today - dt.timedelta(days=365), today))
    assert any("Tangen" in finding for finding in report.findings)
    assert report.outcomes["ikm"].respondents == counts[2] > 0


def test_the_benchmark_builds_the_report_at_a_tiny_size(regions):
    path = Path(__file__).resolve().parents[2] / "bench" / "equity_report.py"
    spec = importlib.util.spec_from_file_location("equity_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    today = timezone.localdate()
    bench.setup_data(300, 400, today=today, log=lambda text: None, load=False)
    results = bench.measure(today, repeat=1)
    assert results["count"][1] == 400 and results["extraction"][1] == 400
    assert any("Tangen" in finding for finding in results["report"][1].findings)
