"""The form renderer (settings.FORM_RENDERER): Django's own, with its commonest widget templates written in
Python.

Django renders every input, textarea, select and option through three or four nested templates
(`text.html` includes `input.html` which includes `attrs.html`); on a public form page that is most of
the page's cost. The templates below are rendered by functions that produce the same HTML, character
for character (tests/lib/test_form_renderer.py renders every widget of every form both ways); any other
template, or a widget whose option template is not Django's, goes to Django's renderer unchanged."""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in ["input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
                 "search", "tel", "color", "checkbox", "file"]
}  # fmt: skip
OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html", f"{WIDGETS}input_option.html"}
SELECT_OPTION = f"{WIDGETS}select_option.html"


def csrf_input(token) -> str:
    """What `{% csrf_token %}` writes for the context's `csrf_token` (for pages written in Python)."""
    if not token or str(token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(str(token))}">'


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`, escaped."""
    return conditional_escape(f"{value}")  # a plain str: escaped even when value is marked safe


def _shown(value) -> str:
    """`{{ value }}`: localised, escaped."""
    return conditional_escape(localize(template_localtime(value)))


def _attrs(attrs) -> str:
    """attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    """input.html."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option(widget) -> str:
    """input_option.html."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = f' for="{_shown(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)}\n {_shown(widget['label'])}</label>"


def _select(widget) -> str | None:
    """select.html with select_option.html; None when an option has another template."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}'
                "</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget) -> str:
    """textarea.html."""
    value = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        html = None
        if widget is not None:
            if template_name in INPUTS:
                html = _input(widget)
            elif template_name in OPTIONS:
                html = _option(widget)
            elif template_name == f"{WIDGETS}select.html":
                html = _select(widget)
            elif template_name == f"{WIDGETS}textarea.html":
                html = _textarea(widget)
        if html is None:
            return super().render(template_name, context, request)
        return SafeString(html.strip())
