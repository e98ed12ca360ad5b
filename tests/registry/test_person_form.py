from django.urls import reverse

from satupintu.audit.models import AuditLog
from satupintu.registry.models import Membership, Person

VALID = {
    "nik": "3314016108050003",
    "name": "Ayu Lestari",
    "sex": "P",
    "birth_place": "Sragen",
    "birth_date": "2005-08-21",
    "relationship": "anak",
    "marital_status": "belum_kawin",
    "education": "sma",
    "occupation": "",
    "disability": "tidak_ada",
    "school_status": "kuliah",
    "health_insurance": "pbi_jk",
    "phone": "081234567890",
}


def post_member(client, household, **changes):
    return client.post(reverse("registry:person_add", args=[household.pk]), {**VALID, **changes})


def test_adding_a_member_with_a_malformed_nik_gives_an_indonesian_message(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    response = post_member(client, keden_household, nik="33140161080500")
    assert response.status_code == 200
    assert "NIK harus 16 digit, bukan 14 digit." in response.content.decode()
    assert not Person.objects.filter(name="Ayu Lestari").exists()


def test_a_nik_that_says_male_for_a_woman_is_refused_on_the_sex_field(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    response = post_member(client, keden_household, nik="3314012108050003")
    errors = response.context["form"].errors
    assert "sex" in errors and "ditambah 40" in errors["sex"][0]


def test_a_birth_date_that_disagrees_with_the_nik_is_refused(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    response = post_member(client, keden_household, birth_date="2005-08-22")
    assert "21-08-05" in response.context["form"].errors["birth_date"][0]


def test_a_nik_already_in_the_registry_is_refused(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    taken = keden_household.members.first().nik
    head = keden_household.members.first()
    response = post_member(client, keden_household, nik=taken, sex=head.sex, birth_date=head.birth_date.isoformat())
    assert "sudah terdaftar" in response.context["form"].errors["nik"][0]


def test_adding_a_member_records_membership_and_audit_with_actor(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    response = post_member(client, keden_household)
    assert response.status_code == 302
    person = Person.objects.get(nik=VALID["nik"])
    assert Membership.objects.get(person=person).household == keden_household
    entry = AuditLog.objects.get(object_type="registry.person", object_id=str(person.pk), action="create")
    assert entry.actor == operator_keden
    assert entry.changes["name"] == [None, "Ayu Lestari"]


def test_editing_a_person_records_old_and_new_values(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    person = keden_household.members.get(relationship="pasangan")
    data = {
        "nik": person.nik,
        "name": "Sumiyati Rahayu",
        "sex": "P",
        "birth_place": "Sragen",
        "birth_date": person.birth_date.isoformat(),
        "relationship": "pasangan",
        "marital_status": "kawin",
        "education": "sd",
        "occupation": "Petani",
        "disability": "tidak_ada",
        "school_status": "tidak_berlaku",
        "health_insurance": "tidak_ada",
        "phone": "",
        "reason": "Koreksi nama",
    }
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    entry = AuditLog.objects.filter(object_id=str(person.pk), action="update").get()
    assert entry.changes["name"] == ["Sumiyati", "Sumiyati Rahayu"]
    assert entry.reason == "Koreksi nama"


def test_the_nik_never_appears_in_the_list_and_search_keeps_it_out_of_the_url(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    nik = keden_household.members.first().nik
    response = client.post(reverse("registry:household_list"), {"q": nik})
    assert response.status_code == 302
    assert nik not in response["Location"]
    page = client.get(response["Location"])
    assert [row.pk for row in page.context["page"].object_list] == [keden_household.pk]
    # Only the search box echoes what the operator typed; the table shows masked numbers.
    assert page.content.decode().count(nik) == 1
    assert keden_household.kk_number not in page.content.decode()
