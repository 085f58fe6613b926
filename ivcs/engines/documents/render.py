"""Write a Study as a real multi-page PDF or DOCX, so that demo uploads have meaningful page numbers.

PDF: page 1 is the cover (title, notice, summary, key facts); each section then starts a new page.
DOCX: the same layout with explicit page breaks, which `extract` counts as pages.
The PDF uses the core Helvetica font, which only covers Latin-1: other characters are mapped to
close Latin-1 equivalents (dashes, quotes, bullet, euro sign) before writing.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ivcs.engines.documents.study import Study

_LABELS: dict[str, dict[str, str]] = {
    "es": {
        "publisher": "Editor",
        "year": "Año",
        "hs": "Códigos SA",
        "markets": "Mercados",
        "origin": "Origen",
        "summary": "Resumen",
        "licence": "Licencia",
        "page": "Página",
    },
    "pt": {
        "publisher": "Editor",
        "year": "Ano",
        "hs": "Códigos SH",
        "markets": "Mercados",
        "origin": "Origem",
        "summary": "Resumo",
        "licence": "Licença",
        "page": "Página",
    },
    "en": {
        "publisher": "Publisher",
        "year": "Year",
        "hs": "HS codes",
        "markets": "Markets",
        "origin": "Origin",
        "summary": "Summary",
        "licence": "Licence",
        "page": "Page",
    },
}

_LATIN1 = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": " - ",
        "\u2015": " - ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2022": "\u00b7",
        "\u2026": "...",
        "\u20ac": "EUR",
        "\u2122": "(TM)",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2192": "->",
    }
)


def latin1(text: str) -> str:
    """`text` with every character representable in Latin-1 (what the core PDF fonts can show)."""
    text = unicodedata.normalize("NFC", text).translate(_LATIN1)
    out: list[str] = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def _facts(study: Study) -> list[tuple[str, str]]:
    labels = _LABELS.get(study.language, _LABELS["en"])
    return [
        (labels["publisher"], study.author or study.publisher),
        (labels["year"], str(study.year)),
        (labels["hs"], ", ".join(study.hs)),
        (labels["markets"], ", ".join(study.markets)),
        (labels["origin"], study.origin_country),
        (labels["licence"], study.licence),
    ]


def _created(study: Study) -> datetime:
    return datetime(study.year, 3, 1, 12, 0, tzinfo=UTC)


class _StudyPDF(FPDF):
    """FPDF with a page number in every page's footer (fpdf2 calls `footer` when a page closes)."""

    def __init__(self, page_label: str) -> None:
        super().__init__(format="A4")
        self.page_label = page_label

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, latin1(f"{self.page_label} {self.page_no()}"), align="C")


def write_pdf(path: Path, study: Study) -> Path:
    """Write `study` as a PDF: a cover page, then one page per section (more if a section is long)."""
    labels = _LABELS.get(study.language, _LABELS["en"])
    pdf = _StudyPDF(labels["page"])
    pdf.set_title(latin1(study.title))
    pdf.set_author(latin1(study.author or study.publisher))
    pdf.set_subject(latin1(study.summary))
    pdf.set_creation_date(_created(study))
    pdf.set_lang(study.language)
    pdf.set_auto_page_break(auto=True, margin=20)

    def line(text: str, size: float, style: str = "", height: float = 6.0, gap: float = 2.0) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, height, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    pdf.add_page()
    line(study.title, 18, "B", height=9, gap=4)
    if study.notice:
        line(study.notice, 10, "I", gap=4)
    line(labels["summary"], 12, "B")
    line(study.summary, 11, gap=4)
    for label, value in _facts(study):
        line(f"{label}: {value}", 10, gap=0.5)
    for section in study.sections:
        pdf.add_page()
        line(section.heading, 14, "B", height=8, gap=3)
        for paragraph in section.text.split("\n\n"):
            line(paragraph.strip(), 11, gap=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write_docx(path: Path, study: Study) -> Path:
    """Write `study` as a DOCX: a cover with a key-facts table, then a page break before each section."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    props = document.core_properties
    props.title = study.title
    props.author = study.author or study.publisher
    props.created = _created(study).replace(tzinfo=None)
    props.language = study.language
    props.subject = study.summary[:250]
    props.keywords = ", ".join((*study.sectors, *study.hs))
    document.add_heading(study.title, level=0)
    if study.notice:
        document.add_paragraph().add_run(study.notice).italic = True
    labels = _LABELS.get(study.language, _LABELS["en"])
    document.add_heading(labels["summary"], level=2)
    document.add_paragraph(study.summary)
    facts = _facts(study)
    table = document.add_table(rows=len(facts), cols=2)
    for row, (label, value) in zip(table.rows, facts, strict=True):
        row.cells[0].text = label
        row.cells[1].text = value
    for section in study.sections:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(section.heading, level=1)
        for paragraph in section.text.split("\n\n"):
            document.add_paragraph(paragraph.strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
