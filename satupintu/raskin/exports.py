"""The per-desa list for the distribution point: a printable PDF with room for each signature or
thumbprint and the officers' lines, and the same list as XLSX. Every text cell of the XLSX is made
formula-safe (a name typed as "=..." stays text)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.lib.exports import safe_cell


def _kg(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def header():
    return [
        _("No"), _("ID rumah tangga"), _("Kepala keluarga"), _("Alamat"), _("kg"),
        _("Tanggal terima"), _("Diterima oleh"), _("Tanda tangan / cap jempol"),
    ]  # fmt: skip


def rows(recipients):
    for number, r in enumerate(recipients, 1):
        h, given = r.household, r.handover
        yield [
            number,
            h.reference,
            h.head.name if h.head else "",
            f"{h.address} RT {h.rt}/RW {h.rw}",
            _kg(given.kg if given else r.kg),
            f"{given.on:%d-%m-%Y}" if given else "",
            given.received_by if given else "",
            (given.thumbprint_note or _("tanda tangan/foto tersimpan")) if given else "",
        ]


def title(month, desa) -> str:
    return _("Daftar penerima raskin %(month)s — %(desa)s, Kec. %(kecamatan)s") % {
        "month": month.label,
        "desa": desa.name,
        "kecamatan": desa.parent.name,
    }


def xlsx(month, desa, recipients) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{desa.name}"[:31]
    sheet.append([safe_cell(title(month, desa))])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("kg per rumah tangga"), float(month.kg_per_household), safe_cell(month.kg_source)])
    sheet.append([])
    sheet.append(header())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in rows(recipients):
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(month, desa, recipients, officer_name: str) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), title=title(month, desa), leftMargin=1.2 * cm, rightMargin=1.2 * cm
    )
    story = [
        Paragraph(escape(title(month, desa)), styles["Title"]),
        Paragraph(
            escape(
                _("%(kg)s kg per rumah tangga · %(n)s rumah tangga · dicetak %(at)s")
                % {
                    "kg": _kg(month.kg_per_household),
                    "n": len(recipients),
                    "at": f"{timezone.localtime():%d-%m-%Y %H:%M}",
                }
            ),
            styles["BodyText"],
        ),
        Spacer(1, 0.3 * cm),
    ]
    data = [header(), *[[str(c) for c in row] for row in rows(recipients)]]
    widths = [1 * cm, 2.6 * cm, 5 * cm, 6 * cm, 1.4 * cm, 2.4 * cm, 4 * cm, 4.4 * cm]
    table = Table(data, colWidths=widths, repeatRows=1, rowHeights=[None] + [1.1 * cm] * len(recipients))
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    lines = [
        [_("Petugas penyalur"), _("Kepala desa/lurah"), _("Saksi")],
        ["", "", ""],
        [f"( {officer_name} )", "( .............................. )", "( .............................. )"],
    ]
    signatures = Table(lines, colWidths=[8.5 * cm] * 3, rowHeights=[0.6 * cm, 1.8 * cm, 0.6 * cm])
    signatures.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    story += [table, Spacer(1, 0.8 * cm), signatures]
    doc.build(story)
    return buffer.getvalue()
