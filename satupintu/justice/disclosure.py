"""Disclosure control of the public transparency page: no published count, total or combination of
them narrows a hidden count below the minimum cell size (Django-free; scipy is imported when the
tables are protected).

The page publishes, for two tables over the same applications (per service and per kecamatan),
three count columns — received, completed (of those received), complaints — and each column's
total. What a reader can combine is a set of linear facts: a shown cell is its count; a cell shown
"<5" is 0 to 4 (zeros are hidden the same way, so a 0 tells nothing); a cell shown "≥5" is 5 or
more; the cells of a shown total add up to it; completed is at most received in every row; and
both tables count the same applications, so their received and completed columns have the same
sum even where a total is hidden.

Primary suppression hides every count below the minimum. Then the page is attacked as a reader
would attack it: for every hidden cell a linear programme (scipy's HiGHS) finds the least and the
greatest value the published facts allow. A "<5" cell must still range over all of 0 to minimum−1,
a "≥5" cell over at least `minimum` values. While one does not, the smallest shown cell of the same
column is hidden too ("≥5": complementary suppression, as τ-ARGUS's hypercube and optimal methods
add secondary cells), and when a column has no shown cell left its total is hidden. The loop ends:
each round hides one more value.
"""

from dataclasses import dataclass, field

COLUMNS = ("received", "completed", "complaints")
LINKED = ("received", "completed")  # the same applications in both tables: equal sums


@dataclass(frozen=True)
class Hidden:
    """A suppressed value and what the page shows in its place."""

    text: str
    low: int
    high: int | None  # None: no upper bound is published

    def __str__(self) -> str:
        return self.text


@dataclass
class Grid:
    """The published tables: per table and column the true counts, which cells and totals are hidden."""

    counts: dict[str, dict[str, list[int]]]
    minimum: int
    hidden: dict[tuple[str, str, int], Hidden] = field(default_factory=dict)
    hidden_totals: set[tuple[str, str]] = field(default_factory=set)

    def cells(self):
        for table, columns in self.counts.items():
            for column, values in columns.items():
                for row, value in enumerate(values):
                    yield (table, column, row), value


def _problem(grid: Grid):
    """Variables (one per cell), their bounds and the published equalities and inequalities."""
    keys = [key for key, _value in grid.cells()]
    index = {key: position for position, key in enumerate(keys)}
    values = dict(grid.cells())
    bounds = []
    for key in keys:
        shown = grid.hidden.get(key)
        bounds.append((values[key], values[key]) if shown is None else (shown.low, shown.high))
    equalities, totals = [], []
    for table, columns in grid.counts.items():
        for column, cells in columns.items():
            if (table, column) not in grid.hidden_totals:
                equalities.append({index[(table, column, row)]: 1 for row in range(len(cells))})
                totals.append(sum(cells))
    tables = list(grid.counts)
    for column in LINKED:
        sums = [sum(grid.counts[table][column]) for table in tables]
        if len(tables) == 2 and sums[0] == sums[1]:
            first, second = (range(len(grid.counts[table][column])) for table in tables)
            row = {index[(tables[0], column, r)]: 1 for r in first}
            row.update({index[(tables[1], column, r)]: -1 for r in second})
            equalities.append(row)
            totals.append(0)
    at_most = [
        {index[(table, "completed", row)]: 1, index[(table, "received", row)]: -1}
        for table in tables
        for row in range(len(grid.counts[table]["completed"]))
    ]
    return keys, index, bounds, equalities, totals, at_most


def _matrix(rows, width):
    import numpy as np

    matrix = np.zeros((len(rows), width))
    for number, row in enumerate(rows):
        for column, coefficient in row.items():
            matrix[number, column] = coefficient
    return matrix


def intervals(grid: Grid) -> dict[tuple[str, str, int], tuple[float, float]]:
    """The least and greatest value every hidden cell can take given everything published.

    A linear programme without integrality: its constraints (column sums, equal sums of two
    columns, completed ≤ received in a row) form a network matrix, whose vertices are integral, so
    the relaxation's bounds are the integer bounds."""
    import numpy as np
    from scipy.optimize import linprog

    keys, index, bounds, equalities, totals, at_most = _problem(grid)
    width = len(keys)
    options = {
        "A_eq": _matrix(equalities, width) if equalities else None,
        "b_eq": np.array(totals, dtype=float) if equalities else None,
        "A_ub": _matrix(at_most, width) if at_most else None,
        "b_ub": np.zeros(len(at_most)) if at_most else None,
        "bounds": bounds,
        "method": "highs",
    }
    found, solved = {}, {}
    for key in grid.hidden:
        kind = _kind(grid, key)
        if kind not in solved:
            objective = np.zeros(width)
            objective[index[key]] = 1
            low = linprog(objective, **options)
            high = linprog(-objective, **options)
            solved[kind] = (low.fun, float("inf") if high.status == 3 else -high.fun)
        found[key] = solved[kind]
    return found


def _kind(grid: Grid, key: tuple[str, str, int]):
    """Cells of one kind have the same interval: the constraints treat the rows of a table alike,
    so two hidden cells of one column whose rows show (or hide) the same in the linked columns are
    interchangeable. The attack is solved once per kind (the empty rows of a table are one kind)."""
    table, column, row = key
    partners = LINKED if column in LINKED else (column,)
    return (
        table,
        column,
        tuple(grid.hidden.get((table, other, row)) or grid.counts[table][other][row] for other in partners),
    )


def _safe(hidden: Hidden, interval: tuple[float, float], minimum: int) -> bool:
    low, high = interval
    if hidden.high is not None:  # "<5": every value of 0..minimum-1 stays possible
        return low <= hidden.low and high >= hidden.high
    return high - low >= minimum - 1


def protect(counts: dict[str, dict[str, list[int]]], minimum: int) -> Grid:
    """Hide what must be hidden in `counts` (table → column → counts per row) for the page."""
    grid = Grid(counts, minimum)
    small = Hidden(f"<{minimum}", 0, minimum - 1)
    for key, value in grid.cells():
        if value < minimum:
            grid.hidden[key] = small
    while True:
        found = intervals(grid)
        unsafe = [key for key, hidden in grid.hidden.items() if not _safe(hidden, found[key], minimum)]
        # One more value hidden per unsafe column and round (the first unsafe cell of each).
        columns = {(table, column): row for table, column, row in reversed(unsafe)}
        if not any([_hide_one_more(grid, table, column, row) for (table, column), row in columns.items()]):
            return grid


def _hide_one_more(grid: Grid, table: str, column: str, row: int) -> bool:
    """Hide the smallest shown cell that bounds this one (its column, or its row's received and
    completed), else its column's total, else the other table's total; False when none is left."""
    counts, minimum = grid.counts[table], grid.minimum
    near = [(column, other) for other in range(len(counts[column]))]
    if column in LINKED:
        near += [(linked, row) for linked in LINKED if linked != column]
    shown = [(counts[c][r], c, r) for c, r in near if (table, c, r) not in grid.hidden]
    if shown:
        _value, c, r = min(shown)
        grid.hidden[(table, c, r)] = Hidden(f"≥{minimum}", minimum, None)
        return True
    for name in [table, *(other for other in grid.counts if other != table)]:
        if (name, column) not in grid.hidden_totals:
            grid.hidden_totals.add((name, column))
            return True
    return False
