"""Santunan duka cita (Sangduta): the application names the death recorded in the registry.

The application's details keep the death's id with its date and the deceased's name, as the other
services keep their own facts there. The date the rules read is always the recorded one, so the
claim period (`sangduta_claim_days`, from the death to the day of receipt) is checked against the
registry, not a typed date.
"""

from django.utils.translation import gettext as _

from satupintu.registry.models import Death

from .models import Application
from .status import CLOSED_STATUSES, Status

SERVICE = "santunan-duka"


def death_details(death: Death) -> dict:
    return {"death_id": death.pk, "date_of_death": death.died_on.isoformat(), "deceased": death.person.name}


def link_death(service, applicant, details: dict, refused=ValueError) -> dict:
    """The details with the recorded death checked and its date and name filled in (call with the
    household row locked). Raises `refused` with the reason when the death is not of the applicant's household
    or already has an open or granted application. Without a `death_id` the details stay as given;
    the rules then say that no recorded death backs the date."""
    if service.code != SERVICE or "death_id" not in details:
        return details
    try:
        death = Death.objects.select_related("person").get(pk=int(details["death_id"]))
    except (Death.DoesNotExist, TypeError, ValueError):
        death = None
    if death is None or death.household_id != applicant.household_id:
        raise refused(_("Kematian yang dipilih tidak tercatat pada rumah tangga pemohon."))
    earlier = (
        Application.objects.filter(service=service, details__death_id=death.pk)
        .exclude(status__in=CLOSED_STATUSES - {Status.COMPLETED})
        .values_list("number", flat=True)
        .first()
    )
    if earlier:
        raise refused(
            _("Santunan duka untuk kematian %(name)s sudah diajukan: %(number)s.")
            % {"name": death.person.name, "number": earlier}
        )
    return {**details, **death_details(death)}


def recorded_death(details: dict) -> dict:
    """The facts of the linked death for the rules: its recorded date, and whether one is linked."""
    death_id = details.get("death_id")
    if death_id is None:
        return {"death_recorded": False}
    died_on = Death.objects.filter(pk=death_id).values_list("died_on", flat=True).first()
    if died_on is None:
        return {"death_recorded": False}
    return {"death_recorded": True, "date_of_death": died_on.isoformat()}
