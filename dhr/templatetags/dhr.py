"""Template filters of the review pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """'£12,500.00'; an empty cell for no amount."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.2f}"
