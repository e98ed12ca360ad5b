"""The household list does not count a whole area on every view, and renders the desa list cheaply."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.registry import actions
from tests.conftest import household_in

KEDEN = "33.14.01.2001"


def counts(client, path="/rumah-tangga/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(path).content.decode()
    return sum("__count" in q["sql"] and "registry_household" in q["sql"] for q in queries), body


def test_the_unfiltered_list_counts_the_area_once_then_reads_the_kept_count(
    client, kepala, django_capture_on_commit_callbacks
):
    household_in(KEDEN, "Sutrisno")
    client.force_login(kepala)
    first, body = counts(client)
    assert first == 1 and "1 rumah tangga" in body
    assert counts(client)[0] == 0


def test_a_new_household_is_counted_at_once(client, kepala, django_capture_on_commit_callbacks):
    household_in(KEDEN, "Sutrisno")
    client.force_login(kepala)
    counts(client)
    with django_capture_on_commit_callbacks(execute=True):
        household_in(KEDEN, "Wagiman")
    assert "2 rumah tangga" in counts(client)[1]


def test_a_search_is_counted_exactly(client, kepala):
    household_in(KEDEN, "Sutrisno")
    household_in(KEDEN, "Wagiman")
    client.force_login(kepala)
    counts(client)
    response = client.post("/rumah-tangga/", {"q": "Wagiman", "desa": "", "status": ""}, follow=True)
    assert "1 rumah tangga" in response.content.decode()


def test_the_desa_list_marks_the_chosen_desa_and_escapes_names(client, kepala):
    client.force_login(kepala)
    response = client.post("/rumah-tangga/", {"q": "", "desa": KEDEN, "status": ""}, follow=True)
    body = response.content.decode()
    assert f'<option value="{KEDEN}" selected>' in body
    assert body.count("<option") > 200  # every desa of Sragen
    assert actions.counts_changed  # the writes that change counts call it


def test_a_cache_that_cannot_be_written_fails_no_household_write(
    regions, monkeypatch, django_capture_on_commit_callbacks
):
    from satupintu.lib import versioned_cache

    def broken(namespace):
        raise OSError("cache down")

    monkeypatch.setattr(versioned_cache, "changed", broken)
    with django_capture_on_commit_callbacks(execute=True):
        household = household_in(KEDEN, "Sutrisno")
    assert household.pk


def test_the_desa_list_is_read_from_the_cache_after_the_first_page(client, kepala):
    client.force_login(kepala)
    client.get("/rumah-tangga/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/rumah-tangga/")
    assert not [q for q in queries if 'FROM "regions_region"' in q["sql"]]


def test_loading_the_regions_again_renews_the_kept_desa_list(client, kepala, tmp_path):
    from satupintu.regions.loader import load_regions

    client.force_login(kepala)
    client.get("/rumah-tangga/")
    source = tmp_path / "regions.csv"
    source.write_text("code,name,level,parent_code\n33.14.01.2001,Keden Baru,desa,33.14.01\n", encoding="utf-8")
    load_regions(source)
    assert "Keden Baru" in client.get("/rumah-tangga/").content.decode()
