"""An A4 recommendation letter in official Indonesian form, from the content snapshot of a document.

Every text goes through `escape` before it reaches a Paragraph: ReportLab's paragraph markup is never
fed anything an admin or a registry entry wrote.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import pdf_fonts
from .qr import draw_qr

LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 20 * mm, 15 * mm, 20 * mm
KOP_HEIGHT = 34 * mm
QR_SIZE = 30 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=pdf_fonts.SERIF, fontSize=11, leading=15)
    return {
        "base": base,
        "body": ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY, spaceAfter=6, firstLineIndent=10 * mm),
        "plain": ParagraphStyle("plain", parent=base, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _paragraphs(text: str, style) -> list:
    return [Paragraph(_text(part.strip()), style) for part in text.split("\n\n") if part.strip()]


def _kop(canvas, doc, content: dict) -> None:
    kop = content["kop"]
    width, height = A4
    middle = LEFT + (width - LEFT - RIGHT) / 2
    y = height - TOP - 6 * mm
    canvas.saveState()
    canvas.setFont(pdf_fonts.SERIF_BOLD, 14)
    canvas.drawCentredString(middle, y, kop["government"])
    canvas.setFont(pdf_fonts.SERIF_BOLD, 12.5)
    for line in _wrap(kop["unit_name"], pdf_fonts.SERIF_BOLD, 12.5, width - LEFT - RIGHT):
        y -= 6 * mm
        canvas.drawCentredString(middle, y, line)
    canvas.setFont(pdf_fonts.SERIF, 9)
    y -= 5.5 * mm
    canvas.drawCentredString(middle, y, " · ".join(part for part in (kop["address"], kop["contact"]) if part))
    line_y = height - TOP - KOP_HEIGHT + 3 * mm
    canvas.setLineWidth(2)
    canvas.line(LEFT, line_y, width - RIGHT, line_y)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, line_y - 1.2 * mm, width - RIGHT, line_y - 1.2 * mm)
    canvas.setFont(pdf_fonts.SERIF, 7.5)
    canvas.setFillColor(colors.grey)
    canvas.drawString(LEFT, BOTTOM - 8 * mm, content["footer"])
    canvas.drawRightString(width - RIGHT, BOTTOM - 8 * mm, f"{content['number']} · {doc.page}")
    canvas.restoreState()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


class _QrFlowable(Spacer):
    def __init__(self, rows: list[str]):
        super().__init__(QR_SIZE, QR_SIZE)
        self.rows = rows

    def draw(self):
        draw_qr(self.canv, self.rows, 0, 0, QR_SIZE)


def _header_block(content: dict, styles) -> list:
    rows = [
        ["Nomor", ":", content["number"]],
        ["Lampiran", ":", "-"],
        ["Perihal", ":", Paragraph(_text(content["subject"]), styles["base"])],
    ]
    info = Table(rows, colWidths=[22 * mm, 4 * mm, 78 * mm], hAlign="LEFT")
    info.setStyle(_plain_table())
    place_date = Paragraph(_text(content["place_date"]), styles["base"])
    top = Table([[info, place_date]], colWidths=[106 * mm, 59 * mm])
    top.setStyle(_plain_table())
    addressee = content["addressee"]
    to = [Paragraph("Kepada Yth.", styles["plain"]), Paragraph(_text(addressee["name"]), styles["plain"])]
    to.append(Paragraph(_text("di " + (addressee["address"] or "Tempat")), styles["plain"]))
    return [top, Spacer(1, 6 * mm), *to, Spacer(1, 6 * mm)]


def _plain_table() -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), pdf_fonts.SERIF, 11),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )


def _identity(content: dict, styles) -> Table:
    rows = [[label, ":", Paragraph(_text(value), styles["base"])] for label, value in content["identity"]]
    table = Table(rows, colWidths=[42 * mm, 4 * mm, 115 * mm], hAlign="LEFT")
    table.setStyle(_plain_table())
    return table


def _signature(content: dict, styles) -> Table:
    signer = content["signer"]
    lines = [
        Paragraph(_text(signer["position"]), styles["center"]),
        Spacer(1, 22 * mm),
        Paragraph(f"<u><b>{_text(signer['name'])}</b></u>", styles["center"]),
    ]
    if signer["nip"]:
        lines.append(Paragraph(_text("NIP. " + signer["nip"]), styles["center"]))
    qr = [_QrFlowable(content["qr"]), Paragraph(_text(content["qr_caption"]), styles["small"])]
    table = Table([[qr, lines]], colWidths=[80 * mm, 85 * mm])
    table.setStyle(_plain_table())
    return table


def render_letter(content: dict) -> bytes:
    pdf_fonts.register()
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP + KOP_HEIGHT,
        bottomMargin=BOTTOM,
        title=f"{content['title']} {content['number']}",
        author=content["kop"]["unit_short"],
        creator="Satu Pintu",
        invariant=1,
    )
    story = _header_block(content, styles)
    story += _paragraphs(content["opening"], styles["body"])
    story += [_identity(content, styles), Spacer(1, 4 * mm)]
    story += _paragraphs(content["body"], styles["body"])
    story += _paragraphs(content["closing"], styles["body"])
    story += [Spacer(1, 6 * mm), KeepTogether(_signature(content, styles))]
    doc.build(story, onFirstPage=lambda c, d: _kop(c, d, content), onLaterPages=lambda c, d: _kop(c, d, content))
    return buffer.getvalue()
