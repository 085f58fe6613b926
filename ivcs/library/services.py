"""Writes of the library: documents created, changed, published, withdrawn and deleted, files stored,
text extracted, passages indexed. Every write checks that the actor edits for the publisher.

Extraction runs in the background: creating a document with a file appends a `library.extract`
outbox event in the same transaction; its handler queues the huey task that reads the file
(ivcs.library.tasks), so a worker that was down when the study was uploaded still picks it up, and
a periodic sweep re-queues documents left pending or stuck while running.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.core import audit, outbox
from ivcs.core.errors import FieldErrors
from ivcs.library import fulltext
from ivcs.library.models import DocLanguage, DocType, Document, Passage, Sector

log = logging.getLogger(__name__)

EXTRACT_TOPIC = "library.extract"
PUBLISHER_KINDS = (Organisation.Kind.TPO, Organisation.Kind.OPERATOR)
KIND_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html", "text": "txt"}
KIND_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
HS_RE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
MARKET_BLOCS = ("EU",)
YEAR_MIN, YEAR_MAX_AHEAD = 1950, 1
MAX_LIST = 40
STUCK_AFTER = timedelta(minutes=15)
# Suggestions read the title, the summary and the first passages; the HS classifier's confidence on running
# prose is low for incidental nouns ("modelos", "seguridad"), so only confident codes mentioned twice count.
SUGGESTION_PASSAGES = 8
HS_SUGGESTION_SCORE = 0.6


# --- permissions ------------------------------------------------------------------------------


def can_edit(actor: Any, document: Document) -> bool:
    """Only the publisher's owners and editors (and superusers) change a document."""
    return can(actor, Perm.EDIT_ORG, document.publisher)


