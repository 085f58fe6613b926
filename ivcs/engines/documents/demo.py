"""The demo library: fictional studies in YAML, loaded as `Study` values and written as real PDF/DOCX files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ivcs.engines.documents.render import write_docx, write_pdf
from ivcs.engines.documents.study import Section, Study

DEMO_STUDIES = Path(__file__).resolve().parents[3] / "data" / "demo" / "library" / "studies.yaml"
_REQUIRED = (
    "slug",
    "title",
    "language",
    "year",
    "type",
    "sectors",
    "hs",
    "markets",
    "origin_country",
    "publisher",
    "format",
    "licence",
    "summary",
    "sections",
)


def load_demo_studies(path: Path = DEMO_STUDIES) -> list[Study]:
    """The studies of the YAML file; each gets the notice of its language from the file's `notices`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        raise ValueError(f"{path}: expected a mapping with a 'studies' list")
    notices: dict[str, str] = data.get("notices") or {}
    publishers: dict[str, str] = data.get("publishers") or {}
    return [_study(entry, notices, publishers, path) for entry in data["studies"]]


def _study(entry: Any, notices: dict[str, str], publishers: dict[str, str], path: Path) -> Study:
    if not isinstance(entry, dict):
        raise ValueError(f"{path}: every study must be a mapping")
    missing = [name for name in _REQUIRED if name not in entry]
    if missing:
        raise ValueError(f"{path}: study {entry.get('slug', '?')!r} lacks {', '.join(missing)}")
    language = str(entry["language"])
    return Study(
        slug=str(entry["slug"]),
        title=str(entry["title"]),
        language=language,
        year=int(entry["year"]),
        type=str(entry["type"]),
        sectors=tuple(str(value) for value in entry["sectors"]),
        hs=tuple(str(value) for value in entry["hs"]),
        markets=tuple(str(value) for value in entry["markets"]),
        origin_country=str(entry["origin_country"]),
        publisher=str(entry["publisher"]),
        format=str(entry["format"]),
        licence=str(entry["licence"]),
        summary=" ".join(str(entry["summary"]).split()),
        sections=tuple(
            Section(heading=str(section["heading"]), text=str(section["text"]).strip()) for section in entry["sections"]
        ),
        notice=str(notices.get(language, "")),
        author=str(publishers.get(str(entry["publisher"]), "")),
    )


def write_demo_files(studies: list[Study], out_dir: Path) -> list[Path]:
    """Write each study as `<slug>.<format>` in `out_dir`; returns the paths in the studies' order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for study in studies:
        if study.format == "pdf":
            paths.append(write_pdf(out_dir / f"{study.slug}.pdf", study))
        elif study.format == "docx":
            paths.append(write_docx(out_dir / f"{study.slug}.docx", study))
        else:
            raise ValueError(f"study {study.slug!r}: unknown format {study.format!r}")
    return paths
