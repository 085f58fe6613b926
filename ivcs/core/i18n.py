"""Language helpers: supported languages and country names in the user's language (pycountry)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.conf import settings
from django.utils import translation

# Django language code -> pycountry locale directory
_PYCOUNTRY_LOCALE = {"es": "es", "pt-br": "pt_BR", "en": "en"}


def supported_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def normalise_language(value: str | None) -> str | None:
    """Map user input such as 'pt', 'pt-BR', 'pt_br', 'ES' to a supported code, or None."""
    if not value:
        return None
    candidate = value.strip().lower().replace("_", "-")
    try:
        return translation.get_supported_language_variant(candidate)
    except LookupError:
        return None


@cache
def _country_translations(language: str) -> gettext.NullTranslations:
    locale = _PYCOUNTRY_LOCALE.get(language, "en")
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def place_name(code: str) -> str:
    """A country's name in the active language, or the European Union's for "EU" (a market of its own)."""
    return translation.gettext("European Union") if code == "EU" else country_name(code)


def country_name(code: str, language: str | None = None) -> str:
    """The country's common name in `language` (default: the active language)."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    lang = normalise_language(language or translation.get_language()) or "en"
    translations = _country_translations(lang)
    translated = translations.gettext(english)
    if translated == english and english != country.name:
        translated = translations.gettext(country.name)
    return translated


@cache
def _countries_sorted(language: str) -> tuple[tuple[str, str], ...]:
    rows = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return tuple(sorted(rows, key=lambda row: _sort_key(row[1])))


def _sort_key(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """All ISO 3166-1 countries as (alpha-2, name) sorted by name in the language."""
    lang = normalise_language(language or translation.get_language()) or "en"
    return list(_countries_sorted(lang))


def is_country_code(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None