def publishers_for(actor: Any) -> list[Organisation]:
    """The organisations `actor` may publish studies for (TPOs and operators it edits for)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    if getattr(actor, "organisation_id", None) is not None and not hasattr(actor, "email"):  # an API key
        orgs = [actor.organisation]
    else:
        orgs = list(
            Organisation.objects.filter(memberships__user=actor, kind__in=PUBLISHER_KINDS).distinct()
            if not getattr(actor, "is_superuser", False)
            else Organisation.objects.filter(kind__in=PUBLISHER_KINDS)
        )
    return [org for org in orgs if org.kind in PUBLISHER_KINDS and can(actor, Perm.EDIT_ORG, org)]


def _require_editor(actor: Any, publisher: Organisation) -> None:
    if publisher.kind not in PUBLISHER_KINDS:
        raise FieldErrors(
            "not_a_publisher",
            _("Only trade promotion organisations, chambers and associations publish studies."),
            "publisher",
        )
    if not can(actor, Perm.EDIT_ORG, publisher):
        raise PermissionDenied("not an editor of this publisher")


# --- metadata ----------------------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = re.split(r"[,\s;]+", value)
    if not isinstance(value, list | tuple):
        return [str(value)]
    return [str(item).strip() for item in value if str(item).strip()]


def clean_metadata(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate and normalise document metadata; raise FieldErrors naming every bad field."""
    from ivcs.core.i18n import is_country_code

    errors: list[FieldErrors] = []
    out: dict[str, Any] = {}

    def bad(code: str, message: str, name: str) -> None:
        errors.append(FieldErrors(code, message, name))

    if "title" in data or not partial:
        title = str(data.get("title") or "").strip()
        if not title:
            bad("required", _("Give the study a title."), "title")
        elif len(title) > 300:
            bad("too_long", _("The title is longer than 300 characters."), "title")
        out["title"] = title
    for name, limit in (("summary", 4000), ("licence", 200)):
        if name in data:
            value = str(data.get(name) or "").strip()
            if len(value) > limit:
                bad("too_long", _("This text is longer than %(n)d characters.") % {"n": limit}, name)
            out[name] = value
    if "year" in data:
        raw = data.get("year")
        if raw in (None, ""):
            out["year"] = None
        else:
            try:
                year = int(str(raw).strip())
            except ValueError:
                year = -1
            if not YEAR_MIN <= year <= timezone.now().year + YEAR_MAX_AHEAD:
                bad(
                    "invalid",
                    _("Give a year between %(a)d and %(b)d.")
                    % {"a": YEAR_MIN, "b": timezone.now().year + YEAR_MAX_AHEAD},
                    "year",
                )
            out["year"] = year
    if "language" in data:
        language = str(data.get("language") or "").strip().lower()[:5]
        if language not in DocLanguage.values:
            bad("invalid", _("Choose Spanish, Portuguese, English or another language."), "language")
        out["language"] = language
    if "doc_type" in data:
        doc_type = str(data.get("doc_type") or "").strip()
        if doc_type not in DocType.values:
            bad("invalid", _("Choose a type of study."), "doc_type")
        out["doc_type"] = doc_type
    if "sectors" in data:
        sectors = _as_list(data.get("sectors"))
        unknown = [s for s in sectors if s not in Sector.values]
        if unknown:
            bad("invalid", _("Unknown sector: %(v)s.") % {"v": ", ".join(unknown[:5])}, "sectors")
        out["sectors"] = list(dict.fromkeys(sectors))[:MAX_LIST]
    if "hs_codes" in data:
        codes = [re.sub(r"[.\s]", "", code) for code in _as_list(data.get("hs_codes"))]
        wrong = [c for c in codes if not HS_RE.match(c)]
        if wrong:
            bad("invalid", _("HS codes have 2, 4 or 6 digits: %(v)s.") % {"v": ", ".join(wrong[:5])}, "hs_codes")
        out["hs_codes"] = list(dict.fromkeys(codes))[:MAX_LIST]
    if "markets" in data:
        markets = [m.upper() for m in _as_list(data.get("markets"))]
        wrong = [m for m in markets if m not in MARKET_BLOCS and not is_country_code(m)]
        if wrong:
            bad("invalid", _("Unknown country code: %(v)s.") % {"v": ", ".join(wrong[:5])}, "markets")
        out["markets"] = list(dict.fromkeys(markets))[:MAX_LIST]
    if "origin_country" in data:
        origin = str(data.get("origin_country") or "").strip().upper()
        if origin and not is_country_code(origin):
            bad("invalid", _("Unknown country code: %(v)s.") % {"v": origin}, "origin_country")
        out["origin_country"] = origin
    if "source_url" in data:
        url = str(data.get("source_url") or "").strip()
        if url and not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.I):
            bad("invalid", _("Give a web address starting with http:// or https://."), "source_url")
        elif len(url) > 500:
            bad("too_long", _("The address is longer than 500 characters."), "source_url")
        out["source_url"] = url
    if "visibility" in data:
        visibility = str(data.get("visibility") or "").strip()
        if visibility not in Document.Visibility.values:
            bad("invalid", _("Choose who can see the study."), "visibility")
        out["visibility"] = visibility
    if errors:
        raise FieldErrors.many(errors)
    return out


# --- files -------------------------------------------------------------------------------------


@dataclass
class StoredFile:
    path: str  # relative to IVCS_LIBRARY_DIR
    name: str
    kind: str
    size: int
    sha256: str


def safe_file_name(name: str, kind: str) -> str:
    """An ASCII file name for the Content-Disposition header: no path, no control or quote characters,
    the extension of the type the content really has."""
    stem = Path(str(name or "")).name
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:80] or "study"
    return f"{stem}.{KIND_EXTENSIONS.get(kind, 'bin')}"


def library_dir() -> Path:
    return Path(settings.IVCS_LIBRARY_DIR)


def store_file(stream: BinaryIO | Iterable[bytes], name: str) -> StoredFile:
    """Copy an upload into the library folder, checking size and type by content on the way.

    Raises FieldErrors(field="file") for an empty, too large or unsupported file; nothing is kept then."""
    from ivcs.engines.documents import DocumentError, sniff_file

    limit = int(settings.IVCS_LIBRARY_MAX_BYTES)
    root = library_dir()
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, tmp_name = tempfile.mkstemp(dir=root / "tmp", suffix=".upload")
    tmp = Path(tmp_name)
    try:
        with open(handle, "wb") as out:
            chunks = (
                stream.chunks()
                if hasattr(stream, "chunks")
                else (iter(lambda: stream.read(1 << 20), b"") if hasattr(stream, "read") else stream)
            )
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise FieldErrors(
                        "too_large",
                        _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)},
                        "file",
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise FieldErrors("empty", _("The file is empty."), "file")
        try:
            kind = sniff_file(tmp)
        except DocumentError as exc:
            raise FieldErrors(
                "unsupported_type",
                _("This file is not a PDF, Word (DOCX), HTML or plain text document (%(detail)s).")
                % {"detail": str(exc)},
                "file",
            ) from exc
        sha = digest.hexdigest()
        relative = Path("files") / sha[:2] / f"{uuid.uuid4().hex}.{KIND_EXTENSIONS[kind]}"
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(tmp), root / relative)
        return StoredFile(str(relative), safe_file_name(name, kind), kind, size, sha)
    finally:
        tmp.unlink(missing_ok=True)


