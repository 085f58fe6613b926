from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def amount(value: object) -> str:
    """{{ "130000000"|amount }}: a money amount (decimal string) with the language's grouping,
    "130.000.000" in Spanish, "130,000,000" in English; cents only when there are some."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=places, force_grouping=True)
