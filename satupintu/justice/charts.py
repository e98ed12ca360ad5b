"""Server-side SVG bar charts (no JavaScript, no CDN). Text is escaped; the result is safe markup."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW = 22
LABEL_WIDTH = 190
BAR_WIDTH = 330


def bars(items, *, unit: str = "", title: str = "", reference: float | None = None) -> SafeString:
    """items: (label, value or None, highlighted). A horizontal bar per item; `reference` (e.g. the
    median) is drawn as a dashed line."""
    items = list(items)
    values = [value for _label, value, _hot in items if value is not None]
    top = max([*values, reference or 0, 0]) or 1
    height = ROW * len(items) + 10
    width = LABEL_WIDTH + BAR_WIDTH + 70
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, value, hot) in enumerate(items):
        y = 5 + index * ROW
        name = escape(str(label)[:30])
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">{name}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + 15}" font-size="12" fill="#667">–</text>')
            continue
        length = max(1.0, BAR_WIDTH * value / top)
        colour = "#c0392b" if hot else "#2e6b9e"
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}" fill="{colour}"/>')
        text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + unit  # Indonesian decimal comma
        parts.append(f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>')
    if reference is not None:
        x = LABEL_WIDTH + BAR_WIDTH * reference / top
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#333" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