def file_path(document: Document) -> Path | None:
    """The stored file's absolute path, refusing anything that would leave the library folder."""
    if not document.file_path:
        return None
    root = library_dir().resolve()
    path = (root / document.file_path).resolve()
    if root not in path.parents:
        return None
    return path


# --- documents ---------------------------------------------------------------------------------


def create_document(
    *,
    actor: Any,
    publisher: Organisation,
    metadata: Mapping[str, Any],
    upload: Any = None,
    upload_name: str = "",
    publish: bool = False,
    is_demo: bool = False,
) -> Document:
    """A new study: a file to read (PDF, DOCX, HTML, text) or a link-only record."""
    _require_editor(actor, publisher)
    values = clean_metadata(metadata)
    if upload is None and not values.get("source_url"):
        raise FieldErrors("required", _("Upload a file or give the link where the study is published."), "file")
    stored = store_file(upload, upload_name or getattr(upload, "name", "")) if upload is not None else None
    try:
        if stored is not None:
            duplicate = Document.objects.filter(publisher=publisher, file_sha256=stored.sha256).first()
            if duplicate is not None:
                raise FieldErrors(
                    "duplicate",
                    _("This file is already in the library as “%(title)s”.") % {"title": duplicate.title},
                    "file",
                )
        with transaction.atomic():
            document = Document(
                tenant_id=publisher.tenant_id,
                publisher=publisher,
                created_by=actor if hasattr(actor, "email") else None,
                is_demo=is_demo,
                **values,
            )
            if stored is not None:
                document.file_path, document.file_name = stored.path, stored.name
                document.file_kind, document.file_size, document.file_sha256 = stored.kind, stored.size, stored.sha256
                document.extraction = Document.Extraction.PENDING
            if publish:
                document.status = Document.Status.PUBLISHED
                document.published_at = timezone.now()
            document.save()
            if stored is None:  # a file's record passage comes with its text, once read
                write_record_passage(document)
            audit.record(
                "library.document.create",
                actor=actor,
                obj=document,
                tenant_id=document.tenant_id,
                data={"title": document.title, "file": document.file_name, "kind": document.file_kind},
            )
            if stored is not None:
                outbox.append(
                    EXTRACT_TOPIC, {"document_id": document.pk, "sha256": stored.sha256}, tenant_id=document.tenant_id
                )
            if document.status == Document.Status.PUBLISHED:
                transaction.on_commit(drop_stamp)
    except BaseException:
        if stored is not None:
            (library_dir() / stored.path).unlink(missing_ok=True)
        raise
    return document


def update_document(actor: Any, document: Document, metadata: Mapping[str, Any]) -> Document:
    if not can_edit(actor, document):
        raise PermissionDenied("not an editor of this publisher")
    return _apply(document, clean_metadata(metadata, partial=True), actor)


def _apply(document: Document, values: Mapping[str, Any], actor: Any) -> Document:
    with transaction.atomic():
        language_changed = "language" in values and values["language"] != document.language
        record_changed = any(
            name in values and values[name] != getattr(document, name) for name in ("title", "summary")
        )
        for name, value in values.items():
            setattr(document, name, value)
        document.save()
        if record_changed:
            write_record_passage(document)
        if language_changed:
            Passage.objects.filter(document=document).update(language=document.language)
            fulltext.index_passages(
                (p.pk, p.language, p.text)
                for p in Passage.objects.filter(document=document).only("id", "language", "text")
            )
        audit.record(
            "library.document.update",
            actor=actor,
            obj=document,
            tenant_id=document.tenant_id,
            data={"fields": sorted(values)},
        )
        transaction.on_commit(drop_stamp)
    return document


