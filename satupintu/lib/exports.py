"""CSV, XLSX and PDF writers. Every text cell passes `safe_cell`, so a value typed by a citizen or
an officer cannot become a spreadsheet formula (CSV/formula injection)."""

import csv
import io

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow([safe_cell(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheets) -> HttpResponse:
    return attachment(xlsx_bytes(sheets), XLSX_TYPE, filename)


def xlsx_bytes(sheets) -> bytes:
    """sheets: (title, header, rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append([safe_cell(str(cell)) for cell in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_bytes(title: str, blocks) -> bytes:
    """blocks: ("h", text) | ("p", text) | ("table", header, rows) | ("flowable", a reportlab flowable,
    e.g. a chart's Drawing)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title, leftMargin=1.5 * cm, rightMargin=1.5 * cm)
    story = [Paragraph(escape(title), styles["Title"])]
    for block in blocks:
        if block[0] == "h":
            story.append(Paragraph(escape(str(block[1])), styles["Heading2"]))
        elif block[0] == "p":
            story.append(Paragraph(escape(str(block[1])), styles["BodyText"]))
        elif block[0] == "flowable":
            story += [block[1], Spacer(1, 0.3 * cm)]
        else:
            data = [[str(cell) for cell in block[1]]] + [["" if c is None else str(c) for c in row] for row in block[2]]
            table = Table(data, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            story += [table, Spacer(1, 0.3 * cm)]
    doc.build(story)
    return buffer.getvalue()
