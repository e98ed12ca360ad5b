"""The budget bench runs end to end at a tiny size (its figures are printed by `make bench`, not tested)."""

from decimal import Decimal

from bench import budget_bench


def test_budget_bench_reports_the_whole_ledger(regions):
    result = budget_bench.run(120)
    assert result["rows"] == result["counted"] == 240 + 2
    assert result["programme_rows"] == 5
    assert sum(result["realised"].values(), Decimal(0)) > 0
