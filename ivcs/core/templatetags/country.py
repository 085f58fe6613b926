from django import template

from ivcs.core.i18n import country_name as _country_name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """{{ organisation.country|country_name }}: the country's name in the active language."""
    return _country_name(code) if code else ""
