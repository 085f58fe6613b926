"""Tell PDF, DOCX, HTML and plain text apart by their content (magic bytes), never by the file name.

Uploads lie about their extension, so the name is only used to word the error message.

- `sniff(head, filename)` decides from bytes. For PDF, HTML and text the first 8 KB are enough. A ZIP
  can only be recognised as DOCX from its central directory, at the END of the file, so for ZIP content
  `head` must be the whole file; a cut ZIP is refused as corrupt.
- `sniff_file(path)` reads the first 8 KB and, for ZIP content, only the archive's directory (no member
  is inflated). Prefer it whenever the upload is on disk.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile
from collections.abc import Collection
from pathlib import Path

from ivcs.engines.documents.errors import Corrupt, EmptyFile, UnsupportedType

HEAD_BYTES = 8192
KINDS = ("pdf", "docx", "html", "text")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Binary formats people upload by mistake, with the name used in the refusal.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an executable"),
    (b"\xca\xfe\xba\xbe", "an executable"),
    (b"\xcf\xfa\xed\xfe", "an executable"),
    (b"\xfe\xed\xfa\xce", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document (save it as DOCX or PDF)"),
    (b"%!PS", "a PostScript file (save it as PDF)"),
)
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def sniff(head: bytes, filename: str = "") -> str:
    """The kind ("pdf", "docx", "html" or "text") of content starting with `head`.

    Raises UnsupportedType (or EmptyFile, or Corrupt for an unreadable ZIP). See the module doc for ZIPs.
    """
    name = f"'{filename}'" if filename else "The file"
    if not head:
        raise EmptyFile(f"{name} is empty.")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_OLE):
        raise UnsupportedType(
            f"{name} is an old Microsoft Office file: Word 97-2003 .doc is not supported, save as DOCX or PDF."
        )
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, EOFError) as error:
            raise Corrupt(f"{name} looks like a ZIP archive but it cannot be read ({type(error).__name__}).") from None
        return _zip_kind(names, name)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise UnsupportedType(f"{name} is {what}, not a PDF, DOCX, HTML or text document.")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise UnsupportedType(f"{name} is a WebP image, not a PDF, DOCX, HTML or text document.")
    text = _as_text(head)
    if text is None:
        raise UnsupportedType(f"{name} is binary content of an unknown type, not a PDF, DOCX, HTML or text document.")
    return "html" if _looks_like_html(text) else "text"


def sniff_file(path: Path, filename: str = "") -> str:
    """The kind of the file at `path`, reading its first 8 KB and, for ZIPs, only the archive directory."""
    shown = filename or path.name
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.startswith(_ZIP):
        return sniff(head, shown)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise Corrupt(f"'{shown}' looks like a ZIP archive but it cannot be read ({type(error).__name__}).") from None
    return _zip_kind(names, f"'{shown}'")


def _zip_kind(names: Collection[str], name: str) -> str:
    """DOCX when the archive has the parts every Word document has; a clear refusal otherwise."""
    members = set(names)
    if "[Content_Types].xml" in members and "word/document.xml" in members:
        if "word/vbaProject.bin" in members:
            raise UnsupportedType(f"{name} is a Word document with macros (.docm); save it as DOCX or PDF.")
        return "docx"
    if "xl/workbook.xml" in members:
        raise UnsupportedType(f"{name} is an Excel workbook; save it as PDF.")
    if "ppt/presentation.xml" in members:
        raise UnsupportedType(f"{name} is a PowerPoint presentation; save it as PDF.")
    if "mimetype" in members and "content.xml" in members:
        raise UnsupportedType(f"{name} is an OpenDocument file; save it as DOCX or PDF.")
    raise UnsupportedType(f"{name} is a ZIP archive, not a Word document; upload the PDF or DOCX itself.")


def _as_text(head: bytes) -> str | None:
    """The decoded head when it reads as text (UTF-8, UTF-16/32 with BOM, or a Latin-1 family), else None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            decoded = codecs.getincrementaldecoder(encoding)(errors="strict")
            try:
                text = decoded.decode(head[len(bom) :], final=False)
            except UnicodeDecodeError:
                return None
            return text if _mostly_printable(text) else None
    if b"\x00" in head:
        return None
    try:
        # final=False: the head may end in the middle of a multi-byte character.
        text = codecs.getincrementaldecoder("utf-8")(errors="strict").decode(head, final=False)
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    return text if _mostly_printable(text) else None


def _mostly_printable(text: str) -> bool:
    """True when control and unassigned characters are rare (binary content decodes into many of them)."""
    if not text:
        return True
    bad = sum(
        1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cn") and ch not in _ALLOWED_CONTROLS)
    )
    return bad <= len(text) * 0.02


def _looks_like_html(text: str) -> bool:
    """HTML when it starts with an HTML tag or doctype, or has <html in its first kilobyte."""
    start = text.lstrip("\ufeff \t\r\n").casefold()
    if start.startswith(_HTML_STARTS):
        return True
    return "<html" in start[:1024]
