"""Fixtures of the library tests: a TPO with owner/editor/viewer, a second TPO, real PDF/DOCX/HTML/text
studies written in the test and imported (extracted at once, published), files kept under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ivcs.engines.documents import Section, Study, write_docx, write_pdf

PAGE3_PHRASE = "The tea ceremony districts of Kyoto pay the highest prices for shade-grown beans"


def study(slug: str, title: str, language: str, sections: list[tuple[str, str]], **fields: Any) -> Study:
    values: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "language": language,
        "year": 2023,
        "type": "market_study",
        "sectors": ("food_beverage",),
        "hs": ("0901",),
        "markets": ("JP",),
        "origin_country": "CO",
        "publisher": "Promo Test",
        "format": "pdf",
        "licence": "CC BY 4.0",
        "summary": title,
        "sections": tuple(Section(h, t) for h, t in sections),
    }
    values.update(fields)
    return Study(**values)


COFFEE_EN = study(
    "coffee-japan",
    "Specialty coffee in Japan",
    "en",
    [
        (
            "Market overview",
            "Japan imports green coffee from Colombia, Brazil and Ethiopia. Specialty roasters in Tokyo "
            "buy small lots of washed arabica and pay premiums for traceable farms.",
        ),
        ("Prices", PAGE3_PHRASE + ". Roasters there look for consistent cup scores above eighty-five points."),
        ("Logistics", "Containers reach Yokohama in about thirty days from Buenaventura."),
    ],
)
COTTON_PT = study(
    "algodao-alemanha",
    "Algodão orgânico na Alemanha",
    "pt",
    [
        (
            "Visão geral",
            "A Alemanha compra algodão orgânico certificado para confecções sustentáveis. Os compradores "
            "exigem certificação GOTS e rastreabilidade das fibras.",
        ),
        ("Preços", "Os preços do algodão orgânico são mais altos que os do algodão convencional."),
    ],
    year=2021,
    sectors=("textiles",),
    hs=("5201",),
    markets=("DE",),
    origin_country="BR",
    type="sector_study",
)


@dataclass
class Tpo:
    org: Any
    owner: Any
    editor: Any
    viewer: Any
    docs: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def library_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Files of each test under its own tmp_path; the in-memory search index forgotten around the test."""
    from ivcs.library import selectors

    folder = tmp_path / "library-files"
    settings.IVCS_LIBRARY_DIR = folder
    settings.IVCS_SEARCH_RATE = "10000/m"
    selectors._cached.update(stamp=None, index=None)
    yield folder
    selectors._cached.update(stamp=None, index=None)


@pytest.fixture
def tpo(make_org: Any, make_user: Any, default_tenant: Any) -> Tpo:
    owner, editor, viewer = make_user(), make_user(), make_user()
    org = make_org(
        owner=owner,
        members={"editor": editor, "viewer": viewer},
        kind="tpo",
        slug="promo-test",
        name="Promo Test",
        country="CO",
    )
    return Tpo(org, owner, editor, viewer)


@pytest.fixture
def other_tpo(make_org: Any, make_user: Any, default_tenant: Any) -> Tpo:
    owner, editor, viewer = make_user(), make_user(), make_user()
    org = make_org(
        owner=owner, members={"editor": editor, "viewer": viewer}, kind="tpo", slug="otra-promo", name="Otra Promo"
    )
    return Tpo(org, owner, editor, viewer)


def import_study(path: Path, publisher: Any, metadata: dict[str, Any], *, publish: bool = True) -> Any:
    from ivcs.library import services
    from ivcs.library.models import Document

    report = services.import_file(path, publisher, metadata, publish=publish)
    assert report.ok, report.message
    return Document.objects.get(pk=report.document_id)


def meta_of(s: Study) -> dict[str, Any]:
    return {
        "title": s.title,
        "language": s.language,
        "year": s.year,
        "doc_type": s.type,
        "sectors": list(s.sectors),
        "hs_codes": list(s.hs),
        "markets": list(s.markets),
        "origin_country": s.origin_country,
        "licence": s.licence,
        "summary": s.summary,
    }


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    return folder


@pytest.fixture
def studies(tpo: Tpo, files: Path) -> Tpo:
    """Published: an English PDF (coffee, Japan), a Portuguese DOCX (cotton, Germany), a Spanish HTML
    (software, United States) and a Spanish text file with markup in it; a draft and a withdrawn study."""
    from ivcs.library.models import Document

    tpo.docs["coffee"] = import_study(write_pdf(files / "coffee.pdf", COFFEE_EN), tpo.org, meta_of(COFFEE_EN))
    tpo.docs["cotton"] = import_study(write_docx(files / "cotton.docx", COTTON_PT), tpo.org, meta_of(COTTON_PT))
    html = files / "software.html"
    html.write_text(
        "<!doctype html><html lang=es><head><title>Servicios de software</title></head><body>"
        "<h1>Servicios de software para Estados Unidos</h1>"
        "<p>Las empresas de software de Costa Rica venden servicios de desarrollo a clientes en Estados Unidos. "
        "La cercanía horaria y el inglés técnico son sus ventajas.</p></body></html>",
        encoding="utf-8",
    )
    tpo.docs["software"] = import_study(
        html,
        tpo.org,
        {"title": "Servicios de software en Estados Unidos", "language": "es", "year": 2024, "doc_type": "report",
         "sectors": ["ict"], "hs_codes": [], "markets": ["US"]},
    )
    text = files / "markup.txt"
    text.write_text(
        "Guía de etiquetado para exportadores de cacao.\n\n"
        "Nunca copie <script>alert(1)</script> en la etiqueta del cacao; use texto plano.\n",
        encoding="utf-8",
    )
    tpo.docs["markup"] = import_study(
        text, tpo.org, {"title": "Guía de etiquetado", "language": "es", "year": 2022, "doc_type": "guide",
                        "sectors": ["food_beverage"], "hs_codes": ["1801"], "markets": ["EU"]}
    )
    draft_file = files / "draft.txt"
    draft_file.write_text("Borrador secreto sobre vainilla de Madagascar para Francia.\n", encoding="utf-8")
    tpo.docs["draft"] = import_study(draft_file, tpo.org, {"title": "Borrador vainilla", "language": "es"},
                                     publish=False)
    gone = files / "gone.txt"
    gone.write_text("Estudio retirado sobre vainilla de Madagascar para Francia.\n", encoding="utf-8")
    tpo.docs["withdrawn"] = import_study(gone, tpo.org, {"title": "Retirado vainilla", "language": "es"})
    Document.objects.filter(pk=tpo.docs["withdrawn"].pk).update(status=Document.Status.WITHDRAWN)
    from ivcs.library.services import drop_stamp

    drop_stamp()
    for doc in tpo.docs.values():
        doc.refresh_from_db()
    assert tpo.docs["coffee"].extraction == "done" and tpo.docs["coffee"].status == "published"
    assert tpo.docs["draft"].status == "draft"
    return tpo
