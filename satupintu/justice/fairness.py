"""Report sections on the fair handling of cases: the fast-path clock per service and desk, the
partner agencies' on-time responses to referrals (monthly report), and recusals with their overrides
(equity audit)."""

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate

from satupintu.cases.fastpath import standard_expression
from satupintu.cases.models import CaseRecusal, Channel, Referral
from satupintu.cases.selectors import applications_for

from .extract import Period


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def fast_path_shares(user, period: Period) -> list[dict]:
    """Fast-path cases issued in the period, per service and desk: how many, how many within the
    standard in force on their day of receipt, the share and the mean minutes."""
    low, high = period.bounds()
    rows = (
        applications_for(user)
        .filter(fast_path=True, issued_at__gte=low, issued_at__lt=high, issue_minutes__isnull=False)
        .annotate(standard_minutes=standard_expression())
        .values("service__code", "service__name", "channel")
        .annotate(
            n=Count("id"),
            within=Count("id", filter=Q(issue_minutes__lte=F("standard_minutes"))),
            mean=Avg("issue_minutes"),
        )
        .order_by("service__code", "channel")
    )
    desks = dict(Channel.choices)
    return [
        {
            "service": row["service__name"],
            "desk": desks.get(row["channel"], row["channel"]),
            "n": row["n"],
            "within": row["within"],
            "share": _share(row["within"], row["n"]),
            "mean": row["mean"],
        }
        for row in rows
    ]


def referral_on_time(user, period: Period) -> list[dict]:
    """Per partner agency: referrals with a response standard answered in the period, answered by
    their due date, the share, and those still open past their due date now."""
    low, high = period.bounds()
    referrals = Referral.objects.filter(
        application__in=applications_for(user).values("pk"), due_date__isnull=False
    ).annotate(answered_on=TruncDate("outcome_at"))
    answered = Q(outcome_at__gte=low, outcome_at__lt=high)
    rows = (
        referrals.values("agency__name")
        .annotate(
            answered=Count("id", filter=answered),
            on_time=Count("id", filter=answered & Q(answered_on__lte=F("due_date"))),
            overdue_open=Count("id", filter=~Q(state=Referral.State.DONE) & Q(deadline_state="overdue")),
        )
        .filter(Q(answered__gt=0) | Q(overdue_open__gt=0))
        .order_by("agency__name")
    )
    return [{**row, "share": _share(row["on_time"], row["answered"])} for row in rows]


def recusal_audit(period: Period) -> dict:
    """Recusals recorded in the period by kind, the surname flags and how they were reviewed, the
    kepala's overrides, and the officers concerned (counts only)."""
    low, high = period.bounds()
    qs = CaseRecusal.objects.filter(declared_at__gte=low, declared_at__lt=high)
    if period.kecamatan:
        qs = qs.filter(application__desa__parent_id=period.kecamatan)
    kinds = dict(qs.order_by().values_list("kind").annotate(n=Count("id")))
    officers = (
        qs.values("officer__username", "officer__first_name", "officer__last_name")
        .annotate(
            n=Count("id"),
            overridden=Count("id", filter=Q(overridden_at__isnull=False)),
            cases=Count("application", distinct=True),
        )
        .order_by("-n", "officer__username")
    )
    return {
        "kinds": [(label, kinds.get(value, 0)) for value, label in CaseRecusal.Kind.choices],
        "total": sum(kinds.values()),
        "confirmed": qs.filter(outcome=CaseRecusal.Outcome.CONFIRMED).count(),
        "cleared": qs.filter(outcome=CaseRecusal.Outcome.CLEARED).count(),
        "awaiting": qs.filter(kind=CaseRecusal.Kind.SURNAME, outcome="", overridden_at__isnull=True).count(),
        "overrides": list(
            qs.filter(overridden_at__isnull=False)
            .select_related("overridden_by", "officer", "application")
            .order_by("overridden_at")[:50]
        ),
        "officers": [
            {
                "name": " ".join(x for x in (o["officer__first_name"], o["officer__last_name"]) if x)
                or o["officer__username"],
                "n": o["n"],
                "overridden": o["overridden"],
                "cases": o["cases"],
            }
            for o in officers
        ],
    }
