"""Statistics of the equity audit (laporan keadilan layanan), without Django.

- Access: rates per area (e.g. applications per registered poor household) with disparity indices
  (max/min ratio, Gini, Theil T) and areas far below the median flagged. An area is flagged when its
  rate is under half the median AND a one-sided Poisson test says its count is lower than the median
  rate predicts for its size (p < alpha), so a small desa with a few cases is not flagged by noise.
- Process consistency: working days to decision compared across groups with the Kruskal–Wallis
  H test (rank-based, no normality assumed); shares within the deadline with Pearson's chi-square
  test of independence. A gap is flagged only when p < alpha AND the gap is large enough to matter
  (default 1 working day between group medians, or 10 percentage points between shares).

scipy is imported by the functions that use it: at module level it would add about a second to
the start of every web worker, which imports this module with the report's URLs.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

import numpy as np

# Assumptions of this software, not taken from a regulation (docs/justice.md): the significance
# level, and how large a gap must be to count as material (working days between group medians,
# share points between groups).
ALPHA = 0.01
MIN_MEDIAN_GAP_DAYS = 1.0
MIN_SHARE_GAP = 0.10


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 = all equal)."""
    data = np.sort(np.asarray(values, dtype=float))
    if data.size == 0 or data.sum() == 0:
        return 0.0
    n = data.size
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * data).sum()) / (n * data.sum()) - (n + 1) / n)


def theil(values: Sequence[float]) -> float:
    """Theil T index of non-negative values (0 = all equal); x·ln x is taken as 0 at x = 0."""
    data = np.asarray(values, dtype=float)
    if data.size == 0 or data.mean() == 0:
        return 0.0
    share = data / data.mean()
    positive = share > 0
    return float((share[positive] * np.log(share[positive])).sum() / data.size)


@dataclass
class AreaRate:
    area: str
    count: int
    base: int
    rate: float | None
    flagged: bool = False
    p_value: float | None = None


@dataclass
class Disparity:
    areas: list[AreaRate]
    median_rate: float | None
    ratio_max_min: float | None
    gini: float
    theil: float
    zero_areas: int = 0
    flagged: list[str] = field(default_factory=list)


def disparity(counts: Mapping[str, tuple[int, int]], alpha: float = ALPHA) -> Disparity:
    """counts: area → (events, base), e.g. (applications, registered poor households)."""
    from scipy import stats

    rows = [AreaRate(area, count, base, count / base if base else None) for area, (count, base) in counts.items()]
    rated = [row for row in rows if row.rate is not None]
    if not rated:
        return Disparity(rows, None, None, 0.0, 0.0)
    rates = [row.rate for row in rated]
    mid = median(rates)
    for row in rated:
        expected = mid * row.base
        row.p_value = float(stats.poisson.cdf(row.count, expected)) if expected > 0 else None
        row.flagged = row.rate < mid / 2 and row.p_value is not None and row.p_value < alpha
    positive = [rate for rate in rates if rate > 0]
    ratio = max(positive) / min(positive) if positive else None
    return Disparity(
        areas=rows,
        median_rate=mid,
        ratio_max_min=ratio,
        gini=gini(rates),
        theil=theil(rates),
        zero_areas=len(rates) - len(positive),
        flagged=[row.area for row in rated if row.flagged],
    )


@dataclass
class GroupGap:
    dimension: str
    test: str
    statistic: float | None
    p_value: float | None
    groups: dict[str, dict]
    gap: float | None
    flagged: bool


def duration_gap(
    dimension: str, groups: Mapping[str, Sequence[float]], alpha: float = ALPHA, min_gap: float = MIN_MEDIAN_GAP_DAYS
) -> GroupGap:
    """Compare working days to decision across groups (Kruskal–Wallis H)."""
    from scipy import stats

    present = {label: list(values) for label, values in groups.items() if len(values)}
    summary = {label: {"n": len(values), "median": float(median(values))} for label, values in present.items()}
    if len(present) < 2 or len({v for values in present.values() for v in values}) < 2:
        return GroupGap(dimension, "Kruskal–Wallis H", None, None, summary, None, False)
    statistic, p_value = stats.kruskal(*present.values())
    medians = [item["median"] for item in summary.values()]
    gap = max(medians) - min(medians)
    return GroupGap(
        dimension,
        "Kruskal–Wallis H",
        float(statistic),
        float(p_value),
        summary,
        gap,
        bool(p_value < alpha and gap >= min_gap),
    )


def share_gap(
    dimension: str, groups: Mapping[str, tuple[int, int]], alpha: float = ALPHA, min_gap: float = MIN_SHARE_GAP
) -> GroupGap:
    """Compare shares (e.g. decided within the deadline) across groups (chi-square of independence)."""
    from scipy import stats

    present = {label: (hit, total) for label, (hit, total) in groups.items() if total}
    summary = {label: {"n": total, "share": hit / total} for label, (hit, total) in present.items()}
    table = np.array([[hit, total - hit] for hit, total in present.values()])
    if len(present) < 2 or (table.sum(axis=0) == 0).any():
        return GroupGap(dimension, "chi-square", None, None, summary, None, False)
    statistic, p_value, _dof, _expected = stats.chi2_contingency(table, correction=False)
    shares = [item["share"] for item in summary.values()]
    gap = max(shares) - min(shares)
    return GroupGap(
        dimension,
        "chi-square",
        float(statistic),
        float(p_value),
        summary,
        gap,
        bool(p_value < alpha and gap >= min_gap),
    )


# Assumption, not from a regulation (docs/justice.md): an area's share departs materially when it
# received less than this ratio, or more than its inverse, of its expected count.
MIN_SHARE_RATIO = 0.5


@dataclass
class ShareDeparture:
    area: str
    observed: int
    base: int
    expected: float
    ratio: float | None
    p_value: float | None
    flagged: bool = False


def share_departure(
    counts: Mapping[str, tuple[int, int]], alpha: float = ALPHA, min_ratio: float = MIN_SHARE_RATIO
) -> list[ShareDeparture]:
    """Whether each area's share of what was given departs from its share of the base beyond chance.

    counts: area → (observed, base), e.g. (households reached by a programme, registered poor
    households). Under "given in proportion to the base" an area expects total × its share of the base;
    a two-sided Poisson test on its observed count gives p. An area is flagged when p < alpha / number
    of areas tested (Bonferroni) AND its observed/expected ratio is below `min_ratio` or above
    1 / `min_ratio` — far from its share, not merely detectably so."""
    from scipy import stats

    total = sum(observed for observed, _base in counts.values())
    base_total = sum(base for _observed, base in counts.values())
    tested = sum(1 for _observed, base in counts.values() if base)
    level = alpha / max(tested, 1)
    rows = []
    for area, (observed, base) in counts.items():
        expected = total * base / base_total if base_total else 0.0
        if expected <= 0:
            rows.append(ShareDeparture(area, observed, base, expected, None, None, False))
            continue
        low = float(stats.poisson.cdf(observed, expected))
        high = float(stats.poisson.sf(observed - 1, expected))
        p_value = min(1.0, 2 * min(low, high))
        ratio = observed / expected
        far = ratio < min_ratio or ratio > 1 / min_ratio
        rows.append(ShareDeparture(area, observed, base, expected, ratio, p_value, bool(p_value < level and far)))
    return rows
