from decimal import Decimal

from django import template

from satupintu.cases.templatetags.cases_tags import rupiah

from ..models import Unit

register = template.Library()


def number(value) -> str:
    """Indonesian digits: 1.250 and 12,5 (thousands with a dot, decimals with a comma)."""
    value = Decimal(value)
    whole = f"{abs(value).quantize(Decimal('0.01')):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    whole = whole.rstrip("0").rstrip(",")
    return ("-" if value < 0 else "") + whole


@register.filter
def figure(value, unit=Unit.RUPIAH):
    """`Rp 12.000.000` for rupiah, `1.250 kg` for units; "—" when there is no figure."""
    if value in (None, ""):
        return "—"
    if unit == Unit.RUPIAH:
        return rupiah(value) if value >= 0 else "-" + rupiah(-value)
    return f"{number(value)} {Unit(unit).label}"


@register.filter
def percent(value):
    return "—" if value is None else f"{number(Decimal(value) * 100)} %"


@register.filter
def ratio(value, whole):
    """value / whole as a share (None when the whole is empty)."""
    if value is None or not whole:
        return None
    return Decimal(value) / Decimal(whole)


@register.filter
def cellvalue(value):
    """A report cell: numbers in Indonesian digits, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return number(value)
    return value