def set_status(actor: Any, document: Document, status: str) -> Document:
    if not can_edit(actor, document):
        raise PermissionDenied("not an editor of this publisher")
    if status not in Document.Status.values:
        raise FieldErrors("invalid", _("Unknown status."), "status")
    if status == Document.Status.PUBLISHED and document.extraction in (
        Document.Extraction.PENDING,
        Document.Extraction.RUNNING,
    ):
        raise FieldErrors("not_ready", _("Wait until the file has been read before publishing."), "status")
    with transaction.atomic():
        document.status = status
        if status == Document.Status.PUBLISHED and document.published_at is None:
            document.published_at = timezone.now()
        document.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(f"library.document.{status}", actor=actor, obj=document, tenant_id=document.tenant_id)
        transaction.on_commit(drop_stamp)
    return document


def delete_document(actor: Any, document: Document) -> None:
    if not can_edit(actor, document):
        raise PermissionDenied("not an editor of this publisher")
    path = file_path(document)
    with transaction.atomic():
        fulltext.delete_documents([document.pk])
        audit.record(
            "library.document.delete",
            actor=actor,
            obj=document,
            tenant_id=document.tenant_id,
            data={"title": document.title},
        )
        document.delete()
        transaction.on_commit(drop_stamp)
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def publish_when_read(document: Document) -> None:
    """Publish the study as soon as its text has been read (the API's `publish` with a file)."""
    Document.objects.filter(pk=document.pk).update(publish_on_read=True)
    document.refresh_from_db(fields=["publish_on_read", "extraction", "status"])
    if document.extraction in (Document.Extraction.DONE, Document.Extraction.TRUNCATED) and document.status == "draft":
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.PUBLISHED, published_at=timezone.now(), publish_on_read=False
        )
        drop_stamp()


EXTRACTION_MESSAGES = {
    Document.Extraction.NO_TEXT: _lazy(
        "The file has no text layer (a scanned document?). It is kept as a record without searchable text; "
        "upload a PDF with text (run OCR first) to make it searchable."
    ),
    Document.Extraction.ENCRYPTED: _lazy(
        "The file is protected with a password. It is kept as a record without searchable text; upload it "
        "without the protection to make it searchable."
    ),
    Document.Extraction.CORRUPT: _lazy(
        "The file is damaged or could not be read. It is kept as a record without searchable text."
    ),
    Document.Extraction.TRUNCATED: _lazy(
        "The file is very long: only its first part was read and can be found in search."
    ),
    Document.Extraction.FAILED: _lazy("Reading the file failed. Operators have been told; try again later."),
}


def extraction_message(document: Document) -> str:
    message = EXTRACTION_MESSAGES.get(Document.Extraction(document.extraction))
    return str(message) if message is not None else ""


def accept_suggestions(actor: Any, document: Document, names: Iterable[str]) -> Document:
    """Copy the suggested language, HS codes, markets, sectors or origin into the metadata (the editor
    confirms what the text suggested)."""
    wanted = set(names)
    suggestions = document.suggestions or {}
    values: dict[str, Any] = {}
    if "language" in wanted and suggestions.get("language"):
        values["language"] = suggestions["language"]
    if "hs_codes" in wanted:
        values["hs_codes"] = list(dict.fromkeys([*document.hs_codes, *[s["code"] for s in suggestions.get("hs", [])]]))
    if "markets" in wanted:
        values["markets"] = list(
            dict.fromkeys([*document.markets, *[s["code"] for s in suggestions.get("markets", [])]])
        )
    if "sectors" in wanted:
        values["sectors"] = list(dict.fromkeys([*document.sectors, *suggestions.get("sectors", [])]))
    if "title" in wanted and suggestions.get("title"):
        values["title"] = str(suggestions["title"])[:300]
    if "origin_country" in wanted and suggestions.get("origin_country"):
        values["origin_country"] = suggestions["origin_country"]
    return update_document(actor, document, values) if values else document


# --- extraction and indexing -------------------------------------------------------------------


@dataclass
class ExtractionReport:
    document_id: int
    status: str
    pages: int = 0
    passages: int = 0
    detail: str = ""
    suggestions: dict[str, Any] = field(default_factory=dict)


def _progress(document_id: int, percent: int) -> None:
    Document.objects.filter(pk=document_id).update(
        extraction_progress=max(0, min(100, percent)), updated_at=timezone.now()
    )


