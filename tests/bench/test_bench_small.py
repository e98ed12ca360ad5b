"""Each benchmark runs end to end at a tiny size (the figures are printed by `make bench`, not tested)."""

import pytest
from django.db import connection

from bench import dedup_bench, eligibility_bench, import_bench, load_floor


def test_import_bench_runs(regions, tmp_path, monkeypatch):
    monkeypatch.setattr(import_bench, "WORK", tmp_path)
    result = import_bench.run(300, isolate=False, new_size=200, command=False)
    assert result["first"]["state"] == "imported" and result["first"]["people_created"] == result["rows"]
    assert result["second"]["unchanged"] == result["rows"]
    assert result["copied"] == result["rows"]
    assert result["first"]["load_breakdown"] is not None
    new = result["new"]  # households not in the registry: every one created
    assert new["state"] == "imported" and new["people_created"] == new["valid"] == result["new_rows"]


def test_dedup_bench_runs():
    result = dedup_bench.run(3000, isolate=False, with_splink=False)
    assert result["ours"]["possible"]["recall"] > 0.9


def test_eligibility_bench_runs(regions):
    result = eligibility_bench.run(100, isolate=False)
    assert result["first"]["hash"] == result["second"]["hash"]
    assert result["second"]["added"] == 0 and result["fetched"] > 0
    assert result["second"]["profile"]["written"] == 0
    assert result["touched"] > 0 and result["third"]["hash"] != result["first"]["hash"]


@pytest.mark.django_db(transaction=True)  # the second connection of the two-connection floor must see the schema
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is measured on PostgreSQL only")
def test_load_floor_bench_copies_what_the_import_wrote(regions, tmp_path, monkeypatch):
    monkeypatch.setattr(import_bench, "WORK", tmp_path)
    result = load_floor.run(300, isolate=False, command=False)
    sizes = result["sizes"]
    assert sizes["registry_person"][1] == sizes["registry_membership"][1] == result["rows"]
    assert sizes["registry_household"][1] == sizes["audit_auditlog"][1] > 0
    for label in ("one", "one again", "two"):
        assert result[label]["total"] > 0
    assert set(result["one"]) == {"copy", "keys", "indexes", "foreign keys", "analyze", "total"}
    with connection.cursor() as cursor:  # the scratch schema is gone
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [load_floor.SCHEMA])
        assert cursor.fetchone() is None


@pytest.mark.django_db(transaction=True)  # each path starts from an emptied registry (TRUNCATE on PostgreSQL)
def test_import_bench_compares_the_loaders_write_paths(regions, tmp_path, monkeypatch):
    monkeypatch.setattr(import_bench, "WORK", tmp_path)
    result = import_bench.compare_paths(300, isolate=False)
    for label in ("first load", "chunked, fast path", "chunked, general path"):
        assert result[label]["state"] == "imported" and result[label]["seconds"] > 0
