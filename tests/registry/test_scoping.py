import pytest
from django.urls import reverse

from tests.conftest import KEDEN, household_in


def test_operator_of_keden_sees_only_keden_households(client, operator_keden, keden_household, trobayan_household):
    client.force_login(operator_keden)
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"].object_list] == [keden_household.pk]


def test_operator_cannot_open_household_of_other_desa(client, operator_keden, trobayan_household):
    client.force_login(operator_keden)
    assert client.get(reverse("registry:household_detail", args=[trobayan_household.pk])).status_code == 404
    assert client.get(reverse("registry:person_add", args=[trobayan_household.pk])).status_code == 404
    person = trobayan_household.members.first()
    assert client.get(reverse("registry:person_edit", args=[person.pk])).status_code == 404


def test_operator_kecamatan_sees_every_desa_of_the_kecamatan(
    client, operator_kalijambe, keden_household, trobayan_household
):
    other = household_in("33.14.13.2001", "Giyanto")  # a desa of Gemolong
    client.force_login(operator_kalijambe)
    page = client.get(reverse("registry:household_list")).context["page"]
    assert {row.pk for row in page.object_list} == {keden_household.pk, trobayan_household.pk}
    assert client.get(reverse("registry:household_detail", args=[other.pk])).status_code == 404


def test_kepala_sees_every_desa(client, kepala, keden_household, trobayan_household):
    client.force_login(kepala)
    page = client.get(reverse("registry:household_list")).context["page"]
    assert {row.pk for row in page.object_list} == {keden_household.pk, trobayan_household.pk}


@pytest.mark.parametrize("persona", ["auditor", "mitra"])
def test_auditor_and_mitra_cannot_read_individual_households(client, request, persona, keden_household):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("registry:household_list")).status_code == 403
    assert client.get(reverse("registry:household_detail", args=[keden_household.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, keden_household):
    response = client.get(reverse("registry:household_detail", args=[keden_household.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_operator_cannot_register_a_household_in_another_desa(client, operator_keden):
    client.force_login(operator_keden)
    response = client.post(
        reverse("registry:household_create"),
        {"kk_number": "3314010403190007", "desa": "33.14.01.2002", "address": "Dukuh X", "rt": "1", "rw": "2"},
    )
    assert response.status_code == 200
    assert "desa" in response.context["form"].errors


def test_an_operator_registers_a_household_in_own_desa(client, operator_keden):
    client.force_login(operator_keden)
    response = client.post(
        reverse("registry:household_create"),
        {"kk_number": "3314010403190007", "desa": KEDEN, "address": "Dukuh Krajan", "rt": "1", "rw": "2"},
    )
    assert response.status_code == 302
