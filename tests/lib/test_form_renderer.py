"""The form renderer writes Django's widget templates in Python: the HTML must be Django's, character for
character, for every widget of every form of the project and for the awkward cases."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils.safestring import mark_safe

import satupintu
from satupintu.lib.form_renderer import Renderer

pytestmark = pytest.mark.django_db

DJANGO, OURS = DjangoTemplates(), Renderer()


def project_forms():
    for module in pkgutil.walk_packages(satupintu.__path__, "satupintu."):
        if ".migrations" in module.name or ".management" in module.name or module.name.endswith("wsgi"):
            continue
        importlib.import_module(module.name)
    seen, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("satupintu.") and cls not in seen:
            seen.append(cls)
    return seen


def both(widget, name, value, attrs=None):
    return (
        widget.render(name, value, attrs=attrs, renderer=DJANGO),
        widget.render(name, value, attrs=attrs, renderer=OURS),
    )


def test_every_widget_of_every_form_renders_as_djangos_templates_do(regions):
    compared = 0
    for cls in project_forms():
        for name, field in cls.base_fields.items():
            if getattr(field, "queryset", "") is None:  # set by the form's __init__ for the user's area
                continue
            widget = field.widget
            for value in (None, "", "1", "<b>&\"'"):
                django_html, our_html = both(widget, name, value, {"id": f"id_{name}"})
                assert our_html == django_html, f"{cls.__module__}.{cls.__name__}.{name} value={value!r}"
                compared += 1
            if hasattr(widget, "subwidgets") and getattr(widget, "choices", None) is not None:
                for sub in widget.subwidgets(name, None, {"id": f"id_{name}"}):
                    for wrap in (False, True):
                        bound = forms.boundfield.BoundWidget(widget, sub, DJANGO)
                        ours = forms.boundfield.BoundWidget(widget, sub, OURS)
                        assert ours.tag(wrap_label=wrap) == bound.tag(wrap_label=wrap), f"{cls.__name__}.{name}"
    assert compared > 400  # the project's forms were found


@pytest.mark.parametrize(
    "widget, value",
    [
        (
            forms.TextInput(attrs={"placeholder": 'a "b" <c>', "required": True, "disabled": False, "maxlength": 0}),
            "x & y",
        ),
        (forms.TextInput(), mark_safe("<i>marked safe</i>")),
        (forms.NumberInput(), 12345.5),
        (forms.DateInput(attrs={"type": "date"}), dt.date(2026, 12, 3)),
        (forms.HiddenInput(), 0),
        (forms.PasswordInput(render_value=True), "s3cret"),
        (forms.EmailInput(), None),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 3}), "baris <1>\nbaris 2"),
        (forms.Textarea(), ""),
        (forms.Select(choices=[("", "— pilih —"), ("a", "A & B"), ("Kelompok", [("b", "<B>"), ("c", 3)])]), "b"),
        (forms.SelectMultiple(choices=[(1, "satu"), (2, "dua")]), [1, 2]),
        (forms.NullBooleanSelect(), None),
        (forms.ClearableFileInput(), None),
        (forms.RadioSelect(choices=[("y", "Ya"), ("n", "Tidak")]), "n"),
        (forms.CheckboxSelectMultiple(choices=[("y", "Ya"), ("n", "Tidak")]), ["y"]),
        (forms.SplitDateTimeWidget(), dt.datetime(2026, 12, 3, 9, 30)),
    ],
)
def test_awkward_widgets_render_as_djangos_templates_do(widget, value):
    django_html, our_html = both(widget, "field", value, {"id": "id_field"})
    assert our_html == django_html


def test_the_project_renders_its_forms_with_this_renderer():
    from django.forms.renderers import get_default_renderer

    with override_settings():
        assert isinstance(get_default_renderer(), Renderer)
