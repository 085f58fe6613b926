"""Sniffing decides by content: extensions lie, and refusals say what the file really is."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivcs.engines.documents import KINDS, Corrupt, DocumentError, EmptyFile, UnsupportedType, sniff, sniff_file

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_pdf_renamed_txt_is_pdf(tmp_path: Path, pdf_path: Path) -> None:
    renamed = tmp_path / "notes.txt"
    renamed.write_bytes(pdf_path.read_bytes())
    assert sniff_file(renamed) == "pdf"


def test_png_named_pdf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "study.pdf"
    fake.write_bytes(PNG)
    with pytest.raises(UnsupportedType, match="PNG image") as caught:
        sniff_file(fake)
    assert caught.value.code == "unsupported_type"


def test_old_word_doc_is_refused_with_advice() -> None:
    with pytest.raises(UnsupportedType, match=r"Word 97-2003 \.doc is not supported, save as DOCX or PDF"):
        sniff(OLE, "study.doc")


def test_zip_that_is_not_docx_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "study.docx"
    archive.write_bytes(_zip({"readme.txt": b"hello", "data.csv": b"a,b"}))
    with pytest.raises(UnsupportedType, match="ZIP archive, not a Word document"):
        sniff_file(archive)


def test_excel_workbook_is_refused() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(UnsupportedType, match="Excel"):
        sniff(data)


def test_macro_enabled_word_is_refused() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>", "word/vbaProject.bin": b"x"})
    with pytest.raises(UnsupportedType, match="docm"):
        sniff(data)


def test_docx_by_content_whatever_the_name(tmp_path: Path, docx_path: Path) -> None:
    renamed = tmp_path / "study.pdf"
    renamed.write_bytes(docx_path.read_bytes())
    assert sniff_file(renamed) == "docx"
    assert sniff(docx_path.read_bytes()) == "docx"


def test_head_of_a_zip_alone_is_not_enough(docx_path: Path) -> None:
    with pytest.raises(Corrupt):
        sniff(docx_path.read_bytes()[:200])


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html><body>x</body></html>",
        b"  \n<HTML lang='es'><p>hola</p></HTML>",
        b"<head><title>t</title></head>",
        b"<body>only a body</body>",
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>',
        codecs.BOM_UTF8 + b"<!doctype html><title>t</title>",
    ],
)
def test_html(head: bytes) -> None:
    assert sniff(head) == "html"


@pytest.mark.parametrize(
    "head",
    [
        "Exportación de café a Japón, <b> is not HTML here.\n".encode(),
        "Exportación de café\n".encode("latin-1"),
        codecs.BOM_UTF16_LE + "Açaí para os EUA\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Açaí para os EUA\n".encode("utf-16-be"),
        b"Page one\fPage two",
        "café".encode()[:-1],  # cut in the middle of a UTF-8 character: a head of a longer file
    ],
)
def test_text(head: bytes) -> None:
    assert sniff(head) == "text"


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "executable"),
        (b"\x7fELF\x02\x01\x01", "executable"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"\x00\x01\x02\x03binary\x00\x00", "binary"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
    ],
)
def test_other_content_is_refused(head: bytes, what: str) -> None:
    with pytest.raises(UnsupportedType, match=what):
        sniff(head, "upload.pdf")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        sniff_file(empty)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_give_a_kind_or_a_document_error(data: bytes) -> None:
    try:
        assert sniff(data) in KINDS
    except DocumentError as error:
        assert error.code and error.message
