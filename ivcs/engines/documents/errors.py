"""Why a document cannot be read, as exceptions with a stable `code` the Django layer translates.

`sniff` raises them; `extract` never raises them (it reports the same codes in `Extraction.code`).
"""

from __future__ import annotations


class DocumentError(Exception):
    """Base of the document errors: `code` is stable for i18n, `message` is short English for editors."""

    code = "document_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedType(DocumentError):
    """The content is not PDF, DOCX, HTML or plain text (whatever the file name says)."""

    code = "unsupported_type"


class EmptyFile(DocumentError):
    """The file has no bytes at all."""

    code = "empty"


class TooLarge(DocumentError):
    """The file (or its unpacked content) exceeds a limit."""

    code = "too_large"


class ZipBomb(DocumentError):
    """A ZIP member inflates far more than real documents do."""

    code = "zip_bomb"


class Encrypted(DocumentError):
    """Password protected, and the empty password does not open it."""

    code = "encrypted"


class Corrupt(DocumentError):
    """The parser could not read the content."""

    code = "corrupt"


class NoText(DocumentError):
    """Readable but without a text layer (e.g. a scanned PDF)."""

    code = "no_text"


class TooManyPages(DocumentError):
    """More pages than the limit allows."""

    code = "too_many_pages"
