from django.urls import reverse

from tests.conftest import KEDEN, household_in


def test_household_list_query_count_does_not_grow_with_the_page(client, kepala, regions, django_assert_num_queries):
    for i in range(30):
        household_in(KEDEN, f"Kepala {i}")
    client.force_login(kepala)
    client.get(reverse("registry:household_list"))  # counts the area and keeps the count
    # session, user, one page of households (desa, head, member count and poverty status joined or
    # sub-selected): the kept count, the desa list and the versions are the worker's own (the count
    # until it is counted again, the versions read within the second); no session write within a minute.
    with django_assert_num_queries(3):
        response = client.get(reverse("registry:household_list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.num_pages == 2


def test_search_by_kk_number_finds_the_household(client, kepala, keden_household, trobayan_household):
    client.force_login(kepala)
    response = client.post(reverse("registry:household_list"), {"q": trobayan_household.kk_number})
    page = client.get(response["Location"]).context["page"]
    assert [row.pk for row in page.object_list] == [trobayan_household.pk]


def test_search_by_name_is_case_insensitive(client, kepala, keden_household, trobayan_household):
    client.force_login(kepala)
    response = client.post(reverse("registry:household_list"), {"q": "paimin"})
    page = client.get(response["Location"]).context["page"]
    assert [row.pk for row in page.object_list] == [trobayan_household.pk]


def test_a_forged_search_token_just_shows_the_unfiltered_list(client, operator_keden, keden_household):
    client.force_login(operator_keden)
    page = client.get(reverse("registry:household_list") + "?cari=zzz").context["page"]
    assert [row.pk for row in page.object_list] == [keden_household.pk]


def test_the_household_rows_written_in_python_escape_names_and_mask_the_kk_number(client, kepala, regions):
    from satupintu.registry.models import Household

    hostile = household_in(KEDEN, "<i>Paijo</i> & O'Neil")
    assessed = household_in(KEDEN, "Warsini")
    Household.objects.filter(pk=assessed.pk).update(poverty_result="miskin")
    client.force_login(kepala)
    page = client.get(reverse("registry:household_list")).content.decode()
    assert "<i>Paijo</i>" not in page and "&lt;i&gt;Paijo&lt;/i&gt; &amp; O&#x27;Neil" in page
    rows = {h.pk: next(r for r in page.split("<tr") if f"/rumah-tangga/{h.pk}/" in r) for h in (hostile, assessed)}
    assert hostile.kk_number not in page and hostile.kk_number[:6] in rows[hostile.pk]
    assert "belum dinilai" in rows[hostile.pk] and "Dukuh Krajan RT 002/RW 001" in rows[hostile.pk]
    assert 'class="badge miskin"' in rows[assessed.pk] and ">2<" in rows[assessed.pk]
    empty = client.get(client.post(reverse("registry:household_list"), {"q": "tidak ada nama ini"})["Location"])
    assert "Tidak ada rumah tangga yang cocok." in empty.content.decode()


def test_the_search_fields_are_rendered_once_per_area_and_search_while_the_regions_stay(
    client, kepala, operator_keden, regions
):
    from unittest import mock

    from satupintu.lib import versioned_cache
    from satupintu.registry import views

    household_in(KEDEN, "Paimin")
    with mock.patch.object(views, "field_row", wraps=views.field_row) as rendered:
        client.force_login(kepala)
        first = client.get(reverse("registry:household_list")).content.decode()
        client.get(reverse("registry:household_list"))
        assert rendered.call_count == 3  # the three fields, once
        client.force_login(operator_keden)  # another area: its own desa list
        own = client.get(reverse("registry:household_list")).content.decode()
        assert rendered.call_count == 6 and own.count("<option") < first.count("<option")
        searched = client.get(client.post(reverse("registry:household_list"), {"q": "paimin"})["Location"])
        assert rendered.call_count == 9 and 'value="paimin"' in searched.content.decode()
        versioned_cache.changed("regions")  # load-regions ran again
        client.get(reverse("registry:household_list"))
        assert rendered.call_count == 12


def test_the_household_page_keeps_the_search_in_its_pager_and_offers_registration_to_writers(
    client, kepala, operator_keden, regions
):
    for i in range(30):
        household_in(KEDEN, f"Sukino {i}")
    client.force_login(operator_keden)
    found = client.post(reverse("registry:household_list"), {"q": "Sukino"})
    token = found["Location"].split("cari=")[1]
    body = client.get(found["Location"]).content.decode()
    assert "30 rumah tangga" in body and "Halaman 1 dari 2" in body
    assert f'href="?cari={token}&amp;page=2"' in body
    assert 'name="csrfmiddlewaretoken"' in body and "Daftarkan rumah tangga" in body
    client.force_login(kepala)
    assert "Daftarkan rumah tangga" not in client.get(reverse("registry:household_list")).content.decode()


def test_the_household_page_writes_its_members_escaped_masked_and_labelled(client, kepala, operator_keden, regions):
    from satupintu.registry.models import Person

    household = household_in(KEDEN, "<b>Paijo</b>")
    head = Person.objects.get(pk=household.head_id)
    Person.objects.filter(pk=head.pk).update(education="sma", sex="P")
    url = reverse("registry:household_detail", args=[household.pk])
    client.force_login(operator_keden)
    page = client.get(url).content.decode()
    row = next(r for r in page.split("<tr><td data-label=")[1:] if "Paijo" in r)
    assert "<b>Paijo</b>" not in row and "&lt;b&gt;Paijo&lt;/b&gt;" in row
    assert head.nik not in page and head.nik[:6] in row
    assert ">SMA/SMK/sederajat<" in row and ">Perempuan<" in row
    assert f"/anggota/{head.pk}/ubah/" in row  # the desa operator may edit the registry
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert 'data-label="Name"' in english and ">Female<" in english
    client.force_login(kepala)
    assert f"/anggota/{head.pk}/ubah/" not in client.get(url).content.decode()
