"""Identity checks shared by the web forms, the API and the importer."""

import datetime as dt

from django.utils.translation import gettext as _

from satupintu.lib.nik import IdentifierError, check_nik_matches, parse_kk, parse_nik

from .models import Household, Person


def person_identity_errors(
    *, nik: str | None, sex: str | None, birth_date: dt.date | None, exclude_pk=None
) -> dict[str, list[str]]:
    """Field → messages for a NIK that is malformed, disagrees with sex/birth date, or is taken."""
    errors: dict[str, list[str]] = {}
    if not nik:
        return errors
    try:
        info = parse_nik(nik)
    except IdentifierError as exc:
        return {"nik": [exc.message]}
    for error in check_nik_matches(info, sex=sex, birth_date=birth_date):
        field = "sex" if error.part == "sex" else "birth_date"
        errors.setdefault(field, []).append(error.message)
    taken = Person.objects.filter(nik=nik)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        errors.setdefault("nik", []).append(_("NIK ini sudah terdaftar pada orang lain di registri."))
    return errors


def kk_errors(number: str, exclude_household_pk=None) -> list[str]:
    try:
        parse_kk(number)
    except IdentifierError as exc:
        return [exc.message]
    taken = Household.objects.filter(kk_number=number)
    if exclude_household_pk is not None:
        taken = taken.exclude(pk=exclude_household_pk)
    if taken.exists():
        return [_("Nomor KK ini sudah dipakai rumah tangga lain.")]
    return []
