import datetime as dt
import json
import secrets
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.accounts.permissions import DEATH_RECORD, REGISTRY_READ, REGISTRY_WRITE, require
from satupintu.audit import log
from satupintu.audit.models import AuditLog
from satupintu.lib import compiled, page_cache, versioned_cache
from satupintu.lib.paging import KnownCountPaginator
from satupintu.regions import versions as regions_version

from . import actions, selectors
from . import choices as c
from .forms import DeathForm, HouseholdForm, PersonForm, SearchForm, SubjectRequestForm
from .models import Death, KKNumber, Person, PovertyAssessment
from .subject import subject_record
from .templatetags.registry_tags import field_row

PAGE_SIZE = 25


# What a row of the household list shows (registry_tags.household_rows): the rest stays in the database.
# Read as plain values, one `HouseholdRow` each, not as model instances.
class HouseholdRow(NamedTuple):
    pk: int
    kk_number: str
    address: str
    rt: str
    rw: str
    member_count: int | None
    poverty_result: str | None
    desa: str
    kecamatan: str | None
    head: str | None


LIST_COLUMNS = ("pk", "kk_number", "address", "rt", "rw", "member_count", "poverty_result", "desa__name",
                "desa__parent__name", "head__name")  # fmt: skip
SEARCH_SESSION_KEY = "household_searches"


def _remember_search(request, data: dict) -> str:
    """Keep the search terms in the session so no NIK or name ends up in a URL or a server log."""
    searches = request.session.get(SEARCH_SESSION_KEY, {})
    token = secrets.token_urlsafe(6)
    searches[token] = {key: data.get(key, "") for key in ("q", "desa", "status")}
    request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-20:])
    return token


@require(REGISTRY_READ)
@require_http_methods(["GET", "POST"])
def household_list(request):
    if request.method == "POST":
        form = SearchForm(request.POST, user=request.user)
        if form.is_valid():
            return redirect(f"{request.path}?cari={_remember_search(request, form.cleaned_data)}")
    else:
        token = request.GET.get("cari", "")
        initial = request.session.get(SEARCH_SESSION_KEY, {}).get(token, {})
        # Without a search the form is built only if its kept fields are missing (`_search_fields`).
        form = SearchForm(initial, user=request.user) if initial else None
    terms = form.cleaned_data if form is not None and form.is_valid() else {}
    user = request.user

    def households():
        search = terms.get("q", ""), terms.get("desa", ""), terms.get("status", "")
        return selectors.household_search(user, *search).values_list(*LIST_COLUMNS)

    if any(terms.values()):
        paginator = Paginator(households(), PAGE_SIZE)
    else:  # the whole area: its count kept for a few minutes, its statement per area (lib/compiled.py)
        rows = compiled.Rows(compiled.statement(("households", selectors.area_key(user)), households))
        paginator = KnownCountPaginator(rows, PAGE_SIZE, count=selectors.household_count(user))
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [HouseholdRow(*values) for values in page.object_list]
    context = {"form": form, "page": page, "token": request.GET.get("cari", ""), "searched": bool(terms.get("q"))}
    return render(request, "registry/household_list.html", {**context, "search_fields": _search_fields(request, form)})


def _search_fields(request, form) -> str:
    """The search form's fields, whose desa list holds up to a regency's two hundred-odd desa: rendered
    once per area, language and search while the regions stay as they are (lib/page_cache.py).
    `form` None: no search, an empty form (built here only when its fields are not kept)."""

    def render() -> str:
        return "".join(field_row(field) for field in form or SearchForm(user=request.user))

    if form is not None and form.errors:
        return mark_safe(render())  # noqa: S308  field_row escapes what it shows
    key = ("household-search", selectors.area_key(request.user), get_language())
    data = tuple(sorted(form.data.items())) if form is not None else ()
    version = (versioned_cache.version(regions_version.NAMESPACE), data)
    fields = page_cache.kept_fragment(key, version)
    if fields is None:
        fields = render()
        page_cache.keep_fragment(key, version, fields, timezone.now() + dt.timedelta(days=1))
    return mark_safe(fields)  # noqa: S308  field_row escapes what it shows


# The household page's lists of one household (`household_id` its key), as the page names them.
HOUSEHOLD_LISTS = (
    ("members", lambda key: Person.objects.filter(household_id=key)),
    ("kk_history", lambda key: KKNumber.objects.filter(household_id=key)),
    ("assessments", lambda key: PovertyAssessment.objects.filter(household_id=key).select_related("assessor")),
    ("deaths", lambda key: Death.objects.filter(household_id=key).select_related("person", "recorded_by")),
    (
        "audit",
        lambda key: (
            AuditLog.objects.filter(household_id=key).exclude(action=log.Action.VIEW).select_related("actor")[:30]
        ),
    ),
)


