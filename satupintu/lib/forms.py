"""Selects that open on "— pilih desa/kelurahan —", in the user's language, instead of Django's
"---------" (the empty choice of a ModelChoiceField and of a model field's choices)."""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext

DJANGO_EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]


def choose_label(field: forms.Field) -> str:
    """The text "— pilih <the field's label> —"; an abbreviation ("NIK …") keeps its capitals."""
    label = str(field.label or "")
    if not label:
        return gettext("— pilih —")
    if not label[:2].isupper():
        label = label[0].lower() + label[1:]
    return gettext("— pilih %(field)s —") % {"field": label}


class NamedEmptyChoices:
    """Form mixin (first among the bases): each select's empty choice names what to choose.
    `empty_labels` gives another text per field, e.g. "— tidak ada —" where none is an answer."""

    empty_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(self.empty_labels[name]) if name in self.empty_labels else None
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == DJANGO_EMPTY_LABEL:
                    field.empty_label = label or choose_label(field)
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if any(text == DJANGO_EMPTY_LABEL for _value, text in choices):
                    label = label or choose_label(field)
                    field.choices = [(v, label if text == DJANGO_EMPTY_LABEL else text) for v, text in choices]
