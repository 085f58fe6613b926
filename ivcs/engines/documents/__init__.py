"""Documents of the trade-intelligence library: sniff the type by content, extract text by page, render demos.

Framework-free: the Django layer stores uploads, calls `sniff_file` then `extract`, and indexes the pages.
"""

from __future__ import annotations

from ivcs.engines.documents.demo import DEMO_STUDIES, load_demo_studies, write_demo_files
from ivcs.engines.documents.errors import (
    Corrupt,
    DocumentError,
    EmptyFile,
    Encrypted,
    NoText,
    TooLarge,
    TooManyPages,
    UnsupportedType,
    ZipBomb,
)
from ivcs.engines.documents.extract import STATUSES, Extraction, Limits, Page, Progress, extract, normalise
from ivcs.engines.documents.language import detect_document_language
from ivcs.engines.documents.render import latin1, write_docx, write_pdf
from ivcs.engines.documents.sniff import HEAD_BYTES, KINDS, sniff, sniff_file
from ivcs.engines.documents.study import Section, Study

__all__ = [
    "DEMO_STUDIES",
    "HEAD_BYTES",
    "KINDS",
    "STATUSES",
    "Corrupt",
    "DocumentError",
    "EmptyFile",
    "Encrypted",
    "Extraction",
    "Limits",
    "NoText",
    "Page",
    "Progress",
    "Section",
    "Study",
    "TooLarge",
    "TooManyPages",
    "UnsupportedType",
    "ZipBomb",
    "detect_document_language",
    "extract",
    "latin1",
    "load_demo_studies",
    "normalise",
    "sniff",
    "sniff_file",
    "write_demo_files",
    "write_docx",
    "write_pdf",
]
