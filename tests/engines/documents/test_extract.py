"""Extraction: real files from render.py, broken and hostile files, limits, and never an exception."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ivcs.engines.documents import STATUSES, DocumentError, Limits, extract, normalise, sniff_file

from .conftest import PHRASES


def _pages_with(extraction_pages: list[tuple[int, str]], phrase: str) -> list[int]:
    return [number for number, text in extraction_pages if phrase in " ".join(text.split())]


@pytest.mark.parametrize("fixture", ["pdf_path", "docx_path"])
def test_page_numbers_of_known_phrases(fixture: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    result = extract(path, sniff_file(path))
    assert result.status == "ok", result.message
    assert result.page_count == 1 + len(PHRASES)
    pages = [(page.number, page.text) for page in result.pages]
    assert _pages_with(pages, "Fictional demonstration study.") == [1]
    for index, word in enumerate(PHRASES):
        assert _pages_with(pages, f"marker {word}") == [index + 2]
    assert result.char_count == sum(len(page.text) for page in result.pages)
    assert result.language == "en"
    assert result.author == "Demo Agency"
    assert result.year == 2024


def test_pdf_title_is_latin1_safe(pdf_path: Path) -> None:
    result = extract(pdf_path, "pdf")
    assert result.title == 'Test study - "coffee" for Japan EUR'


def test_docx_title_keeps_unicode(docx_path: Path) -> None:
    assert extract(docx_path, "docx").title == "Test study — “coffee” for Japan €"


def test_docx_table_text_is_extracted(docx_path: Path) -> None:
    first = extract(docx_path, "docx").pages[0].text
    assert "HS codes | 0901" in first


def test_progress_is_reported_per_page(pdf_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    extract(pdf_path, "pdf", on_progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 5) for n in range(1, 6)]


def test_progress_callback_errors_propagate(pdf_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        raise RuntimeError("cancelled by the job")

    with pytest.raises(RuntimeError, match="cancelled"):
        extract(pdf_path, "pdf", on_progress=cancel)


def _encrypted(pdf_path: Path, target: Path, password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(pdf_path))
    writer.encrypt(password)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_encrypted_pdf(tmp_path: Path, pdf_path: Path) -> None:
    locked = _encrypted(pdf_path, tmp_path / "locked.pdf", "secret")
    result = extract(locked, sniff_file(locked))
    assert (result.status, result.code) == ("encrypted", "encrypted")
    assert result.pages == []
    assert "password" in result.message


def test_pdf_encrypted_with_empty_password_is_read(tmp_path: Path, pdf_path: Path) -> None:
    opened = _encrypted(pdf_path, tmp_path / "open.pdf", "")
    result = extract(opened, "pdf")
    assert result.status == "ok"
    assert _pages_with([(p.number, p.text) for p in result.pages], "marker charlie") == [4]


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_pdf_is_corrupt(tmp_path: Path, pdf_path: Path, cut: float) -> None:
    data = pdf_path.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: int(len(data) * cut)])
    result = extract(broken, "pdf")
    assert (result.status, result.code) == ("corrupt", "corrupt")
    assert "could not be read" in result.message
    assert result.pages == []


def test_garbled_pdf_is_corrupt(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.pdf"
    garbled.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert extract(garbled, "pdf").status == "corrupt"


def test_pdf_with_only_an_image_has_no_text(tmp_path: Path) -> None:
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("RGB", (200, 280), (180, 180, 180)), x=10, y=10, w=180)
    scanned = tmp_path / "scanned.pdf"
    pdf.output(str(scanned))
    result = extract(scanned, "pdf")
    assert (result.status, result.code, result.page_count) == ("no_text", "no_text", 2)
    assert "OCR" in result.message


def test_page_limit_truncates(pdf_path: Path) -> None:
    result = extract(pdf_path, "pdf", Limits(max_pages=2))
    assert (result.status, result.code) == ("truncated", "too_many_pages")
    assert [page.number for page in result.pages] == [1, 2]
    assert result.page_count == 5
    assert "first 2 pages" in result.message


def test_docx_page_limit_truncates(docx_path: Path) -> None:
    result = extract(docx_path, "docx", Limits(max_pages=3))
    assert result.status == "truncated"
    assert max(page.number for page in result.pages) == 3


def test_char_limit_truncates(pdf_path: Path) -> None:
    result = extract(pdf_path, "pdf", Limits(max_chars=700))
    assert (result.status, result.code) == ("truncated", "too_many_chars")
    assert result.char_count == 700
    assert sum(len(page.text) for page in result.pages) == 700


def test_per_page_limit_truncates(pdf_path: Path) -> None:
    result = extract(pdf_path, "pdf", Limits(max_chars_per_page=100))
    assert (result.status, result.code) == ("truncated", "page_too_long")
    assert all(len(page.text) <= 100 for page in result.pages)


def test_file_over_max_bytes_is_refused(pdf_path: Path) -> None:
    result = extract(pdf_path, "pdf", Limits(max_bytes=1000))
    assert (result.status, result.code) == ("corrupt", "too_large")


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def test_zip_bomb_docx_is_refused_without_inflating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _bomb(tmp_path / "bomb.docx", 64 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    assert sniff_file(bomb) == "docx"

    def no_inflating(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was inflated")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", no_inflating)
    result = extract(bomb, "docx")
    # An inflation attempt would surface as ("corrupt", "corrupt", ...AssertionError...), not as zip_bomb.
    assert (result.status, result.code) == ("corrupt", "zip_bomb")


def test_docx_unpacking_beyond_the_limit_is_refused(docx_path: Path) -> None:
    result = extract(docx_path, "docx", Limits(max_docx_uncompressed=10_000))
    assert (result.status, result.code) == ("corrupt", "too_large")


def test_docx_with_broken_xml_is_corrupt(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")
    result = extract(broken, sniff_file(broken))
    assert result.status == "corrupt"


def test_docx_rendered_page_breaks_are_the_pages(tmp_path: Path) -> None:
    """When Word recorded its layout (w:lastRenderedPageBreak), those breaks are the pages, not w:br."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("first page text")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # explicit break, also rendered below
    second = document.add_paragraph()
    second.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
    second.add_run("second page text")
    third = document.add_paragraph()
    run = third.add_run("still second ")
    run._r.append(OxmlElement("w:lastRenderedPageBreak"))  # a soft page break, inside the paragraph
    third.add_run("third page text")
    path = tmp_path / "rendered.docx"
    document.save(str(path))
    result = extract(path, "docx")
    assert result.page_count == 3
    assert [(page.number, page.text) for page in result.pages] == [
        (1, "first page text"),
        (2, "second page text\nstill second"),
        (3, "third page text"),
    ]


