"""Reads of the survey's public pages."""

from satupintu.cases.models import Application

from .models import Invitation, Response


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("application__service").filter(token=token).first()


def answered(invitation: Invitation) -> bool:
    return Response.objects.filter(invitation=invitation).exists()


def application_by_receipt(number: str) -> Application | None:
    """The application of a receipt number, with its invitation if one was sent."""
    return Application.objects.filter(number=number.strip().upper()).select_related("survey_invitation").first()
