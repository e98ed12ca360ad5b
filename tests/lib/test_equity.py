import random

import pytest

from satupintu.lib.equity import disparity, duration_gap, gini, share_gap, theil


def test_gini_and_theil_are_zero_for_equal_areas_and_grow_with_inequality():
    assert gini([2, 2, 2, 2]) == pytest.approx(0)
    assert theil([2, 2, 2, 2]) == pytest.approx(0)
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert theil([1, 1, 1, 5]) > theil([1, 1, 2, 2]) > 0


def balanced_counts(rng, areas=20, base=400, rate=0.3):
    return {f"kec-{i}": (sum(rng.random() < rate for _ in range(base)), base) for i in range(areas)}


def test_a_planted_underserved_area_is_flagged():
    rng = random.Random(1)
    counts = balanced_counts(rng)
    counts["kec-7"] = (sum(rng.random() < 0.1 for _ in range(400)), 400)  # a third of the others
    result = disparity(counts)
    assert result.flagged == ["kec-7"]
    assert result.ratio_max_min > 2.5


def test_random_noise_on_balanced_areas_is_not_flagged():
    for seed in range(20):
        assert disparity(balanced_counts(random.Random(seed))).flagged == []


def test_a_small_desa_with_few_cases_is_not_flagged_by_chance():
    rng = random.Random(3)
    counts = balanced_counts(rng)
    counts["desa-kecil"] = (0, 3)  # rate 0 but expected only ~1 case
    assert "desa-kecil" not in disparity(counts).flagged


def durations(rng, n, center):
    return [max(0, round(rng.gauss(center, 1.5))) for _ in range(n)]


def test_a_planted_slower_kecamatan_is_flagged_by_kruskal_wallis():
    rng = random.Random(5)
    groups = {f"kec-{i}": durations(rng, 200, 3) for i in range(10)}
    groups["kec-lambat"] = durations(rng, 200, 6)
    result = duration_gap("kecamatan", groups)
    assert result.flagged
    assert result.p_value < 1e-6
    assert result.gap >= 2


def test_the_same_noise_on_balanced_groups_is_not_flagged():
    for seed in range(20):
        rng = random.Random(seed)
        groups = {f"kec-{i}": durations(rng, 200, 3) for i in range(11)}
        assert not duration_gap("kecamatan", groups).flagged


def test_a_gap_in_on_time_share_between_sexes_is_flagged():
    result = share_gap("sex", {"L": (450, 500), "P": (350, 500)})
    assert result.flagged and result.test == "chi-square"
    assert result.gap == pytest.approx(0.2)


def test_a_tiny_gap_in_on_time_share_is_not_flagged():
    assert not share_gap("sex", {"L": (450, 500), "P": (440, 500)}).flagged
