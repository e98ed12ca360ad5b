from html import escape as html_escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from satupintu.lib.nik import mask_nik
from satupintu.lib.paging import pager_html
from satupintu.lib.texts import per_language
from satupintu.registry.choices import PovertyResult

register = template.Library()


@register.filter
def masked(value):
    """331401********23: the region part and the last two digits of a NIK or KK number."""
    return mask_nik(value)


@register.filter
def poverty_label(value):
    return PovertyResult(value).label if value in PovertyResult.values else ""


def _described_by(field) -> str:
    ids = ([f"{field.auto_id}_helptext"] if field.help_text else []) + (
        [f"{field.auto_id}_error"] if field.errors else []
    )
    return format_html(' aria-describedby="{}"', " ".join(ids)) if ids else ""


def _help_and_errors(field) -> str:
    help_text = (
        format_html('<small class="help" id="{}_helptext">{}</small>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    errors = format_html_join(
        "", '<div class="error" role="alert" id="{}_error">{}</div>', ((field.auto_id, e) for e in field.errors)
    )
    return format_html("{}{}", help_text, errors)


@register.simple_tag
def field_row(field) -> str:
    """One form field with its label, help and errors, as the forms of every page show it: a fieldset with a
    legend for radio buttons and multiple checkboxes, the box beside its label for one checkbox, else the
    label above the input. Built in Python: the forms' pages render many fields."""
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    error_class = " has-error" if field.errors else ""
    required = " *" if field.field.required else ""
    if input_type == "radio" or (getattr(widget, "allow_multiple_selected", False) and input_type == "checkbox"):
        choices = format_html_join(
            "",
            '<label class="choice" for="{}">{} <span>{}</span></label>',
            ((choice.id_for_label, choice.tag(), choice.choice_label) for choice in field),
        )
        return format_html(
            '<fieldset class="field choices{}" id="{}-group"{}>\n  <legend>{}{}</legend>\n  {}\n'
            '  <div class="choice-list">{}</div>\n</fieldset>',
            error_class, field.auto_id, _described_by(field), field.label, required, _help_and_errors(field), choices,
        )  # fmt: skip
    if input_type == "checkbox":
        return format_html(
            '<div class="field check{}">\n  <label class="choice" for="{}">{} <span>{}</span></label>\n  {}\n</div>',
            error_class, field.id_for_label, field, field.label, _help_and_errors(field),
        )  # fmt: skip
    return format_html(
        '<div class="field{}">\n  <label for="{}">{}{}</label>\n  {}\n  {}\n</div>',
        error_class, field.id_for_label, field.label, required, field, _help_and_errors(field),
    )  # fmt: skip


@per_language
def _household_text(language: str, prefix: str) -> dict:
    """The household list's fixed words and addresses in one language, escaped (`household_page`,
    `household_rows`)."""
    marker = 999999999  # the detail page's address with a marker where the key goes
    labels = {
        key: escape(text)
        for key, text in (
            ("reference", _("No.")),
            ("head", _("Kepala keluarga")),
            ("kk", _("Nomor KK")),
            ("address", _("Alamat")),
            ("desa", _("Desa/kel.")),
            ("members", _("Jiwa")),
            ("status", _("Status")),
        )
    }
    head = "".join(f'<th scope="col">{labels[key]}</th>' for key in ("reference", "head", "kk", "address", "desa"))
    head += f'<th scope="col" class="num">{labels["members"]}</th><th scope="col">{labels["status"]}</th>'
    return {
        "labels": labels,
        "head": head,
        "unassessed": escape(_("belum dinilai")),
        "empty": escape(_("Tidak ada rumah tangga yang cocok.")),
        "marker": str(marker),
        "detail": reverse("registry:household_detail", args=[marker]),
        "title": escape(_("Rumah tangga")),
        "create": escape(_("Daftarkan rumah tangga")),
        "create_url": html_escape(reverse("registry:household_create")),
        "search": escape(_("Cari")),
        "action": html_escape(reverse("registry:household_list")),
        "previous": escape(_("Sebelumnya")),
        "next": escape(_("Berikutnya")),
        "pages": escape(_("Halaman")),
    }


@register.simple_tag
def household_rows(page):
    """The rows of the household list (registry/household_list.html), written in Python: through
    template nodes, 25 rows of seven cells cost more than the rest of the page. The labels are
    translated once per language (`_household_text`); the rows are the view's `HouseholdRow`s, the
    columns shown read as values (registry/views.py), escaped by the standard library's `html.escape`
    (what Django's `escape` calls)."""
    text = _household_text(get_language(), get_script_prefix())
    labels, unassessed, marker, detail = text["labels"], text["unassessed"], text["marker"], text["detail"]
    statuses: dict = {}
    rows = []
    for h in page:
        href = detail.replace(marker, str(h.pk))
        head = html_escape(h.head) if h.head is not None else "—"
        if not h.poverty_result:
            status = f'<span class="muted">{unassessed}</span>'
        elif (status := statuses.get(h.poverty_result)) is None:
            label = html_escape(poverty_label(h.poverty_result))
            status = statuses[h.poverty_result] = f'<span class="badge {html_escape(h.poverty_result)}">{label}</span>'
        rows.append(
            f'<tr><td data-label="{labels["reference"]}"><a href="{href}">RT-{h.pk:07d}</a></td>'
            f'<td data-label="{labels["head"]}"><a href="{href}">{head}</a></td>'
            f'<td class="mono" data-label="{labels["kk"]}">{html_escape(mask_nik(h.kk_number))}</td>'
            f'<td data-label="{labels["address"]}">{html_escape(h.address)} '
            f"RT {html_escape(h.rt)}/RW {html_escape(h.rw)}</td>"
            f'<td data-label="{labels["desa"]}">{html_escape(h.desa)}<br>'
            f'<small class="muted">{html_escape(h.kecamatan) if h.kecamatan is not None else ""}</small></td>'
            f'<td class="num" data-label="{labels["members"]}">{h.member_count or 0}</td>'
            f'<td data-label="{labels["status"]}">{status}</td></tr>'
        )
    if not rows:
        rows.append(f'<tr><td colspan="7">{text["empty"]}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308  every value above is escaped


@register.simple_tag(takes_context=True)
def household_page(context):
    """The household list's content (registry/household_list.html): title, search form, count, table and
    pager, written in Python like its rows (`household_rows`); the view's context is its input."""
    from satupintu.lib.form_renderer import csrf_input

    user, page, token = context["user"], context["page"], context["token"]
    text = _household_text(get_language(), get_script_prefix())
    create = ""
    if user.can_write_registry:
        create = f'<a class="button" href="{text["create_url"]}">{text["create"]}</a>'
    count = page.paginator.count
    counted = html_escape(ngettext("%(n)s rumah tangga", "%(n)s rumah tangga", count) % {"n": count})
    pager = pager_html(page, f"cari={html_escape(token)}&amp;" if token else "", text)
    return mark_safe(  # noqa: S308  every value above is escaped; the search fields are field_row's
        f'<div class="titlebar">\n  <h1>{text["title"]}</h1>\n  {create}\n</div>\n'
        f'<form method="post" class="search" action="{text["action"]}">{csrf_input(context.get("csrf_token"))}\n'
        f"  {context['search_fields']}\n"
        f'  <button type="submit" class="button">{text["search"]}</button>\n</form>\n'
        f'<p class="muted">{counted}</p>\n<div class="table-wrap">\n<table class="table responsive" id="households">\n'
        f"  <thead><tr>{text['head']}</tr></thead>\n  <tbody>\n  {household_rows(page)}\n  </tbody>\n</table>\n</div>\n"
        f"{pager}"
    )


@per_language
def _member_text(language: str, prefix: str) -> dict:
    """The member table's fixed words, addresses and choice labels in one language, escaped."""
    from satupintu.registry.models import Person

    labels = {
        key: escape(text)
        for key, text in (
            ("name", _("Nama")),
            ("nik", _("NIK")),
            ("relationship", _("Hubungan")),
            ("sex", _("L/P")),
            ("born", _("Lahir")),
            ("education", _("Pendidikan")),
            ("disability", _("Disabilitas")),
            ("health_insurance", _("Jaminan kesehatan")),
        )
    }
    marker = 999999999
    return {
        "labels": labels,
        "choices": {
            name: {value: escape(str(label)) for value, label in Person._meta.get_field(name).flatchoices}
            for name in ("relationship", "sex", "education", "disability", "health_insurance")
        },
        "marker": str(marker),
        "edit_url": reverse("registry:person_edit", args=[marker]),
        "death_url": reverse("registry:death_record", args=[marker]),
        "edit": escape(_("Ubah")),
        "death": escape(_("Catat kematian")),
        "empty": escape(_("Belum ada anggota.")),
    }


@register.simple_tag(takes_context=True)
def member_rows(context, members):
    """The rows of a household page's member table (registry/household_detail.html), written in Python:
    through template nodes each row translated its nine labels and every label of its five choice
    fields again. What a field's `get_..._display` shows: its choice's label, else the value itself."""
    from satupintu.accounts.permissions import DEATH_RECORD, REGISTRY_WRITE, has

    text = _member_text(get_language(), get_script_prefix())
    labels, choices, marker = text["labels"], text["choices"], text["marker"]
    user = context["user"]
    edits, deaths = has(user, REGISTRY_WRITE), has(user, DEATH_RECORD)

    def shown(person, name) -> str:
        value = getattr(person, name)
        return choices[name].get(value) or html_escape(str(value))

    rows = []
    for p in members:
        pk = str(p.pk)
        edit = f'<a href="{html_escape(text["edit_url"].replace(marker, pk))}">{text["edit"]}</a>' if edits else ""
        death = f'<a href="{html_escape(text["death_url"].replace(marker, pk))}">{text["death"]}</a>' if deaths else ""
        born = p.birth_date.strftime("%d-%m-%Y") if p.birth_date else ""
        rows.append(
            f'\n    <tr><td data-label="{labels["name"]}"><strong>{html_escape(p.name)}</strong></td>'
            f'<td class="mono" data-label="{labels["nik"]}">{html_escape(mask_nik(p.nik))}</td>'
            f'<td data-label="{labels["relationship"]}">{shown(p, "relationship")}</td>'
            f'<td data-label="{labels["sex"]}">{shown(p, "sex")}</td>\n'
            f'      <td data-label="{labels["born"]}">{html_escape(p.birth_place)}, {born}</td>'
            f'<td data-label="{labels["education"]}">{shown(p, "education")}</td>'
            f'<td data-label="{labels["disability"]}">{shown(p, "disability")}</td>\n'
            f'      <td data-label="{labels["health_insurance"]}">{shown(p, "health_insurance")}</td>\n'
            f'      <td class="row-actions">{edit}\n        {death}</td></tr>\n  '
        )
    if not rows:
        return mark_safe(f'<tr><td colspan="9">{text["empty"]}</td></tr>')  # noqa: S308  escaped
    return mark_safe("".join(rows))  # noqa: S308  every value above is escaped
