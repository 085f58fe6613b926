"""Text extraction from PDF, DOCX, HTML and plain text into numbered pages, within limits, never raising.

`extract(path, kind)` returns an `Extraction` whose `status` says what happened: "ok", "truncated" (read,
but a limit cut the text: `code` says which), "no_text" (e.g. a scanned PDF), "encrypted" or "corrupt"
(`code` refines: corrupt, too_large, zip_bomb, unsupported_type). Any exception from a third-party
parser becomes "corrupt" with the exception's class name in `message`; only a missing file (OSError
from stat) and exceptions raised by the caller's `on_progress` propagate.

Pages are 1-based. `pages` holds only pages with text; `page_count` is the number of pages in the
document (more than the pages read when truncated). Text is whitespace-normalised and words hyphenated
at a line end ("expor-\\ntación") are joined.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ivcs.engines.documents.language import detect_document_language

MiB = 1024 * 1024
Progress = Callable[[int, int], None]

STATUSES = ("ok", "truncated", "no_text", "encrypted", "corrupt")
MIN_LETTERS_PER_PDF_PAGE = 20  # fewer letters than this per page on average: no text layer (scanned)


@dataclass(frozen=True)
class Limits:
    """Bounds on what one upload may cost; the defaults suit studies of a few hundred pages."""

    max_bytes: int = 50 * MiB
    max_pages: int = 2000
    max_chars: int = 5_000_000
    max_chars_per_page: int = 200_000
    max_docx_uncompressed: int = 200 * MiB
    max_zip_ratio: float = 100.0  # a member inflating more than this (and beyond 1 MiB) is a zip bomb
    max_html_bytes: int = 10 * MiB


@dataclass(frozen=True)
class Page:
    """Text of one page; `number` is 1-based as printed on the document."""

    number: int
    text: str


@dataclass
class Extraction:
    """What `extract` found. `message` is short English for the editor; `code` is stable for i18n."""

    kind: str
    status: str = "ok"
    pages: list[Page] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    year: int | None = None
    language: str | None = None
    page_count: int = 0
    char_count: int = 0
    message: str = ""
    code: str = "ok"

    @property
    def text(self) -> str:
        """All pages' text, separated by blank lines."""
        return "\n\n".join(page.text for page in self.pages)


class _CallbackError(Exception):
    """Carries an exception raised by the caller's progress callback through the catch-all."""


