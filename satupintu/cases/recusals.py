"""Recusal on cases: an officer steps aside from a case of a relative or a neighbour.

Three ways in: the officer declares a relation on the case page; or, when an officer is about to
act on a case, `detect` compares the officer's own registry record (`OfficerPerson`, linked by the
admin through the officer's NIK) with the applicant's household — the same KK or the same address
in the same desa recuses the officer at once; a shared family name (the last word of the names,
ignoring common Javanese/Islamic name words) is only a flag that a kasi or kepala reviews
(confirmed: recused; cleared: with a reason). A recusal in force refuses every step of the
table (the Machine's gate); a kepala may override it with a recorded reason. Reads here, writes in
actions.py.
"""

import re

from django.utils.translation import gettext as _

from .models import CaseRecusal, OfficerPerson

# Name words too common to say anything about kinship.
COMMON_NAME_WORDS = frozenset(
    "muhammad muhamad mohammad moh mochammad ahmad achmad abdul nur siti sri dwi tri eko budi "
    "bin binti dan s pd se".split()
)


def normalised_address(household) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", household.address.lower()).split())


def family_name(name: str) -> str:
    """The last word of a name of two words or more, unless it is a common name word."""
    words = re.sub(r"[^a-z ]", " ", (name or "").lower()).split()
    return words[-1] if len(words) > 1 and words[-1] not in COMMON_NAME_WORDS else ""


def officer_person(user):
    link = OfficerPerson.objects.filter(user=user).select_related("person__household").first()
    return link.person if link else None


def detected(user, application) -> list[tuple[str, str]]:
    """The relations the registry shows between `user` and the applicant's household: [(kind, text)]."""
    household = application.household
    found = []
    person = officer_person(user)
    if person is not None and person.household_id is not None:
        own = person.household
        if own.pk == household.pk:
            found.append((CaseRecusal.Kind.SAME_KK, _("Petugas tercatat dalam KK yang sama dengan pemohon.")))
        elif own.desa_id == household.desa_id and normalised_address(own) == normalised_address(household):
            found.append((CaseRecusal.Kind.SAME_ADDRESS, _("Petugas tercatat di alamat yang sama dengan pemohon.")))
    surname = family_name(user.get_full_name() or (person.name if person else ""))
    if surname and surname == family_name(application.applicant.name):
        found.append(
            (
                CaseRecusal.Kind.SURNAME,
                _("Nama keluarga petugas sama dengan pemohon (“%(name)s”): perlu ditelaah.") % {"name": surname},
            )
        )
    return found


def blocking(application, user) -> CaseRecusal | None:
    recusals = CaseRecusal.objects.filter(application=application, officer=user, overridden_at__isnull=True)
    return next((r for r in recusals if r.blocks), None)


def refusal(application, user) -> str | None:
    """The Machine's gate: why a recused officer may not act on the case."""
    recusal = blocking(application, user)
    if recusal is None:
        return None
    if recusal.kind == CaseRecusal.Kind.DECLARED:
        text = _("Anda menyatakan hubungan keluarga dengan pemohon (%(relation)s)")
    elif recusal.kind == CaseRecusal.Kind.SURNAME:
        text = _("Hubungan Anda dengan pemohon dikonfirmasi saat penelaahan (%(relation)s)")
    else:
        text = _("Data kependudukan menunjukkan hubungan Anda dengan pemohon (%(relation)s)")
    return (
        (text % {"relation": recusal.relation})
        + ": "
        + _("Anda tidak dapat memproses permohonan ini. Serahkan kepada petugas lain.")
    )
