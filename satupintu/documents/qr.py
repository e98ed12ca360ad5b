"""QR codes drawn as vector rectangles into a ReportLab canvas (segno computes the matrix)."""

import segno


def draw_qr(canvas, text: str, x: float, y: float, size: float, *, border: int = 2) -> None:
    """Draw `text` as a QR code in the square (x, y, size), quiet zone of `border` modules included.

    Runs of dark modules on a row become one rectangle, so a card costs a few hundred operators.
    """
    matrix = segno.make_qr(text, error="m", boost_error=False).matrix
    count = len(matrix) + 2 * border
    module = size / count
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + border + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + (start + border) * module, top, (column - start) * module, module)
                start = None
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
