"""Small-count suppression for published tables (Django-free).

Primary: a count from 1 to (minimum − 1) is not shown. Complementary: when a column publishes its
total and exactly one of its cells is suppressed, that cell would be total minus the others, so
the smallest other non-zero cell is suppressed as well. A total itself below the minimum is
suppressed too (then no cell can be recovered from it).
"""

from collections.abc import Sequence
from dataclasses import dataclass

MIN_CELL = 5


@dataclass(frozen=True)
class Column:
    cells: list[int | None]
    total: int | None


def small(count: int, minimum: int = MIN_CELL) -> bool:
    return 0 < count < minimum


def suppress_column(counts: Sequence[int], total: int | None = None, minimum: int | None = None) -> Column:
    """Suppressed cells are None; `total` (default: the sum) is published unless it is small."""
    if minimum is None:
        from django.conf import settings

        minimum = settings.SATUPINTU_MIN_CELL
    total = sum(counts) if total is None else total
    hidden = {index for index, count in enumerate(counts) if small(count, minimum)}
    total_shown = not small(total, minimum)
    if total_shown and len(hidden) == 1:
        others = [(count, index) for index, count in enumerate(counts) if index not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    cells = [None if index in hidden else count for index, count in enumerate(counts)]
    return Column(cells, total if total_shown else None)