def extract_document(
    document_id: int, *, expected_sha256: str | None = None, suggest: bool = True
) -> ExtractionReport | None:
    """Read the document's file, split it into passages, embed and index them, and suggest metadata.

    Idempotent: running it twice for the same file replaces the passages. A file that cannot be read
    (scanned, encrypted, damaged) leaves the document as a metadata-only record with the reason."""
    from ivcs.engines.documents import Limits, extract
    from ivcs.engines.search.passages import split

    document = Document.objects.select_related("publisher").filter(pk=document_id).first()
    if document is None or not document.file_path:
        return None
    if expected_sha256 and document.file_sha256 != expected_sha256:
        return None  # the file was replaced since the event was written; its own event follows
    path = file_path(document)
    Document.objects.filter(pk=document_id).update(
        extraction=Document.Extraction.RUNNING, extraction_progress=1, updated_at=timezone.now()
    )
    if path is None or not path.exists():
        return _finish(document, Document.Extraction.FAILED, "missing_file", "the stored file is missing", [])

    last = {"percent": 0}

    def on_progress(done: int, total: int) -> None:
        percent = 5 + int(60 * done / max(total, 1))
        if percent >= last["percent"] + 5:
            last["percent"] = percent
            _progress(document_id, percent)

    try:
        result = extract(
            path, document.file_kind, Limits(max_bytes=int(settings.IVCS_LIBRARY_MAX_BYTES)), on_progress=on_progress
        )
    except Exception as exc:  # the engine reports problems as statuses; anything else is our bug, kept visible
        log.exception("extraction of document %s failed", document_id)
        return _finish(document, Document.Extraction.FAILED, "failed", type(exc).__name__, [])
    status = {
        "ok": Document.Extraction.DONE,
        "truncated": Document.Extraction.TRUNCATED,
        "no_text": Document.Extraction.NO_TEXT,
        "encrypted": Document.Extraction.ENCRYPTED,
        "corrupt": Document.Extraction.CORRUPT,
    }.get(result.status, Document.Extraction.FAILED)
    pages = [(page.number, page.text) for page in result.pages]
    pieces = split(pages) if status in (Document.Extraction.DONE, Document.Extraction.TRUNCATED) else []
    _progress(document_id, 70)
    report = _finish(
        document,
        status,
        getattr(result, "code", "") or "",
        getattr(result, "message", "") or "",
        pieces,
        page_count=result.page_count,
        char_count=result.char_count,
        extraction=result,
        suggest=suggest,
    )
    return report


def _finish(
    document: Document,
    status: str,
    code: str,
    detail: str,
    pieces: list[Any],
    *,
    page_count: int = 0,
    char_count: int = 0,
    extraction: Any = None,
    suggest: bool = True,
) -> ExtractionReport:
    language = document.language
    suggestions: dict[str, Any] = {}
    if pieces:
        suggestions = suggest_metadata(document, extraction, pieces, products_and_places=suggest)
        if document.language == DocLanguage.OTHER and suggestions.get("language"):
            language = suggestions["language"]
    rows = [(0, RECORD_PAGE, record_text(document))] + [(p.ordinal + 1, p.page, p.text) for p in pieces]
    passages = _passages(document, language, rows)
    with transaction.atomic():
        old = list(Passage.objects.filter(document=document).values_list("id", flat=True))
        fulltext.delete_passages(old)
        Passage.objects.filter(document=document).delete()
        created = Passage.objects.bulk_create(passages, batch_size=500)
        if created and created[0].pk is None:  # databases that do not return ids on bulk insert
            created = list(Passage.objects.filter(document=document).order_by("ordinal"))
        fulltext.index_passages((p.pk, p.language, p.text) for p in created)
        publish = document.publish_on_read and status in (Document.Extraction.DONE, Document.Extraction.TRUNCATED)
        if publish:
            Document.objects.filter(pk=document.pk, status=Document.Status.DRAFT).update(
                status=Document.Status.PUBLISHED, published_at=timezone.now()
            )
        Document.objects.filter(pk=document.pk).update(
            publish_on_read=False,
            extraction=status,
            extraction_code=code[:40],
            extraction_detail=detail[:500],
            extraction_progress=100,
            page_count=page_count,
            char_count=char_count,
            suggestions=suggestions,
            updated_at=timezone.now(),
        )
        audit.record(
            "library.document.extracted",
            obj=document,
            tenant_id=document.tenant_id,
            data={"status": status, "pages": page_count, "passages": len(pieces)},
        )
        transaction.on_commit(drop_stamp)
    return ExtractionReport(document.pk, status, page_count, len(pieces), detail, suggestions)