class _Failed(Exception):
    """A non-ok outcome decided by our own checks (status, code, message)."""

    def __init__(self, status: str, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class _Collector:
    """Accumulates pages while enforcing the page and character limits."""

    limits: Limits
    pages: list[Page] = field(default_factory=list)
    chars: int = 0
    cuts: list[str] = field(default_factory=list)

    def cut(self, code: str) -> None:
        if code not in self.cuts:
            self.cuts.append(code)

    @property
    def full(self) -> bool:
        return self.chars >= self.limits.max_chars

    def add(self, number: int, raw: str) -> None:
        if self.full:
            self.cut("too_many_chars")
            return
        text = normalise(raw)
        if len(text) > self.limits.max_chars_per_page:
            text = text[: self.limits.max_chars_per_page]
            self.cut("page_too_long")
        room = self.limits.max_chars - self.chars
        if len(text) > room:
            text = text[:room]
            self.cut("too_many_chars")
        if text:
            self.pages.append(Page(number, text))
            self.chars += len(text)


_CUT_MESSAGES = {
    "too_many_pages": "only the first {max_pages} pages were read",
    "too_many_chars": "the text was cut at {max_chars} characters",
    "page_too_long": "pages longer than {max_chars_per_page} characters were cut",
    "too_large": "only the first part of the file was read",
}


def extract(path: Path, kind: str, limits: Limits | None = None, on_progress: Progress | None = None) -> Extraction:
    """Extract the text of the file at `path`, whose `kind` comes from `sniff_file`.

    `on_progress(done_pages, total_pages)` is called after each page.
    """
    limits = limits or Limits()
    result = Extraction(kind=kind)
    size = path.stat().st_size
    if size > limits.max_bytes:
        return _fail(
            result,
            "corrupt",
            "too_large",
            f"The file is {size // MiB} MiB; the limit is {limits.max_bytes // MiB} MiB.",
        )
    collector = _Collector(limits)
    hint: str | None = None
    try:
        if kind == "pdf":
            _pdf(path, result, collector, on_progress)
        elif kind == "docx":
            hint = _docx(path, result, collector, on_progress)
        elif kind == "html":
            hint = _html(path, size, result, collector, on_progress)
        elif kind == "text":
            _text(path, size, result, collector, on_progress)
        else:
            raise _Failed("corrupt", "unsupported_type", f"Unknown document kind {kind!r}.")
    except _CallbackError as error:
        raise error.__cause__ or error from None
    except _Failed as failure:
        return _fail(result, failure.status, failure.code, failure.message)
    except Exception as error:  # a third-party parser failed: report, never raise
        return _fail(result, "corrupt", "corrupt", f"The {kind.upper()} could not be read ({type(error).__name__}).")
    return _finish(result, collector, hint)


def normalise(text: str) -> str:
    """Tidy whitespace, drop control characters, join words hyphenated across lines; keep paragraph breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = _HYPHENATED.sub(lambda m: m.group(1) if m.group(2).islower() else m.group(0), text)
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_HYPHENATED = re.compile(r"([^\W\d_])[-\u2010]\n[ \t]*(?=([^\W\d_]))")  # joined only before a lower-case letter
_BLANK_LINES = re.compile(r"\n{3,}")


def _fail(result: Extraction, status: str, code: str, message: str) -> Extraction:
    result.status, result.code, result.message = status, code, message
    result.pages, result.char_count = [], 0
    return result


def _finish(result: Extraction, collector: _Collector, hint: str | None) -> Extraction:
    result.pages = collector.pages
    result.char_count = collector.chars
    text = result.text
    result.language = detect_document_language(text) or (hint if hint in ("es", "pt", "en") else None)
    letters = sum(1 for ch in text if ch.isalpha())
    needed = MIN_LETTERS_PER_PDF_PAGE * max(result.page_count, 1) if result.kind == "pdf" else 1
    if letters < needed:
        result.status, result.code = "no_text", "no_text"
        result.message = (
            "No text layer was found (a scanned document?); run OCR and upload the result."
            if result.kind == "pdf"
            else "The document contains no text."
        )
    elif collector.cuts:
        values = {
            "max_pages": collector.limits.max_pages,
            "max_chars": collector.limits.max_chars,
            "max_chars_per_page": collector.limits.max_chars_per_page,
        }
        result.status, result.code = "truncated", collector.cuts[0]
        parts = [_CUT_MESSAGES[cut].format(**values) for cut in collector.cuts]
        result.message = "The document was read partially: " + "; ".join(parts) + "."
    return result


def _progress(on_progress: Progress | None, done: int, total: int) -> None:
    if on_progress is None:
        return
    try:
        on_progress(done, total)
    except Exception as error:
        raise _CallbackError from error


def _year(value: object) -> int | None:
    """A plausible year from a datetime, a date or a PDF date string ("D:20240131...")."""
    if isinstance(value, datetime | date):
        year = value.year
    else:
        match = re.search(r"(?:D:)?((?:19|20)\d\d)", str(value or ""))
        if not match:
            return None
        year = int(match.group(1))
    return year if 1900 <= year <= 2100 else None


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf(path: Path, result: Extraction, collector: _Collector, on_progress: Progress | None) -> None:
    from pypdf import PasswordType, PdfReader

    with path.open("rb") as handle:  # a handle, not the path: pypdf would copy the whole file into memory
        reader = PdfReader(handle)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as error:  # e.g. AES without a crypto backend
                raise _Failed(
                    "encrypted", "encrypted", f"The PDF is encrypted and cannot be opened ({type(error).__name__})."
                ) from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise _Failed(
                    "encrypted", "encrypted", "The PDF is protected by a password; upload an unprotected copy."
                )
        _pdf_metadata(reader, result)
        total = len(reader.pages)
        result.page_count = total
        readable = min(total, collector.limits.max_pages)
        if total > readable:
            collector.cut("too_many_pages")
        for index in range(readable):
            if collector.full:
                collector.cut("too_many_chars")
                break
            collector.add(index + 1, reader.pages[index].extract_text() or "")
            _progress(on_progress, index + 1, readable)


def _pdf_metadata(reader: Any, result: Extraction) -> None:
    """Title, author and year from the document information; a broken dictionary is not fatal."""
    try:
        info = reader.metadata
        if info is None:
            return
        result.title = _clean(info.get("/Title"))
        result.author = _clean(info.get("/Author"))
        result.year = _year(info.get("/CreationDate")) or _year(info.get("/ModDate"))
    except Exception:  # noqa: S110 - metadata is optional; the text is what matters
        pass


# --- DOCX --------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{_W}{n}" for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _LRPB = (f"{_W}{n}" for n in ("t", "tab", "br", "cr", "lastRenderedPageBreak"))
_PPR, _PAGE_BREAK_BEFORE, _SECT_PR, _TYPE = (f"{_W}{n}" for n in ("pPr", "pageBreakBefore", "sectPr", "type"))
_W_TYPE, _W_VAL = f"{_W}type", f"{_W}val"


def _check_zip(path: Path, limits: Limits) -> None:
    """Refuse archives that would inflate beyond the limit, judged from the directory alone."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    # zipfile stops inflating a member at its declared size, so the declared sizes bound the work.
    total = sum(info.file_size for info in infos)
    if total > limits.max_docx_uncompressed:
        raise _Failed(
            "corrupt",
            "too_large",
            f"The DOCX unpacks to {total // MiB} MiB; the limit is {limits.max_docx_uncompressed // MiB} MiB.",
        )
    for info in infos:
        if info.file_size > MiB and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise _Failed(
                "corrupt",
                "zip_bomb",
                f"The DOCX member {info.filename!r} inflates abnormally (a zip bomb?); it was not opened.",
            )


def _docx(path: Path, result: Extraction, collector: _Collector, on_progress: Progress | None) -> str | None:
    import docx

    _check_zip(path, collector.limits)
    document = docx.Document(str(path))
    props = document.core_properties
    result.title, result.author = _clean(props.title), _clean(props.author)
    result.year = _year(props.created) or _year(props.modified)
    hint = (props.language or "").split("-")[0].casefold() or None
    body = document.element.body
    rendered = any(True for _ in body.iter(_LRPB))
    texts: dict[int, list[str]] = {}
    page = 1
    for kind, value in _docx_blocks(body, rendered):
        if kind == "break":
            page += 1
        else:
            texts.setdefault(page, []).append(value)
    result.page_count = page
    readable = min(page, collector.limits.max_pages)
    if page > readable:
        collector.cut("too_many_pages")
    for number in range(1, readable + 1):
        if number in texts:
            collector.add(number, "\n".join(texts[number]))
        _progress(on_progress, number, readable)
    return hint


def _docx_blocks(body: Any, rendered: bool) -> Iterator[tuple[str, str]]:
    """("text", line) and ("break", "") events in reading order: paragraphs, table rows, page breaks.

    Word writes w:lastRenderedPageBreak wherever a page began when it last laid out the document
    (explicit breaks included), so when present those are the pages; otherwise explicit page breaks,
    "page break before" paragraphs and section breaks are counted.
    """
    stack: list[Any] = list(reversed(list(body)))
    while stack:
        element = stack.pop()
        if element.tag == _P:
            yield from _docx_paragraph(element, rendered)
        elif element.tag == _TBL:
            for row in element.iterchildren(_TR):
                cells: list[str] = []
                for cell in row.iterchildren(_TC):
                    parts: list[str] = []
                    for paragraph in cell.iter(_P):
                        for kind, value in _docx_paragraph(paragraph, rendered):
                            if kind == "break":
                                yield kind, value
                            elif value.strip():
                                parts.append(value.strip())
                    cells.append(" ".join(parts))
                if any(cells):
                    yield "text", " | ".join(cell for cell in cells if cell)
        elif element.tag == _SDT:
            for content in element.iterchildren(_SDT_CONTENT):
                stack.extend(reversed(list(content)))


def _docx_paragraph(paragraph: Any, rendered: bool) -> Iterator[tuple[str, str]]:
    properties = paragraph.find(_PPR)
    if not rendered and properties is not None and properties.find(_PAGE_BREAK_BEFORE) is not None:
        value = properties.find(_PAGE_BREAK_BEFORE).get(_W_VAL, "true")
        if value not in ("0", "false", "off"):
            yield "break", ""
    parts: list[str] = []
    for element in paragraph.iter(_T, _TAB, _BR, _CR, _LRPB):
        tag = element.tag
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _LRPB or (tag == _BR and element.get(_W_TYPE) == "page"):
            if (tag == _LRPB) != rendered:  # count one kind of break only (see _docx_blocks)
                continue
            if parts:
                yield "text", "".join(parts)
                parts = []
            yield "break", ""
        else:
            parts.append("\n")
    if parts:
        yield "text", "".join(parts)
    if not rendered and properties is not None:
        section = properties.find(_SECT_PR)
        if section is not None:
            kind = section.find(_TYPE)
            if kind is None or kind.get(_W_VAL, "nextPage") in ("nextPage", "oddPage", "evenPage"):
                yield "break", ""


# --- HTML --------------------------------------------------------------------------------------------

_DROP = frozenset("script style nav noscript template svg iframe object embed canvas head".split())
_BLOCK = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr html li main ol p pre section summary table tbody thead tfoot tr td th ul".split()
)


