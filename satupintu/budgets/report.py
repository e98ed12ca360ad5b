"""The realisation report of a fiscal year: per programme and source against the ceiling, per
kecamatan and per month. Every figure is a sum of the ledger (`selectors.year_figures`: one pass
over the year's rows and one count of the households reached). One set of tables feeds the HTML
page, the XLSX and the PDF (with a bar chart of each programme's realisation against its ceiling)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from satupintu.lib.exports import pdf_bytes, xlsx_bytes

from . import selectors
from .models import Unit

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]


def _unit_label(programme) -> str:
    return "Rp" if programme.unit == Unit.RUPIAH else str(Unit(programme.unit).label)


def _main(programme, row: dict, name: str):
    """The figure in the programme's own unit: rupiah for a rupiah programme, else units."""
    return row[f"{name}_amount"] if programme.unit == Unit.RUPIAH else row[f"{name}_units"]


def _share(part, whole):
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"))


def realisation_tables(year: int) -> list[Table]:
    figures = selectors.year_figures(year)
    overview = selectors.year_overview(year, ledger=figures.by_source)
    progs = [item["programme"] for item in overview]
    sources = Table(
        _("Per program dan sumber dana"),
        [
            _("Program"),
            _("Sumber dana"),
            _("Satuan"),
            _("Pagu"),
            _("Komitmen"),
            _("Realisasi"),
            _("Sisa"),
            _("Realisasi (%)"),
            _("Realisasi (Rp)"),
        ],
        [],
    )
    for item in overview:
        programme = item["programme"]
        for row in item["sources"]:
            ceiling = _main(programme, row, "ceiling")
            realised = _main(programme, row, "realised")
            sources.rows.append(
                [
                    programme.name,
                    row["source"].name,
                    _unit_label(programme),
                    ceiling,
                    _main(programme, row, "committed"),
                    realised,
                    _main(programme, row, "remaining"),
                    _share(realised, ceiling),
                    row["realised_amount"],
                ]
            )
    by_kecamatan = figures.kecamatan
    names = dict(_kecamatan_names())
    kecamatan = Table(
        _("Per kecamatan"),
        [_("Kecamatan")] + [f"{p.name} ({_unit_label(p)})" for p in progs] + [_("Rumah tangga")],
        [],
    )
    for code, name in names.items():
        cells = [by_kecamatan.get((p.pk, code)) for p in progs]
        values = [
            (c["amount"] if p.unit == Unit.RUPIAH else c["units"]) if c else Decimal(0)
            for p, c in zip(progs, cells, strict=True)
        ]
        kecamatan.rows.append([name, *values, sum(c["households"] for c in cells if c)])
    by_month = figures.months
    months = Table(_("Per bulan"), [_("Program"), _("Satuan"), *MONTHS, _("Jumlah")], [])
    for p in progs:
        values = []
        for month in range(1, 13):
            cell = by_month.get((p.pk, month))
            values.append((cell["amount"] if p.unit == Unit.RUPIAH else cell["units"]) if cell else Decimal(0))
        months.rows.append([p.name, _unit_label(p), *values, sum(values, Decimal(0))])
    return [sources, kecamatan, months]


def _kecamatan_names():
    from satupintu.regions.models import Level, Region

    return Region.objects.filter(level=Level.KECAMATAN).order_by("name").values_list("code", "name")


def programme_shares(year: int) -> list[tuple[str, Decimal]]:
    """(programme, realised % of its ceiling) for the chart; programmes without a ceiling left out."""
    out = []
    for item in selectors.year_overview(year):
        programme, total = item["programme"], item["total"]
        share = _share(_main(programme, total, "realised"), _main(programme, total, "ceiling"))
        if share is not None:
            out.append((programme.name, share))
    return out


def xlsx(year: int) -> bytes:
    return xlsx_bytes([(t.title, t.header, t.rows) for t in realisation_tables(year)])


def chart(shares):
    """A bar chart (reportlab.graphics) of each programme's realisation as a share of its ceiling."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    drawing = Drawing(720, 230)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 50, 50, 640, 150
    bars.data = [[float(share) for _name, share in shares] or [0]]
    bars.categoryAxis.categoryNames = [name[:28] for name, _share in shares] or [""]
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max([100, *(float(s) for _n, s in shares)])
    bars.valueAxis.labelTextFormat = "%d%%"
    bars.bars[0].fillColor = colors.HexColor("#1f6f8b")
    drawing.add(bars)
    drawing.add(String(50, 210, _("Realisasi terhadap pagu (%)"), fontSize=9))
    return drawing


def pdf(year: int) -> bytes:
    blocks = [
        (
            "p",
            _("Semua angka dijumlah dari buku kas (pembayaran, penyerahan, pengeluaran stok; pembalikan mengurangi)."),
        ),
        ("flowable", chart(programme_shares(year))),
    ]
    for table in realisation_tables(year):
        blocks += [("h", table.title), ("table", table.header, [[_cell(v) for v in row] for row in table.rows])]
    return pdf_bytes(_("Realisasi anggaran tahun %(year)s") % {"year": year}, blocks)


def _cell(value) -> str:
    from .templatetags.budgets_tags import cellvalue

    return str(cellvalue(value))