@require(REGISTRY_READ)
def household_detail(request, pk):
    household = selectors.household_for_user(request.user, pk)
    log.record(actor=request.user, action=log.Action.VIEW, instance=household, household_id=household.pk)
    # The lists are the same queries for every household: compiled once per worker and read together in
    # one round trip (lib/compiled.py).
    lists = {name: (("household", name), build, household.pk) for name, build in HOUSEHOLD_LISTS}
    context = {"household": household, **compiled.instances_together(lists)}
    return render(request, "registry/household_detail.html", context)


@require(REGISTRY_WRITE)
@require_http_methods(["GET", "POST"])
def household_create(request):
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.household_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as taken:  # the KK number was taken after the form checked it
            form.add_error(None, taken)
        else:
            messages.success(request, _("Rumah tangga %(ref)s terdaftar.") % {"ref": household.reference})
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form})


@require(REGISTRY_WRITE)
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = selectors.household_for_user(request.user, pk)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.household_update(
                actor=request.user,
                household=household,
                data=form.cleaned_data,
                reason=request.POST.get("reason", "")[:200],
            )
        except ValidationError as taken:
            form.add_error(None, taken)
        else:
            messages.success(request, _("Data rumah tangga disimpan."))
            return redirect("registry:household_detail", pk=household.pk)
    # The form shows the full KK number: a read like the detail page's.
    log.record(actor=request.user, action=log.Action.VIEW, instance=household, household_id=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


@require(REGISTRY_WRITE)
@require_http_methods(["GET", "POST"])
def person_add(request, pk):
    household = selectors.household_for_user(request.user, pk)
    # A household registered just now has no head yet: its first member is usually the head.
    initial = {"relationship": c.Relationship.HEAD} if household.head_id is None else {}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = actions.person_add(actor=request.user, household=household, data=form.cleaned_data)
        messages.success(request, _("%(name)s ditambahkan sebagai anggota.") % {"name": person.name})
        return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/person_form.html", {"form": form, "household": household})


@require(REGISTRY_WRITE)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = selectors.person_for_user(request.user, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        actions.person_update(
            actor=request.user, person=person, data=form.cleaned_data, reason=request.POST.get("reason", "")[:200]
        )
        messages.success(request, _("Data %(name)s disimpan.") % {"name": person.name})
        return redirect("registry:household_detail", pk=person.household_id)
    # The form shows the full NIK: a read like the API's person detail.
    log.record(actor=request.user, action=log.Action.VIEW, instance=person, household_id=person.household_id)
    return render(request, "registry/person_form.html", {"form": form, "household": person.household, "person": person})


@require(REGISTRY_WRITE)
@require_http_methods(["POST"])
def person_subject_export(request, pk):
    """A person's data and its processing record as JSON, for a data-subject request (UU PDP)."""
    person = selectors.person_for_user(request.user, pk)
    form = SubjectRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan data subjek harus menyebut alasan/nomor permohonan."))
        return redirect("registry:person_edit", pk=person.pk)
    log.record(
        actor=request.user,
        action=log.Action.VIEW,
        instance=person,
        household_id=person.household_id,
        reason=_("Permintaan data subjek: %(reason)s") % {"reason": form.cleaned_data["reason"]},
    )
    body = json.dumps(subject_record(person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-subjek-{person.pk}.json"'
    return response


@require(DEATH_RECORD)
@require_http_methods(["GET", "POST"])
def death_record(request, pk):
    """Record a member's death after a confirmation; a head's death names the new head."""
    if request.method == "POST" and (
        earlier := selectors.death_by_key(request.user, request.POST.get("submission_key"))
    ):
        # The same form sent again (a retry, a double click): the person has left the household already.
        messages.info(request, _("Kematian %(name)s sudah tercatat.") % {"name": earlier.person.name})
        return redirect("registry:household_detail", pk=earlier.household_id)
    person = selectors.person_for_user(request.user, pk)
    household = person.household
    form = DeathForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_death(
                actor=request.user,
                person=person,
                died_on=data["died_on"],
                source=data["source"],
                reference=data["reference"],
                note=data["note"],
                new_head=data.get("new_head"),
                submission_key=data["submission_key"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("Kematian %(name)s dicatat.") % {"name": person.name})
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/death_form.html", {"form": form, "person": person, "household": household})
