"""Each benchmark runs end to end at a tiny size (the figures are printed by `make bench`, not tested)."""

from bench import dedup_bench, eligibility_bench, import_bench


def test_import_bench_runs(regions, tmp_path, monkeypatch):
    monkeypatch.setattr(import_bench, "WORK", tmp_path)
    result = import_bench.run(300, isolate=False, new_size=200)
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