RECORD_PAGE = 0  # the passage holding a study's title and summary (page 0: not a page of the file)


def record_text(document: Document) -> str:
    return "\n\n".join(part for part in (document.title.strip(), document.summary.strip()) if part)


def _passages(document: Document, language: str, rows: list[tuple[int, int, str]]) -> list[Passage]:
    """Unsaved passages (ordinal, page, text) with their vectors, embedded in one call. Ordinal 0 is the record
    passage: the title and summary, so that every study — a link, a scanned file — is found by its words and
    its meaning, not only the studies whose text could be read."""
    vectors = embed_passages([text for _, _, text in rows])
    return [
        Passage(
            document=document,
            ordinal=ordinal,
            page=page,
            language=language,
            text=text,
            vector=vectors[i].astype(np.float16).tobytes() if vectors is not None else None,
        )
        for i, (ordinal, page, text) in enumerate(rows)
    ]


def write_record_passage(document: Document) -> None:
    """(Re)write the record passage after the title or summary changed, or for a new study."""
    with transaction.atomic():
        old = list(Passage.objects.filter(document=document, page=RECORD_PAGE).values_list("id", flat=True))
        fulltext.delete_passages(old)
        Passage.objects.filter(pk__in=old).delete()
        [passage] = _passages(document, document.language, [(0, RECORD_PAGE, record_text(document))])
        passage.save()
        fulltext.index_passages([(passage.pk, passage.language, passage.text)])
        transaction.on_commit(drop_stamp)


def embed_passages(texts: list[str]) -> np.ndarray | None:
    """Unit vectors of the passages with the multilingual encoder, or None when semantic search is off."""
    if not settings.IVCS_LIBRARY_SEMANTIC or not texts:
        return None
    from ivcs.engines.hs.semantic import DIM, embed_into

    out = np.empty((len(texts), DIM), dtype=np.float32)
    embed_into(texts, out, range(len(texts)))
    return out


def suggest_metadata(
    document: Document, extraction: Any, pieces: list[Any], *, products_and_places: bool = True
) -> dict[str, Any]:
    """Language, HS codes, countries and sectors the text speaks of, for the editor to confirm.

    The natural-language engine reads the title, the summary and the first passages a sentence window at a
    time; a code or a country is suggested when it comes up more than once (or in the title). That reading
    costs about a second per study (each product phrase is classified); `products_and_places=False` keeps
    only the language, for imports whose metadata is already curated (the demo)."""
    from ivcs.engines.documents import detect_document_language
    from ivcs.products.selectors import understand_sentence

    text = " ".join(piece.text for piece in pieces[:60])
    language = (getattr(extraction, "language", None) if extraction is not None else None) or (
        detect_document_language(text) if text else None
    )
    hs: Counter[str] = Counter()
    descriptions: dict[str, str] = {}
    markets: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    title = (extraction.title if extraction is not None and getattr(extraction, "title", None) else "") or ""
    windows = [document.title, title, document.summary] + [piece.text for piece in pieces[:SUGGESTION_PASSAGES]]
    if not products_and_places:
        windows = []
    for index, window in enumerate(w for w in windows if w and w.strip()):
        weight = 2 if index < 2 else 1
        for chunk in _chunks(window, 600):
            understood = understand_sentence(chunk, lang=language).understanding
            for hit in understood.products[:3]:
                if hit.score >= HS_SUGGESTION_SCORE:
                    hs[hit.code[:4]] += weight
                    descriptions.setdefault(hit.code[:4], hit.description)
            for code in understood.destination_countries:
                markets[code] += weight
            for place in understood.places:
                if place.role == "unknown" and len(place.country) == 2:
                    markets[place.country] += weight
            if understood.origin_country and understood.origin_source == "text":
                origins[understood.origin_country] += weight
            if understood.sector:
                sectors[understood.sector] += weight
    return {
        "title": title.strip()[:300] if title and title.strip() != document.title else "",
        "language": language,
        "hs": [
            {"code": code, "description": descriptions.get(code, ""), "mentions": n}
            for code, n in hs.most_common(6)
            if n >= 2
        ],
        "markets": [{"code": code, "mentions": n} for code, n in markets.most_common(8) if n >= 2],
        "origin_country": origins.most_common(1)[0][0] if origins else "",
        "sectors": [
            code for code, n in sectors.most_common(2) if n >= 2 and code in Sector.values and code != Sector.OTHER
        ],
    }


