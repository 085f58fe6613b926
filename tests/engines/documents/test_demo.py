"""The demo library: the YAML is complete and consistent, its files render and read back in their language."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ivcs.engines.documents import (
    DEMO_STUDIES,
    Study,
    detect_document_language,
    extract,
    load_demo_studies,
    sniff_file,
    write_demo_files,
)

SECTORS = {"food_beverage", "ict", "textiles", "clothing_fashion"}
LANGUAGES = {"es", "pt", "en"}
TYPES = {"market_study", "sector_study", "product_profile", "guide", "report"}
ORIGINS = {"CL", "CO", "MX", "PE", "CR", "BR"}
PUBLISHERS = {"es": {"agencia-demo"}, "pt": {"procomex-demo"}, "en": {"agencia-demo", "procomex-demo"}}


@pytest.fixture(scope="module")
def studies() -> list[Study]:
    return load_demo_studies(DEMO_STUDIES)


@pytest.fixture(scope="module")
def files(studies: list[Study], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_demo_files(studies, tmp_path_factory.mktemp("demo"))


def test_yaml_says_it_is_fictional() -> None:
    raw = yaml.safe_load(DEMO_STUDIES.read_text(encoding="utf-8"))
    assert "fictional" in raw["note"].casefold()
    assert set(raw["notices"]) == LANGUAGES


def test_every_sector_in_every_language_once(studies: list[Study]) -> None:
    assert len(studies) == 12
    pairs = Counter((study.sectors[0], study.language) for study in studies)
    assert set(pairs) == {(sector, language) for sector in SECTORS for language in LANGUAGES}
    assert set(pairs.values()) == {1}
    assert len({study.slug for study in studies}) == 12


def test_fields(studies: list[Study]) -> None:
    for study in studies:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", study.slug), study.slug
        assert study.title and study.summary and study.licence
        assert 2021 <= study.year <= 2026
        assert study.type in TYPES
        assert set(study.sectors) <= SECTORS
        assert study.hs and all(re.fullmatch(r"\d{4}|\d{6}", code) for code in study.hs), study.hs
        assert study.markets and all(re.fullmatch(r"[A-Z]{2}", market) for market in study.markets)
        assert study.origin_country in ORIGINS
        assert study.publisher in PUBLISHERS[study.language]
        assert study.format in ("pdf", "docx")
        assert study.notice and study.author
        assert 4 <= len(study.sections) <= 6
        for section in study.sections:
            assert section.heading
            assert 120 <= len(section.text.split()) <= 250, (study.slug, section.heading)
    assert sum(study.format == "pdf" for study in studies) == 8


def test_declared_language_is_detected(studies: list[Study]) -> None:
    for study in studies:
        text = "\n".join(section.text for section in study.sections)
        assert detect_document_language(text) == study.language, study.slug


def test_files_read_back(studies: list[Study], files: list[Path]) -> None:
    for study, path in zip(studies, files, strict=True):
        assert path.suffix == f".{study.format}"
        result = extract(path, sniff_file(path))
        assert result.status == "ok", (path.name, result.message)
        assert result.language == study.language, path.name
        assert result.page_count == 1 + len(study.sections)
        assert result.year == study.year
        assert study.notice.split(":")[0] in result.pages[0].text
        for number, section in enumerate(study.sections, start=2):
            opening = " ".join(section.text.split()[:8])
            pages = [page.number for page in result.pages if opening in " ".join(page.text.split())]
            assert pages == [number], (path.name, section.heading)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Café",
        "The market",  # too few words to tell
        "El mercado de café y the market for coffee and the buyers y los compradores en la región del norte",
        "Der Markt für Kaffee wächst in Deutschland und die Käufer verlangen Qualität und Nachhaltigkeit.",
    ],
)
def test_detection_says_none_when_unclear(text: str) -> None:
    assert detect_document_language(text) is None
