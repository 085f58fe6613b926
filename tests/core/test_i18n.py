"""Languages: choosing one per request, country names, and complete es/pt/en catalogues."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import pytest
from django.test import Client
from django.utils import translation

from ivcs.core.i18n import country_choices, country_name, normalise_language
from tests.conftest import need_real_part

LOCALE = Path(__file__).resolve().parents[2] / "ivcs" / "locale"
CATALOGUES = {
    "es": LOCALE / "es/LC_MESSAGES/django.po",
    "pt-br": LOCALE / "pt_BR/LC_MESSAGES/django.po",
    "en": LOCALE / "en/LC_MESSAGES/django.po",
}
HEADLINE = "Supply the large buyers of global value chains"


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        ("BR", "es", "Brasil"),
        ("DE", "pt-br", "Alemanha"),
        ("MX", "en", "Mexico"),
        ("PE", "es", "Perú"),
        ("US", "pt", "Estados Unidos"),
    ],
)
def test_country_names_come_translated_from_pycountry(code: str, language: str, expected: str) -> None:
    assert country_name(code, language) == expected


def test_country_choices_are_sorted_by_name_in_the_language() -> None:
    names = [name for _code, name in country_choices("es")]
    assert len(names) == 249
    assert names.index("Alemania") < names.index("Chile") < names.index("Perú")


@pytest.mark.parametrize(
    ("given", "expected"),
    [("pt", "pt-br"), ("PT_br", "pt-br"), ("pt-PT", "pt-br"), ("es-CL", "es"), ("EN", "en"), ("fr", None), ("", None)],
)
def test_language_codes_are_normalised(given: str, expected: str | None) -> None:
    assert normalise_language(given) == expected


def _headline(language: str) -> str:
    with translation.override(language):
        return translation.gettext(HEADLINE)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "html_lang"), [("es", "es"), ("pt", "pt-br"), ("en", "en")])
def test_home_page_speaks_each_language(client: Client, query: str, html_lang: str) -> None:
    response = client.get(f"/?lang={query}")
    html = response.content.decode()
    assert f'<html lang="{html_lang}">' in html
    assert _headline(html_lang) in html
    assert response.headers["Content-Language"] == html_lang
    assert response.cookies["ivcs_lang"].value == html_lang


def test_spanish_and_portuguese_differ_from_english() -> None:
    assert _headline("es") != HEADLINE and _headline("pt-br") != HEADLINE and _headline("es") != _headline("pt-br")


@pytest.mark.django_db
def test_language_precedence(client: Client, other_tenant: Any) -> None:
    assert 'lang="pt-br"' in client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9").content.decode()
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR, en;q=0.5").content.decode()
    assert 'lang="es"' in client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode(), "site default"
    # A partner site's default language applies when the browser asks for nothing we have.
    assert 'lang="pt-br"' in client.get("/", HTTP_HOST="otro.example.org", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    client.cookies["ivcs_lang"] = "en"
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode(), "cookie beats browser"
    assert 'lang="es"' in client.get("/?lang=es", HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode(), "?lang beats all"


@pytest.mark.django_db
def test_api_follows_lang_and_accept_language_without_setting_cookies(client: Client) -> None:
    response = client.get("/api/v1/countries?lang=pt")
    names = {row["code"]: row["name"] for row in response.json()}
    assert names["DE"] == "Alemanha" and "ivcs_lang" not in response.cookies
    names = {row["code"]: row["name"] for row in client.get("/api/v1/countries", HTTP_ACCEPT_LANGUAGE="es").json()}
    assert names["DE"] == "Alemania"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_catalogue_is_complete_and_compiled(language: str) -> None:
    po = polib.pofile(str(CATALOGUES[language]))
    assert po.untranslated_entries() == [], f"untranslated in {language}"
    assert [e.msgid for e in po.fuzzy_entries()] == [], f"fuzzy in {language}"
    mo = polib.mofile(str(CATALOGUES[language].with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po.translated_entries()} == {k: v for k, v in compiled.items() if k}, (
        "the .mo is stale: run `make messages` (or scripts/compile_messages.py)"
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}")


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_translations_keep_every_placeholder(language: str) -> None:
    for entry in polib.pofile(str(CATALOGUES[language])):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translated in translations:
            assert sorted(PLACEHOLDER.findall(translated)) == expected, entry.msgid


@pytest.mark.gettext
def test_catalogues_cover_every_string_in_the_source(tmp_path: Path) -> None:
    """Re-extract strings (Django's makemessages, GNU xgettext) from a copy and compare msgids."""
    need_real_part(
        shutil.which("xgettext") is not None,
        "GNU gettext (xgettext)",
        "install it (Debian: apt-get install gettext) to check catalogue coverage",
    )
    source = Path(__file__).resolve().parents[2] / "ivcs"
    copy = tmp_path / "ivcs"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "IVCS_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "ivcs.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "ivcs", "makemessages", "--no-location", "-l", "es"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/es/LC_MESSAGES/django.po")) if not e.obsolete}
    for language, path in CATALOGUES.items():
        committed = {e.msgid for e in polib.pofile(str(path))}
        assert extracted - committed == set(), f"strings missing from the {language} catalogue: run make messages"
        assert committed - extracted == set(), f"stale strings in the {language} catalogue: run make messages"