def _chunks(text: str, size: int) -> Iterable[str]:
    words = text.split()
    chunk: list[str] = []
    length = 0
    for word in words:
        chunk.append(word)
        length += len(word) + 1
        if length >= size:
            yield " ".join(chunk)
            chunk, length = [], 0
    if chunk:
        yield " ".join(chunk)


def retry_extraction(actor: Any, document: Document) -> None:
    """Read the file again (after a failure, or to pick up a newer extractor)."""
    if not can_edit(actor, document):
        raise PermissionDenied("not an editor of this publisher")
    if not document.file_path:
        raise FieldErrors("no_file", _("This study has no file to read."), "file")
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            extraction=Document.Extraction.PENDING, extraction_progress=0, updated_at=timezone.now()
        )
        outbox.append(
            EXTRACT_TOPIC, {"document_id": document.pk, "sha256": document.file_sha256}, tenant_id=document.tenant_id
        )


def requeue_stale() -> int:
    """Re-queue documents whose extraction never started or whose worker died (the periodic sweep)."""
    cutoff = timezone.now() - STUCK_AFTER
    stale = Document.objects.filter(
        extraction__in=[Document.Extraction.PENDING, Document.Extraction.RUNNING], updated_at__lt=cutoff
    )
    count = 0
    for document in stale:
        with transaction.atomic():
            Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
            outbox.append(
                EXTRACT_TOPIC,
                {"document_id": document.pk, "sha256": document.file_sha256},
                tenant_id=document.tenant_id,
            )
        count += 1
    return count


def reindex(*, vectors: bool = False, extract_again: bool = False) -> dict[str, int]:
    """Rebuild the full-text index from the stored passages (and, asked, the vectors or the passages
    themselves from the files)."""
    counts = {"documents": 0, "passages": 0, "embedded": 0, "extracted": 0}
    if extract_again:
        for document_id in Document.objects.exclude(file_path="").values_list("id", flat=True):
            extract_document(document_id)
            counts["extracted"] += 1
    with transaction.atomic():
        fulltext.clear()
        counts["passages"] = fulltext.index_passages(
            Passage.objects.order_by("id").values_list("id", "language", "text").iterator(chunk_size=2000)
        )
    missing = Passage.objects.all() if vectors else Passage.objects.filter(vector__isnull=True)
    if settings.IVCS_LIBRARY_SEMANTIC:
        batch: list[Passage] = []
        for passage in missing.only("id", "text").iterator(chunk_size=500):
            batch.append(passage)
            if len(batch) >= 256:
                counts["embedded"] += _embed_batch(batch)
                batch = []
        counts["embedded"] += _embed_batch(batch)
    counts["documents"] = Document.objects.count()
    drop_stamp()
    return counts


def _embed_batch(batch: list[Passage]) -> int:
    if not batch:
        return 0
    vectors = embed_passages([p.text for p in batch])
    if vectors is None:
        return 0
    for passage, vector in zip(batch, vectors, strict=True):
        passage.vector = vector.astype(np.float16).tobytes()
    Passage.objects.bulk_update(batch, ["vector"], batch_size=256)
    return len(batch)


def drop_stamp() -> None:
    from ivcs.library.selectors import STAMP

    STAMP.drop()


# --- bulk import (ivcs library-import, the demo) --------------------------------------------------

IMPORTABLE_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt", ".text", ".md"}
METADATA_FILES = ("metadata.yaml", "metadata.yml", "metadata.json")


@dataclass
class FileReport:
    path: str
    ok: bool
    message: str
    document_id: int | None = None
    status: str = ""
    pages: int = 0
    passages: int = 0


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(1 for f in self.files if f.ok)

    @property
    def refused(self) -> int:
        return sum(1 for f in self.files if not f.ok)


