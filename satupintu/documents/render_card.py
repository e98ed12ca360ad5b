"""Kartu Saraswati and Kartu Sintawati at ID-1 size (85.6 × 54 mm), single or many on A4 sheets.

A card is drawn from the content snapshot of its document, with the origin at its lower left corner,
so the same functions draw one card on its own page and a thousand on sheets with crop marks.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import pdf_fonts
from .qr import draw_qr

CARD_W, CARD_H = 85.6 * mm, 54 * mm
PAD = 3 * mm
QR_SIZE = 19 * mm
TIER_COLOURS = {"melati": (0.04, 0.36, 0.29), "menur": (0.42, 0.11, 0.60), "kenanga": (0.78, 0.60, 0.0)}
SINTAWATI_COLOUR = (0.08, 0.40, 0.75)

# A4 sheet: 2 columns × 5 rows, gutters leave room for crop marks between the cards.
COLUMNS, ROWS = 2, 5
GUTTER_X, GUTTER_Y = 8 * mm, 3 * mm
MARK, MARK_GAP = 3 * mm, 1 * mm


def _fit(canvas, text: str, font: str, size: float, width: float, x: float, y: float, *, min_size=4.5) -> None:
    """Draw `text` in at most `width`: shrink it down to `min_size`, then cut it with an ellipsis."""
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.25
    while len(text) > 1 and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def _band(canvas, colour, title: str, subtitle: str, government: str) -> None:
    canvas.setFillColorRGB(*colour)
    canvas.rect(0, CARD_H - 11 * mm, CARD_W, 11 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    _fit(canvas, government, pdf_fonts.SANS, 5.5, CARD_W - 2 * PAD, PAD, CARD_H - 3.4 * mm)
    _fit(canvas, title, pdf_fonts.SANS_BOLD, 10.5, CARD_W - 2 * PAD, PAD, CARD_H - 7.4 * mm)
    _fit(canvas, subtitle, pdf_fonts.SANS, 5.5, CARD_W - 2 * PAD, PAD, CARD_H - 10 * mm)
    canvas.setFillColorRGB(0, 0, 0)


def _fields(canvas, rows: list[tuple[str, str]], top: float, width: float) -> None:
    y = top
    for label, value in rows:
        canvas.setFont(pdf_fonts.SANS, 5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawString(PAD, y, label)
        canvas.setFillColorRGB(0, 0, 0)
        _fit(canvas, value, pdf_fonts.SANS_BOLD, 7, width, PAD, y - 2.7 * mm)
        y -= 6.2 * mm


def _outline(canvas) -> None:
    canvas.setLineWidth(0.3)
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.roundRect(0, 0, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
    canvas.setStrokeColorRGB(0, 0, 0)


def draw_front(canvas, content: dict) -> None:
    colour = TIER_COLOURS.get(content.get("tier", ""), SINTAWATI_COLOUR)
    _band(canvas, colour, content["title"], content["subtitle"], content["government"])
    text_width = CARD_W - QR_SIZE - 3 * PAD
    _fields(canvas, content["front"], CARD_H - 14 * mm, text_width)
    draw_qr(canvas, content["qr"], CARD_W - QR_SIZE - PAD + 1 * mm, PAD, QR_SIZE)
    canvas.setFont(pdf_fonts.SANS_BOLD, 6.5)
    canvas.drawRightString(CARD_W - PAD, CARD_H - 14 * mm, content["number"])
    if content.get("tier_label"):
        canvas.setFillColorRGB(*colour)
        canvas.drawRightString(CARD_W - PAD, CARD_H - 17 * mm, content["tier_label"].upper())
        canvas.setFillColorRGB(0, 0, 0)
    _outline(canvas)


def draw_back(canvas, content: dict) -> None:
    canvas.setFont(pdf_fonts.SANS_BOLD, 6.5)
    canvas.drawString(PAD, CARD_H - PAD - 2 * mm, content["back_title"])
    y = CARD_H - PAD - 5.5 * mm
    columns = content["back_columns"]
    canvas.setFont(pdf_fonts.SANS_BOLD, 4.8)
    for (label, x), _width in zip(columns, _widths(columns), strict=True):
        canvas.drawString(x * mm, y, label)
    y -= 2.9 * mm
    rows = content["back_rows"]
    # Every member is listed: a large family gets smaller rows rather than a cut list.
    step = min(2.75 * mm, (y - 16 * mm) / max(len(rows) - 1, 1))
    size = min(5.2, step / mm * 1.9)
    for row in rows:
        for value, (_label, x), width in zip(row, columns, _widths(columns), strict=True):
            _fit(canvas, value, pdf_fonts.SANS, size, width, x * mm, y, min_size=3)
        y -= step
    canvas.setFont(pdf_fonts.SANS, 4.6)
    notes_y = 9.5 * mm
    for line in content["back_notes"]:
        canvas.drawString(PAD, notes_y, line)
        notes_y -= 2.1 * mm
    canvas.setFont(pdf_fonts.SANS, 4.6)
    canvas.drawRightString(CARD_W - PAD, 14 * mm, content["signer_position"])
    canvas.setFont(pdf_fonts.SANS_BOLD, 5)
    canvas.drawRightString(CARD_W - PAD, 11.8 * mm, content["signer_name"])
    _outline(canvas)


def _widths(columns) -> list[float]:
    starts = [x for _label, x in columns]
    ends = [*starts[1:], (CARD_W - PAD) / mm]
    return [(end - start - 1) * mm for start, end in zip(starts, ends, strict=True)]


def render_card(content: dict) -> bytes:
    """One card: page 1 the front, page 2 the back, each exactly ID-1."""
    pdf_fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(CARD_W, CARD_H), invariant=1)
    canvas.setTitle(f"{content['title']} {content['number']}")
    canvas.setCreator("Satu Pintu")
    draw_front(canvas, content)
    canvas.showPage()
    draw_back(canvas, content)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _slots():
    width, height = A4
    margin_x = (width - COLUMNS * CARD_W - (COLUMNS - 1) * GUTTER_X) / 2
    margin_y = (height - ROWS * CARD_H - (ROWS - 1) * GUTTER_Y) / 2
    for row in range(ROWS):
        for column in range(COLUMNS):
            x = margin_x + column * (CARD_W + GUTTER_X)
            y = height - margin_y - (row + 1) * CARD_H - row * GUTTER_Y
            yield x, y


SLOTS = list(_slots())


def _crop_marks(canvas, slots) -> None:
    canvas.setLineWidth(0.25)
    for x, y in slots:
        for cx in (x, x + CARD_W):
            canvas.line(cx, y + CARD_H + MARK_GAP, cx, y + CARD_H + MARK_GAP + MARK)
            canvas.line(cx, y - MARK_GAP, cx, y - MARK_GAP - MARK)
        for cy in (y, y + CARD_H):
            canvas.line(x - MARK_GAP, cy, x - MARK_GAP - MARK, cy)
            canvas.line(x + CARD_W + MARK_GAP, cy, x + CARD_W + MARK_GAP + MARK, cy)


def _mirrored(index: int) -> int:
    """Slot of a card's back on the reverse sheet (long-edge duplex swaps the columns)."""
    row, column = divmod(index, COLUMNS)
    return row * COLUMNS + (COLUMNS - 1 - column)


def render_sheets(cards: list[dict], title: str, progress=None) -> bytes:
    """Cards (their content snapshots) on A4 sheets, 10 a sheet: each sheet of fronts is followed by the
    sheet of their backs. `progress(done, total)`, if given, is told the cards drawn after each sheet."""
    pdf_fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("Satu Pintu")
    per_sheet = COLUMNS * ROWS
    for start in range(0, len(cards), per_sheet):
        batch = cards[start : start + per_sheet]
        used = SLOTS[: len(batch)]
        for content, (x, y) in zip(batch, used, strict=True):
            canvas.saveState()
            canvas.translate(x, y)
            draw_front(canvas, content)
            canvas.restoreState()
        _crop_marks(canvas, used)
        canvas.showPage()
        back_slots = [SLOTS[_mirrored(index)] for index in range(len(batch))]
        for content, (x, y) in zip(batch, back_slots, strict=True):
            canvas.saveState()
            canvas.translate(x, y)
            draw_back(canvas, content)
            canvas.restoreState()
        _crop_marks(canvas, back_slots)
        canvas.showPage()
        if progress:
            progress(start + len(batch), len(cards))
    canvas.save()
    return buffer.getvalue()
