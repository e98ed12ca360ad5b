"""The round bench runs end to end at a tiny size (its figures are printed by `make bench`, not tested)."""

from bench import round_bench


def test_round_bench_ranks_every_applicant_and_proposes_a_quarter(regions):
    result = round_bench.run(120)
    assert result["entries"] == result["applicants"] > 0
    assert result["proposed"] == result["applicants"] // 4
    assert result["fetched"] > result["applicants"]
