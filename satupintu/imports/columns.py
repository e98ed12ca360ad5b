"""The import layout: one row per person, households keyed by their KK number.

Each column is a registry field's (`registry.fields` declares its key, aliases and spellings;
label, required and enumeration come from the model field), except the DTSEN desil. Enumeration
cells accept the code, the Indonesian label or a spelling, in any case.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from satupintu.registry.fields import HOUSING, LOCATION, PERSON_FIELDS, RegistryField, imported


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    household: bool = False  # a household-level fact, repeated (or left empty) on each member row
    choices: list[tuple[str, str]] = field(default_factory=list)  # (code, label) of the enumeration
    extra: dict = field(default_factory=dict)  # alias → code for the enumeration


def column_of(declared: RegistryField, *, household: bool) -> Column:
    """The import column of a registry field (`registry.fields`)."""
    return Column(
        declared.import_key,
        declared.label,
        declared.aliases,
        required=declared.required,
        household=household,
        choices=declared.choices,
        extra=declared.spellings,
    )


# Not a household field: the desil is recorded as a DTSEN assessment of the household.
DESIL = Column(
    "desil",
    _("Desil DTSEN (1–10)"),
    ("desil_dtsen", "peringkat_desil", "desil_kesejahteraan"),
    household=True,
)
COLUMNS = [
    *(column_of(f, household=True) for f in LOCATION),
    *(column_of(f, household=False) for f in imported(PERSON_FIELDS)),
    DESIL,
    *(column_of(f, household=True) for f in HOUSING),
]
BY_KEY = {column.key: column for column in COLUMNS}


def normalise(text) -> str:
    """'Tgl. Lahir' → 'tgl_lahir': lower case, every run of other characters one underscore."""
    return re.sub(r"[^0-9a-z]+", "_", str(text or "").strip().lower()).strip("_")


HEADER_ALIASES = {normalise(alias): column.key for column in COLUMNS for alias in (column.key, *column.aliases)}


def enumeration_map(column: Column) -> dict[str, str]:
    """Every accepted spelling (normalised) → code."""
    mapping = {}
    for code, label in column.choices:
        mapping[normalise(code)] = code
        mapping[normalise(str(label))] = code
    mapping.update({normalise(k): v for k, v in column.extra.items()})
    return mapping


ENUMERATIONS = {column.key: enumeration_map(column) for column in COLUMNS if column.choices}
