"""The server-side bar charts: drawn at their own size, their label column fitted to the labels."""

import re

from satupintu.justice.charts import LABEL_WIDTH, bars


def svg_size(svg: str) -> tuple[int, int]:
    width, height = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg).groups()
    return int(width), int(height)


def test_short_labels_get_a_label_column_fitted_to_them():
    svg = str(bars([("Nov 2026", 95.4545, False), ("Des 2026", 77.7778, False)], unit="%"))
    label_width = 12 + 8 * len("Des 2026")
    assert f'x="{label_width - 6}"' in svg and f'<rect x="{label_width}"' in svg
    assert svg_size(svg)[0] == label_width + 330 + 70  # drawn at its own size, not stretched to its box


def test_long_labels_keep_the_wide_label_column():
    svg = str(bars([("Kecamatan Sambungmacan Utara Jauh", 3.0, False)]))
    assert f'x="{LABEL_WIDTH - 6}"' in svg


def test_values_have_one_decimal_like_the_pages_percentages():
    svg = str(bars([("Des 2026", 77.7778, False), ("Nov 2026", 100.0, False)], unit="%"))
    assert ">77,8%<" in svg and ">100%<" in svg
