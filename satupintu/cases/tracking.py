"""Public tracking by receipt number + PIN: rate-limited, and silent about which part was wrong."""

from django.utils import timezone

from satupintu.accounts.pins import attempt_allowed, pin_matches

from .models import Application, EventType

PUBLIC_EVENTS = {t for t in EventType if t != EventType.QUEUE_EXCEPTION}


def rate_limited(request, number: str) -> bool:
    """True when this client or this receipt number has spent its PIN attempts (accounts/pins.py:
    one budget per client and one per number, shared by every page and endpoint that checks a PIN)."""
    return not attempt_allowed(request, number)


def find(number: str, pin: str) -> Application | None:
    application = (
        Application.objects.select_related("service", "applicant").filter(number=(number or "").strip().upper()).first()
    )
    return application if pin_matches(pin, application.pin_hash if application else None) else None


def public_view(application: Application) -> dict:
    """What a citizen sees: no personal data beyond the first name, no officers, no reasons."""
    events = application.events.filter(type__in=PUBLIC_EVENTS).order_by("at", "id")
    return {
        "number": application.number,
        "service": application.service.name,
        "first_name": (application.applicant.name.split() or [""])[0],
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "received_at": application.received_at,
        "due_date": application.due_date,
        # Past its due date while the clock runs: the citizen is told the case is late, not left to count.
        "late": application.clock_running
        and application.due_date is not None
        and application.due_date < timezone.localdate(),
        "history": [
            {"at": e.at, "event": str(EventType(e.type).label), "status": e.to_status or application.status}
            for e in events
        ],
    }
