"""QR codes: encoded once at issue (segno), stored as rows of the document's snapshot, and drawn as
vector rectangles into a ReportLab canvas.

Encoding is the slow part (segno's mask search is pure Python), so a reprint or a batch sheet of a
thousand cards never encodes again: it draws the very symbol that was issued.
"""

import segno


def encode(text: str) -> list[str]:
    """The QR symbol of `text` (error correction M) as one hexadecimal string per row of modules."""
    matrix = segno.make_qr(text, error="m", boost_error=False).matrix
    width = (len(matrix) + 3) // 4
    return [format(int("".join("1" if dark else "0" for dark in row), 2), f"0{width}x") for row in matrix]


def modules(rows: list[str]) -> list[str]:
    """Rows of "0"/"1" from the stored hexadecimal rows."""
    size = len(rows)
    return [bin(int(row, 16))[2:].zfill(size) for row in rows]


def draw_qr(canvas, rows: list[str], x: float, y: float, size: float, *, border: int = 2) -> None:
    """Draw a stored QR symbol in the square (x, y, size), a quiet zone of `border` modules included.

    Runs of dark modules on a row become one rectangle, so a card costs a few hundred operators.
    """
    bits = modules(rows)
    module = size / (len(bits) + 2 * border)
    path = canvas.beginPath()
    for row_index, row in enumerate(bits):
        top = y + size - (row_index + border + 1) * module
        start = None
        for column, dark in enumerate(row + "0"):
            if dark == "1" and start is None:
                start = column
            elif dark == "0" and start is not None:
                path.rect(x + (start + border) * module, top, (column - start) * module, module)
                start = None
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
