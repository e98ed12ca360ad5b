"""The TrueType fonts shipped in documents/fonts (DejaVu, Bitstream Vera licence), registered once."""

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SERIF, SERIF_BOLD = "DejaVuSerif", "DejaVuSerif-Bold"
SANS, SANS_BOLD = "DejaVuSansCondensed", "DejaVuSansCondensed-Bold"


@functools.cache
def register() -> None:
    for name in (SERIF, SERIF_BOLD, SANS, SANS_BOLD):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF, boldItalic=SERIF_BOLD)
