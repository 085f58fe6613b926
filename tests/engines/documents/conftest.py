"""Shared builders: a small study rendered as real PDF/DOCX files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivcs.engines.documents import Section, Study, write_docx, write_pdf

PHRASES = ("alpha", "bravo", "charlie", "delta")


def make_study(language: str = "en") -> Study:
    """A study whose section N (0-based) contains 'marker <PHRASES[N]>' and so lands on page N + 2."""
    sections = tuple(
        Section(
            heading=f"Section {word}",
            text=f"The market for coffee is described here, marker {word}, with buyers and their requirements. " * 8,
        )
        for word in PHRASES
    )
    return Study(
        slug="test-study",
        title="Test study — “coffee” for Japan €",
        language=language,
        year=2024,
        type="market_study",
        sectors=("food_beverage",),
        hs=("0901",),
        markets=("JP",),
        origin_country="CR",
        publisher="agencia-demo",
        format="pdf",
        licence="CC BY 4.0 (demo)",
        summary="A short summary of the study for the cover page.",
        sections=sections,
        notice="Fictional demonstration study.",
        author="Demo Agency",
    )


@pytest.fixture
def study() -> Study:
    return make_study()


@pytest.fixture
def pdf_path(tmp_path: Path, study: Study) -> Path:
    return write_pdf(tmp_path / "study.pdf", study)


@pytest.fixture
def docx_path(tmp_path: Path, study: Study) -> Path:
    return write_docx(tmp_path / "study.docx", study)