def _html(path: Path, size: int, result: Extraction, collector: _Collector, on_progress: Progress | None) -> str | None:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    if size > collector.limits.max_html_bytes:
        raise _Failed(
            "corrupt",
            "too_large",
            f"The HTML is {size // MiB} MiB; the limit is {collector.limits.max_html_bytes // MiB} MiB.",
        )
    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    if soup.title is not None:
        result.title = _clean(soup.title.get_text())
    html = soup.find("html")
    hint = None
    if isinstance(html, Tag):
        hint = str(html.get("lang") or "").split("-")[0].casefold() or None
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buffer).split())
        if line:
            lines.append(line)
        buffer.clear()

    skipped = (Comment, Declaration, Doctype, ProcessingInstruction)
    # An explicit stack: deeply nested markup must not exhaust Python's recursion limit.
    stack: list[Any] = [soup]
    while stack:
        node = stack.pop()
        if node is None:  # end of a block element
            flush()
        elif isinstance(node, NavigableString):
            if not isinstance(node, skipped):
                buffer.append(str(node))
        elif isinstance(node, Tag):
            name = (node.name or "").casefold()
            if name in _DROP:
                continue
            if name in ("br", "hr") or name in _BLOCK:
                flush()
            if name in _BLOCK:
                stack.append(None)
            stack.extend(reversed(list(node.children)))
    flush()
    result.page_count = 1
    collector.add(1, "\n".join(lines))
    _progress(on_progress, 1, 1)
    return hint


# --- Plain text --------------------------------------------------------------------------------------

_TEXT_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _text(path: Path, size: int, result: Extraction, collector: _Collector, on_progress: Progress | None) -> None:
    budget = collector.limits.max_chars * 4 + 4  # no encoding needs more than 4 bytes a character
    with path.open("rb") as handle:
        data = handle.read(budget)
    cut = size > len(data)
    if cut:
        collector.cut("too_large")
    text = _decode(data, final=not cut)
    chunks = text.split("\f") if "\f" in text else [text]
    result.page_count = len(chunks)
    readable = min(len(chunks), collector.limits.max_pages)
    if len(chunks) > readable:
        collector.cut("too_many_pages")
    for index in range(readable):
        collector.add(index + 1, chunks[index])
        _progress(on_progress, index + 1, readable)


def _decode(data: bytes, final: bool) -> str:
    """UTF-8 (or the encoding its BOM names), else Windows-1252, else Latin-1 (which never fails)."""
    for bom, encoding in _TEXT_BOMS:
        if data.startswith(bom):
            return codecs.getincrementaldecoder(encoding)(errors="replace").decode(data[len(bom) :], final=final)
    try:
        return codecs.getincrementaldecoder("utf-8")(errors="strict").decode(data, final=final)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
