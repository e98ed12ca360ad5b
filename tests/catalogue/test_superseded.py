"""A dated standard or parameter that has taken effect is never edited or deleted, only superseded."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import ProtectedError

from satupintu.catalogue.models import ServiceStandard, ServiceType
from satupintu.parameters.models import ParameterValue, TakenEffect

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        yield


def parameter(valid_from, value=750_000):
    return ParameterValue.objects.create(
        name="sangduta_amount", value=value, valid_from=valid_from, legal_source="Perbup Sragen (uji)"
    )


@pytest.fixture
def saraswati():
    return ServiceType.objects.get(code="kartu-saraswati")


def standard(service, valid_from, days=3):
    return ServiceStandard.objects.create(
        service=service, kind="working_days", days=days, valid_from=valid_from, legal_source="SOP UPT-PK (uji)"
    )


# The admin, as the `admin` superuser.


def test_admin_cannot_change_a_parameter_value_that_has_taken_effect(client, admin_user):
    row = parameter(TODAY)
    client.force_login(admin_user)
    url = f"/admin/parameters/parametervalue/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(
        url, {"name": "sangduta_amount", "value": "1", "valid_from": "2027-01-01", "legal_source": "diubah"}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.value, row.valid_from, row.legal_source) == (750_000, TODAY, "Perbup Sragen (uji)")


def test_admin_cannot_delete_a_parameter_value_that_has_taken_effect(client, admin_user):
    row = parameter(TODAY - dt.timedelta(days=30))
    client.force_login(admin_user)
    assert client.post(f"/admin/parameters/parametervalue/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/admin/parameters/parametervalue/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert ParameterValue.objects.filter(pk=row.pk).exists()


def test_admin_edits_and_deletes_a_parameter_value_still_in_the_future(client, admin_user):
    row = parameter(TODAY + dt.timedelta(days=1))
    client.force_login(admin_user)
    url = f"/admin/parameters/parametervalue/{row.pk}/change/"
    data = {"name": "sangduta_amount", "value": "800000", "valid_from": "2027-01-01", "legal_source": "Perbup (uji)"}
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert (row.value, row.valid_from) == (800_000, dt.date(2027, 1, 1))
    assert client.post(f"/admin/parameters/parametervalue/{row.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not ParameterValue.objects.filter(pk=row.pk).exists()


def test_admin_adds_a_parameter_value_from_a_later_date_but_not_from_an_earlier_one(client, admin_user):
    client.force_login(admin_user)
    data = {"name": "sangduta_amount", "value": "800000", "legal_source": "Perbup (uji)"}
    refused = client.post("/admin/parameters/parametervalue/add/", {**data, "valid_from": "2026-11-23"})
    assert refused.status_code == 200 and "valid_from" in refused.context["adminform"].form.errors
    assert client.post("/admin/parameters/parametervalue/add/", {**data, "valid_from": "2027-01-01"}).status_code == 302
    assert ParameterValue.objects.get().valid_from == dt.date(2027, 1, 1)


def service_form_data(page) -> dict:
    """What the browser would post back from the service's change page, unchanged."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def formset_prefix(page, title) -> str:
    return next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.opts.verbose_name_plural == title
    )


def test_admin_cannot_change_or_delete_a_standard_in_force_on_the_service_page(client, admin_user, saraswati):
    in_force = saraswati.standards.get()
    client.force_login(admin_user)
    url = f"/admin/catalogue/servicetype/{saraswati.pk}/change/"
    page = client.get(url)
    prefix = formset_prefix(page, "standar waktu yang sudah berlaku")
    data = service_form_data(page)
    data.update({f"{prefix}-0-days": "1", f"{prefix}-0-legal_source": "diubah", f"{prefix}-0-DELETE": "on"})
    assert client.post(url, data).status_code == 302
    assert ServiceStandard.objects.get(pk=in_force.pk).days == 7
    assert ServiceStandard.objects.get(pk=in_force.pk).legal_source == in_force.legal_source


def test_admin_adds_a_standard_from_a_later_date_on_the_service_page(client, admin_user, saraswati):
    client.force_login(admin_user)
    url = f"/admin/catalogue/servicetype/{saraswati.pk}/change/"
    page = client.get(url)
    prefix = formset_prefix(page, "standar waktu mendatang")
    data = service_form_data(page)
    new = {"kind": "working_days", "days": "3", "valid_from": "2027-01-01", "legal_source": "SOP UPT-PK (uji)"}
    data.update({f"{prefix}-TOTAL_FORMS": "1", **{f"{prefix}-0-{key}": value for key, value in new.items()}})
    assert client.post(url, data).status_code == 302
    assert [(s.valid_from, s.days) for s in saraswati.standards.order_by("valid_from")] == [
        (dt.date(2012, 1, 1), 7),
        (dt.date(2027, 1, 1), 3),
    ]


# The guard under the admin: no other path changes a row in force.


def test_a_row_in_force_cannot_be_saved_changed_or_deleted(saraswati):
    row, in_force = parameter(TODAY), saraswati.standards.get()
    for obj, field, value in [(row, "value", 1), (in_force, "days", 1)]:
        setattr(obj, field, value)
        obj.valid_from = TODAY + dt.timedelta(days=30)  # moving the date in memory does not unlock it
        with pytest.raises(TakenEffect):
            obj.save()
        with pytest.raises(TakenEffect):
            obj.delete()
    with pytest.raises(TakenEffect):
        ParameterValue.objects.filter(pk=row.pk).update(value=1)
    with pytest.raises(TakenEffect):
        ServiceStandard.objects.filter(service=saraswati).delete()
    with pytest.raises(ProtectedError):
        saraswati.delete()
    assert ParameterValue.objects.get(pk=row.pk).value == 750_000
    assert ServiceStandard.objects.get(pk=in_force.pk).days == 7


def test_a_row_still_in_the_future_can_be_changed_and_deleted(saraswati):
    row, upcoming = parameter(TODAY + dt.timedelta(days=1)), standard(saraswati, TODAY + dt.timedelta(days=1))
    row.value = 800_000
    row.save()
    upcoming.days = 4
    upcoming.save()
    assert ServiceStandard.objects.filter(pk=upcoming.pk).update(days=5) == 1
    row.delete()
    ServiceStandard.objects.filter(pk=upcoming.pk).delete()
    assert not ParameterValue.objects.exists() and saraswati.standards.count() == 1
