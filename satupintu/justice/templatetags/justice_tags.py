from django import template

register = template.Library()


@register.filter
def pct(value):
    return "–" if value is None else f"{100 * value:.1f}%".replace(".", ",")


@register.filter
def dec(value, places=2):
    return "–" if value is None else f"{value:.{int(places)}f}".replace(".", ",")


@register.filter
def cell(value):
    """A published count: suppressed ones read "<5", or what the disclosure control shows instead."""
    from django.conf import settings

    return f"<{settings.SATUPINTU_MIN_CELL}" if value is None else str(value)


@register.filter
def pval(value):
    """A p-value with the Indonesian decimal comma; the very small ones as "< 0,001"."""
    if value is None:
        return "–"
    return "< 0,001" if value < 0.001 else f"{value:.3f}".replace(".", ",")
