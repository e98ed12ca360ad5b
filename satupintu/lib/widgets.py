"""Form widgets for long lists. Django renders each <option> of a Select through its widget
templates: for the 208 desa of a regency that is some 30 ms per page, more than the rest of a
list page. `LongSelect` writes the same HTML in Python."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class LongSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        final = {**self.build_attrs(self.attrs, attrs), "name": name}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(key), " selected" if str(key) == chosen else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)
