"""Server-side SVG bar charts (no JavaScript, no CDN). Text is escaped; the result is safe markup."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW = 22
LABEL_CHARS = 30  # a longer label is cut: the chart stays narrow enough for a phone
LABEL_WIDTH = 190
BAR_WIDTH = 330
CHAR_WIDTH = 8  # a generous average width of a 12 px character


def bars(
    items, *, unit: str = "", title: str = "", reference: float | None = None, bar_width: int = BAR_WIDTH
) -> SafeString:
    """items: (label, value or None, highlighted). A horizontal bar per item; `reference` (e.g. the
    median) is drawn as a dashed line. The label column is as wide as the longest label needs (at
    most LABEL_WIDTH); the chart is drawn at its own size and shrinks, never grows, to fit its box,
    so its 12 px text stays 12 px wherever there is room for it."""
    items = list(items)
    values = [value for _label, value, _hot in items if value is not None]
    top = max([*values, reference or 0, 0]) or 1
    names = [str(label)[:LABEL_CHARS] for label, _value, _hot in items]
    label_width = min(LABEL_WIDTH, 12 + CHAR_WIDTH * max(map(len, names), default=0))
    height = ROW * len(items) + 10
    width = label_width + bar_width + 70
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, ((_label, value, hot), name) in enumerate(zip(items, names, strict=True)):
        y = 5 + index * ROW
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(name)}</text>')
        if value is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + 15}" font-size="12" fill="#667">–</text>')
            continue
        length = max(1.0, bar_width * value / top)
        colour = "#c0392b" if hot else "#2e6b9e"
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" fill="{colour}"/>')
        # One decimal, as the pages' own percentages; Indonesian decimal comma.
        text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + unit
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>')
    if reference is not None:
        x = label_width + bar_width * reference / top
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#333" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
