"""Nothing hidden on the transparency page can be recovered from what it publishes.

The attacker reads the rendered tables only: every shown count, every "<5" (0 to 4) and "≥5" (5 or
more), every shown column total, that completed never exceeds received in a row, and that both
tables count the same applications (equal sums of received and of completed). For every hidden cell
an integer programme finds the least and greatest value those facts allow; the page fails if any
hidden cell is left fewer than five possible values.
"""

import random
from html.parser import HTMLParser

import numpy as np
import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from scipy.optimize import linprog

from satupintu.complaints.models import Category
from satupintu.justice import public
from satupintu.justice.disclosure import protect
from satupintu.regions.models import Level, Region
from tests.complaints.conftest import submit
from tests.conftest import household_in

from .conftest import make_application

COLUMNS = {"received": 1, "completed": 2, "complaints": 6}  # positions in the table's cells
MINIMUM = 5


class Tables(HTMLParser):
    """The text of every cell of every table, by the table's id: rows, then the totals row."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.text = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs)["id"], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
            self.current.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.text = ""

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.text is not None:
            self.row.append(self.text.strip())
            self.text = None
        elif tag == "table":
            self.current = self.row = None


def attack(html: str) -> dict:
    """Every hidden cell's (least, greatest) value given everything `html` publishes."""
    parser = Tables()
    parser.feed(html)
    tables = {name: rows[1:] for name, rows in parser.tables.items() if name.startswith("public-")}
    cells, bounds, equalities, totals, at_most = {}, [], [], [], []
    # A page that prints a zero as 0 says that "<5" is 1 to 4.
    zeros = any(row[p] == "0" for rows in tables.values() for row in rows for p in COLUMNS.values())

    def variable(key, text):
        cells[key] = (len(bounds), text)
        if text == f"<{MINIMUM}":
            bounds.append((1 if zeros else 0, MINIMUM - 1))
        elif text == f"≥{MINIMUM}":
            bounds.append((MINIMUM, None))
        else:
            bounds.append((int(text.replace(".", "")),) * 2)

    for name, rows in tables.items():
        body, total_row = rows[:-1], rows[-1]
        for column, position in COLUMNS.items():
            for number, row in enumerate(body):
                variable((name, column, number), row[position])
            shown_total = total_row[position]
            if shown_total.replace(".", "").isdigit():
                equalities.append({cells[(name, column, n)][0]: 1 for n in range(len(body))})
                totals.append(int(shown_total.replace(".", "")))
        at_most += [
            {cells[(name, "completed", n)][0]: 1, cells[(name, "received", n)][0]: -1} for n in range(len(body))
        ]
    first, second = tables
    for column in ("received", "completed"):
        same = {index: 1 for (name, c, _n), (index, _t) in cells.items() if name == first and c == column}
        same |= {index: -1 for (name, c, _n), (index, _t) in cells.items() if name == second and c == column}
        equalities.append(same)
        totals.append(0)

    def matrix(rows):
        grid = np.zeros((len(rows), len(bounds)))
        for number, row in enumerate(rows):
            for index, coefficient in row.items():
                grid[number, index] = coefficient
        return grid

    options = {
        "A_eq": matrix(equalities), "b_eq": totals, "A_ub": matrix(at_most), "b_ub": np.zeros(len(at_most)),
        "bounds": bounds, "integrality": np.ones(len(bounds)), "method": "highs",
    }  # fmt: skip
    found = {}
    for key, (index, text) in cells.items():
        if text.replace(".", "").isdigit():
            continue
        objective = np.zeros(len(bounds))
        objective[index] = 1
        low, high = linprog(objective, **options), linprog(-objective, **options)
        assert low.status == 0, "the published facts contradict each other"
        found[key] = (text, round(low.fun), None if high.status == 3 else round(-high.fun))
    return found


def narrowed(found: dict) -> dict:
    """The hidden cells left with fewer than MINIMUM possible values."""
    return {
        key: (text, low, high)
        for key, (text, low, high) in found.items()
        if high is not None and high - low < MINIMUM - 1
    }


def test_the_complaints_of_six_kecamatan_cannot_be_recovered_from_the_total(client, regions, kasi):
    """Tangen 5, six kecamatan one each (Sambungmacan's a bribe report), the rest none: total 11."""
    today = timezone.localdate()
    kecamatan = list(Region.objects.filter(level=Level.KECAMATAN).order_by("code"))
    tangen = next(k for k in kecamatan if k.name == "Tangen")
    sambungmacan = next(k for k in kecamatan if k.name == "Sambungmacan")
    for _ in range(5):
        submit(kecamatan=tangen)
    submit(kecamatan=sambungmacan, category=Category.IMBALAN)
    for region in [k for k in kecamatan if k not in (tangen, sambungmacan)][:5]:
        submit(kecamatan=region)
    for desa in Region.objects.filter(level=Level.DESA, code__endswith=".2001").order_by("code")[:6]:
        for _ in range(3):
            make_application(household_in(desa.code, "A"), received=today, decider=kasi)
    found = attack(client.get("/transparansi/").content.decode())
    assert ("public-kecamatan", "complaints", kecamatan.index(sambungmacan)) in found
    assert narrowed(found) == {}


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_cell_of_random_tables_can_be_narrowed(seed, settings):
    settings.SATUPINTU_MIN_CELL = MINIMUM
    draw = random.Random(seed)
    services, kecamatan = [f"S{n}" for n in range(14)], [f"K{n}" for n in range(20)]
    weights = [draw.choice([0, 0, 1, 1, 2, 8]) for _ in kecamatan]
    rows = [
        {"service": draw.choice(services[: draw.randint(1, 14)]), "kecamatan": draw.choices(kecamatan, weights)[0],
         "completed": draw.random() < 0.7, "decided": False, "on_time": None, "days": 0}
        for _ in range(draw.randint(0, 120))
    ]  # fmt: skip
    complaints = {
        name: [draw.choice([0, 0, 0, 1, 2, 6]) for _ in keys] for name, keys in (("S", services), ("K", kecamatan))
    }
    groups = {"services": public._group(rows, "service"), "kecamatan": public._group(rows, "kecamatan")}
    keys = {"services": services, "kecamatan": kecamatan}
    counts = {
        name: public._counts(keys[name], groups[name], dict(zip(keys[name], complaints[name[0].upper()], strict=True)))
        for name in keys
    }
    grid = protect(counts, MINIMUM)
    html = "".join(
        render_to_string(
            "justice/_public_table.html",
            {
                "table": public._table(name, grid, keys[name], {k: k for k in keys[name]}, groups[name], {}),
                "heading": name,
                "table_id": f"public-{name}",
            },
        )  # fmt: skip
        for name in keys
    )
    assert narrowed(attack(html)) == {}
