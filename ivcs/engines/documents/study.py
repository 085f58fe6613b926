"""A study to publish: the data the demo loads from YAML and the renderers turn into PDF or DOCX."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One section of a study; the renderers put each on its own page."""

    heading: str
    text: str


@dataclass(frozen=True)
class Study:
    """A trade-intelligence study with its catalogue fields (the library indexes these)."""

    slug: str
    title: str
    language: str
    year: int
    type: str
    sectors: tuple[str, ...]
    hs: tuple[str, ...]
    markets: tuple[str, ...]
    origin_country: str
    publisher: str
    format: str
    licence: str
    summary: str
    sections: tuple[Section, ...]
    notice: str = ""
    author: str = ""
