"""The equity report's XLSX and PDF exports as queued jobs (ops/jobs.py): over a whole regency and a
long period the report takes longer than a web request may wait."""

import datetime as dt

from satupintu.accounts.permissions import EQUITY_REPORT
from satupintu.ops.jobs import job_create
from satupintu.ops.models import Job

from . import distributive
from .documents import equity_file
from .extract import Period
from .report import build

FORMATS = ("xlsx", "pdf")


def equity_export_queue(*, actor, period: Period, fmt: str) -> Job:
    return job_create(
        actor=actor,
        kind=Job.Kind.EQUITY_EXPORT,
        work="satupintu.justice.tasks.export_equity",
        parameters={**period.query(), "format": fmt},
        permission=EQUITY_REPORT,
    )


def export_equity(job: Job, progress) -> tuple[str, bytes]:
    parameters = job.parameters
    period = Period(
        dt.date.fromisoformat(parameters["start"]),
        dt.date.fromisoformat(parameters["end"]),
        parameters.get("kecamatan", ""),
    )
    progress(0, 2)
    report = build(period)
    distributive.withhold_identifiers(report, job.requested_by)
    progress(1, 2)
    return equity_file(report, parameters["format"])
