"""Invitations after completion (found from the cases' status, not by editing the cases app),
the response, and IKM per service, per kecamatan and for the unit over a period."""

import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.cases.models import Application
from satupintu.cases.status import Status
from satupintu.lib import ikm
from satupintu.lib.ikm import ELEMENT_KEYS
from satupintu.links import public_url
from satupintu.notifications.actions import text_to

from .models import Invitation, Response


class AlreadyAnswered(Exception):
    pass


def survey_path(invitation: Invitation) -> str:
    return reverse("survey:answer", args=[invitation.token])


def invite_completed(limit: int | None = None) -> int:
    """Invite every completed application not yet invited; returns how many were invited. The SMS
    carries the survey's absolute address on the public site (DOCUMENT_VERIFY_BASE_URL)."""
    pending = (
        Application.objects.filter(status=Status.COMPLETED, survey_invitation__isnull=True)
        .select_related("applicant")
        .order_by("closed_at", "id")
    )
    if limit:
        pending = pending[:limit]
    invited = 0
    for application in pending.iterator():
        invited += _invite(application)
    return invited


def _invite(application) -> bool:
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(application=application, token=secrets.token_urlsafe(32))
            text_to(
                application.applicant.phone,
                _("Terima kasih. Mohon nilai layanan kami (permohonan %(number)s): %(url)s")
                % {"number": application.number, "url": public_url(survey_path(invitation))},
                application=application,
            )
    except IntegrityError:
        return False  # invited meanwhile by another worker
    return True


@transaction.atomic
def response_submit(*, invitation: Invitation, answers: dict, suggestion: str = "") -> Response:
    invitation = Invitation.objects.select_for_update().select_related("application__desa").get(pk=invitation.pk)
    if Response.objects.filter(invitation=invitation).exists():
        raise AlreadyAnswered
    application = invitation.application
    return Response.objects.create(
        invitation=invitation,
        service_id=application.service_id,
        kecamatan_id=application.desa.parent_id,
        submitted_at=timezone.now(),
        suggestion=suggestion,
        **{key: int(answers[key]) for key in ELEMENT_KEYS},
    )


def responses_in(start, end):
    """Responses submitted on local dates start..end (inclusive)."""
    return Response.objects.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)


def ikm_of(responses) -> ikm.IkmResult | None:
    return ikm.compute(responses.values_list(*ELEMENT_KEYS))


def ikm_by(responses, field: str) -> dict:
    """IKM per value of `field` (e.g. "service__code", "kecamatan_id") in one query."""
    groups: dict = {}
    for row in responses.values_list(field, *ELEMENT_KEYS):
        groups.setdefault(row[0], []).append(row[1:])
    return {key: ikm.compute(rows) for key, rows in groups.items()}