def read_metadata_file(folder: Path) -> dict[str, dict[str, Any]]:
    """Optional per-file metadata beside the files: metadata.yaml/.json mapping file name -> fields."""
    import json

    import yaml

    for name in METADATA_FILES:
        path = folder / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
            if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                raise ValueError(f"{path}: expected a mapping of file name to fields")
            return {str(k): dict(v) for k, v in data.items()}
    return {}


def files_to_import(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(
        p
        for p in target.rglob("*")
        if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES and not p.name.startswith(".")
    )


def title_from_name(name: str | Path) -> str:
    path = Path(str(name))
    return re.sub(r"[_\-]+", " ", path.stem).strip().capitalize()[:300] or path.name


def import_file(
    path: Path,
    publisher: Organisation,
    metadata: Mapping[str, Any] | None = None,
    *,
    publish: bool = True,
    is_demo: bool = False,
    suggest: bool = True,
) -> FileReport:
    """Add one file to the library as the operator at the shell (no actor to check), read it at once, fill
    the title, year and language from the file where the metadata leaves them out, and publish it when
    its text was read (unless `publish` is false). Any refusal is reported, never raised."""
    meta = dict(metadata or {})
    meta.setdefault("title", title_from_name(path))
    explicit_language = "language" in meta
    meta.setdefault("language", DocLanguage.OTHER)
    try:
        values = clean_metadata(meta)
        with path.open("rb") as handle:
            stored = store_file(handle, path.name)
    except FieldErrors as exc:
        return FileReport(str(path), False, "; ".join(f"{e.field}: {e.message}" for e in exc.errors))
    except OSError as exc:
        return FileReport(str(path), False, f"cannot read the file: {exc.strerror or exc}")
    if Document.objects.filter(publisher=publisher, file_sha256=stored.sha256).exists():
        (library_dir() / stored.path).unlink(missing_ok=True)
        existing = Document.objects.filter(publisher=publisher, file_sha256=stored.sha256).first()
        return FileReport(str(path), False, f"already in the library as #{existing.pk if existing else '?'}")
    with transaction.atomic():
        document = Document.objects.create(
            tenant_id=publisher.tenant_id,
            publisher=publisher,
            is_demo=is_demo,
            file_path=stored.path,
            file_name=stored.name,
            file_kind=stored.kind,
            file_size=stored.size,
            file_sha256=stored.sha256,
            extraction=Document.Extraction.PENDING,
            **values,
        )
        audit.record(
            "library.document.import",
            obj=document,
            tenant_id=document.tenant_id,
            data={"file": str(path), "kind": stored.kind},
        )
    report = extract_document(document.pk, suggest=suggest)
    document.refresh_from_db()
    changes: dict[str, Any] = {}
    if report is not None and report.status in (Document.Extraction.DONE, Document.Extraction.TRUNCATED):
        suggested = document.suggestions or {}
        if not explicit_language and suggested.get("language"):
            changes["language"] = suggested["language"]
    if changes:
        _apply(document, clean_metadata(changes, partial=True), None)
    if publish and document.extraction in (Document.Extraction.DONE, Document.Extraction.TRUNCATED):
        Document.objects.filter(pk=document.pk).update(status=Document.Status.PUBLISHED, published_at=timezone.now())
        drop_stamp()
    document.refresh_from_db()
    message = extraction_message(document) or "read"
    return FileReport(
        str(path),
        True,
        message,
        document.pk,
        document.extraction,
        document.page_count,
        report.passages if report else 0,
    )


def import_files(
    target: Path,
    publisher: Organisation,
    *,
    publish: bool = True,
    is_demo: bool = False,
    defaults: Mapping[str, Any] | None = None,
) -> ImportReport:
    report = ImportReport()
    folder = target if target.is_dir() else target.parent
    try:
        per_file = read_metadata_file(folder)
    except (ValueError, OSError) as exc:
        report.files.append(FileReport(str(folder), False, f"metadata file refused: {exc}"))
        return report
    except Exception as exc:  # a YAML syntax error
        report.files.append(FileReport(str(folder), False, f"metadata file refused: {type(exc).__name__}: {exc}"))
        return report
    for path in files_to_import(target):
        meta = {**dict(defaults or {}), **per_file.get(path.name, {})}
        report.files.append(import_file(path, publisher, meta, publish=publish, is_demo=is_demo))
    return report