def test_html_without_scripts_styles_and_navigation(tmp_path: Path) -> None:
    page = tmp_path / "study.html"
    page.write_text(
        """<!doctype html><html lang="pt-BR"><head><title> Açaí  para os EUA </title>
        <style>body { color: red }</style><script>var secret = "do not index";</script></head>
        <body><nav><a href="/">Início</a></nav><noscript>enable js</noscript>
        <h1>Açaí</h1><p>O mercado de açaí
        cresce nos <b>Estados</b> Unidos.</p><ul><li>FDA</li><li>BRCGS</li></ul>
        <!-- a comment --><p>Linha<br>quebrada</p></body></html>""",
        encoding="utf-8",
    )
    result = extract(page, sniff_file(page))
    assert result.status == "ok"
    assert result.title == "Açaí para os EUA"
    assert result.pages[0].number == 1
    assert result.pages[0].text == "Açaí\nO mercado de açaí cresce nos Estados Unidos.\nFDA\nBRCGS\nLinha\nquebrada"
    assert result.language == "pt"  # too short to detect: the <html lang> hint decides


def test_html_over_its_limit_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text("<html><body>" + "<p>x</p>" * 1000 + "</body></html>")
    assert extract(page, "html", Limits(max_html_bytes=1000)).code == "too_large"


def test_text_in_latin1(tmp_path: Path) -> None:
    note = tmp_path / "nota.txt"
    note.write_bytes("Exportación de café a Japón: año 2024.\n".encode("latin-1"))
    result = extract(note, sniff_file(note))
    assert result.pages[0].text == "Exportación de café a Japón: año 2024."


def test_text_pages_on_form_feeds_and_hyphenation(tmp_path: Path) -> None:
    note = tmp_path / "nota.txt"
    note.write_text("La expor-\ntación crece.\fSegunda\u00a0página\r\n\r\n\r\n\r\nfin\f\f", encoding="utf-8-sig")
    result = extract(note, "text")
    assert [(page.number, page.text) for page in result.pages] == [
        (1, "La exportación crece."),
        (2, "Segunda página\n\nfin"),
    ]
    assert result.page_count == 4


def test_normalise_keeps_real_hyphens_and_capitals() -> None:
    assert normalise("Mercosur-\nUE and well-known  \t words") == "Mercosur-\nUE and well-known words"
    assert normalise("acuerdo Mercosur-\nÚnico, expor-\n  tación") == "acuerdo Mercosur-\nÚnico, exportación"


def test_unknown_kind_is_reported_not_raised(pdf_path: Path) -> None:
    result = extract(pdf_path, "pptx")
    assert (result.status, result.code) == ("corrupt", "unsupported_type")


def test_empty_text_has_no_text(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n")
    assert extract(blank, "text").status == "no_text"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_extract_of_arbitrary_bytes_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    try:
        kind = sniff_file(path)
    except DocumentError:
        kind = "text"  # extract must survive being told the wrong kind too
    for candidate in {kind, "text", "html"}:
        result = extract(path, candidate)
        assert result.status in STATUSES
        assert all(page.number >= 1 and page.text for page in result.pages)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=2048))
def test_any_bytes_as_pdf_or_docx_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "upload.bin"
    for prefix in (b"%PDF-1.4\n", b"PK\x03\x04"):
        path.write_bytes(prefix + data)
        assert extract(path, "pdf" if prefix.startswith(b"%") else "docx").status in STATUSES
