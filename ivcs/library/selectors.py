"""Reads of the library: which studies a visitor may see, the in-memory search index, and search.

Visibility: a published study is visible on every site unless its publisher keeps it to its own site;
drafts and withdrawn studies only to the publisher's editors (their review pages), never in search.

The search index (ivcs.engines.search.LibraryIndex) holds the published studies' facets and passage
vectors in memory; it is rebuilt when the stamp (count and last change of studies and passages) moves,
so every worker sees an upload once it is published. Lexical matches come from the database's own
full-text index (ivcs.library.fulltext); the engine fuses both rankings, counts facets and cuts snippets.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from ivcs.accounts.models import Organisation
from ivcs.core.errors import FieldErrors
from ivcs.core.stamps import SharedStamp
from ivcs.library import fulltext, services
from ivcs.library.models import DocLanguage, DocType, Document, Passage, Sector

MAX_QUERY_CHARS = 300
PER_PAGE = 10
MAX_PAGE = 50


def _compute_stamp() -> tuple[Any, ...]:
    docs = Document.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    passages = Passage.objects.aggregate(n=Count("id"), last=Max("id"))
    return (docs["n"], str(docs["last"]), passages["n"], passages["last"])


STAMP = SharedStamp("ivcs:library:stamp", _compute_stamp)


# --- visibility ----------------------------------------------------------------------------------


def visible(tenant_id: int | None) -> QuerySet[Document]:
    """Published studies a visitor of this site may see."""
    shared = Q(visibility=Document.Visibility.ALL_SITES)
    if tenant_id is not None:
        shared |= Q(tenant_id=tenant_id)
    return Document.objects.filter(status=Document.Status.PUBLISHED).filter(shared).select_related("publisher")


def document_for(document_id: int, *, tenant_id: int | None, actor: Any = None) -> Document | None:
    """A study the visitor may see: published and visible here, or any state for its editors."""
    document = Document.objects.select_related("publisher").filter(pk=document_id).first()
    if document is None:
        return None
    if visible(tenant_id).filter(pk=document_id).exists():
        return document
    return document if actor is not None and services.can_edit(actor, document) else None


def editable_by(actor: Any) -> QuerySet[Document]:
    return Document.objects.filter(publisher__in=services.publishers_for(actor)).select_related("publisher")


def publisher(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug, library_documents__isnull=False).distinct().first()


# --- the in-memory index ---------------------------------------------------------------------------

_lock = threading.Lock()
_cached: dict[str, Any] = {"stamp": None, "index": None}


def search_index() -> Any:
    """The LibraryIndex of every published study (all sites; visibility is a filter of the query)."""
    from ivcs.engines.search import DocMeta, LibraryIndex, PassageRow

    stamp = STAMP.get()
    with _lock:
        if _cached["stamp"] != stamp or _cached["index"] is None:
            docs = Document.objects.filter(status=Document.Status.PUBLISHED).select_related("publisher")
            metas = [
                DocMeta(
                    id=d.pk,
                    year=d.year,
                    language=d.language,
                    publisher=d.publisher.slug,
                    doc_type=d.doc_type,
                    sectors=tuple(d.sectors or ()),
                    markets=tuple(d.markets or ()),
                    hs=tuple(d.hs_codes or ()),
                    tenant=d.tenant_id,
                    site_only=d.visibility == Document.Visibility.OWN_SITE,
                )
                for d in docs.only(
                    "id",
                    "year",
                    "language",
                    "doc_type",
                    "sectors",
                    "markets",
                    "hs_codes",
                    "tenant_id",
                    "visibility",
                    "publisher__slug",
                ).iterator(chunk_size=2000)
            ]
            rows = (
                PassageRow(id=pid, doc_id=did, page=page, vector=bytes(vector) if vector is not None else None)
                for pid, did, page, vector in Passage.objects.filter(document__status=Document.Status.PUBLISHED)
                .order_by("document_id", "id")
                .values_list("id", "document_id", "page", "vector")
                .iterator(chunk_size=5000)
            )
            _cached["index"] = LibraryIndex.build(metas, rows)
            _cached["stamp"] = stamp
        return _cached["index"]


# --- search ------------------------------------------------------------------------------------------


@dataclass
class SearchFilters:
    language: set[str] = field(default_factory=set)
    sector: set[str] = field(default_factory=set)
    market: set[str] = field(default_factory=set)
    hs: set[str] = field(default_factory=set)
    publisher: set[str] = field(default_factory=set)
    doc_type: set[str] = field(default_factory=set)
    year_from: int | None = None
    year_to: int | None = None

    def active(self) -> bool:
        return bool(
            self.language
            or self.sector
            or self.market
            or self.hs
            or self.publisher
            or self.doc_type
            or self.year_from
            or self.year_to
        )


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist is not None else params.get(name)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    out: list[str] = []
    for item in raw:
        out.extend(part.strip() for part in str(item).split(",") if part.strip())
    return out


def parse_filters(params: Mapping[str, Any]) -> SearchFilters:
    """Filters from query parameters (repeated or comma-separated); FieldErrors naming each unknown value."""
    from ivcs.core.i18n import is_country_code

    errors: list[FieldErrors] = []
    f = SearchFilters()

    def check(name: str, values: list[str], allowed: Any, message: str) -> set[str]:
        wrong = [v for v in values if not allowed(v)]
        if wrong:
            errors.append(FieldErrors("unknown_value", message % {"v": ", ".join(wrong[:5])}, name))
        return {v for v in values if allowed(v)}

    f.language = check(
        "lang",
        [v.lower() for v in _values(params, "language")],
        DocLanguage.values.__contains__,
        _("Unknown language: %(v)s."),
    )
    f.sector = check("sector", _values(params, "sector"), Sector.values.__contains__, _("Unknown sector: %(v)s."))
    f.doc_type = check("type", _values(params, "type"), DocType.values.__contains__, _("Unknown type: %(v)s."))
    f.market = check(
        "market",
        [v.upper() for v in _values(params, "market")],
        lambda v: v == "EU" or is_country_code(v),
        _("Unknown country code: %(v)s."),
    )
    f.hs = check(
        "hs",
        [re.sub(r"[.\s]", "", v) for v in _values(params, "hs")],
        lambda v: bool(services.HS_RE.match(v)),
        _("HS codes have 2, 4 or 6 digits: %(v)s."),
    )
    slugs = _values(params, "publisher")
    if slugs:
        known = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        f.publisher = check("publisher", slugs, known.__contains__, _("Unknown publisher: %(v)s."))
    for name in ("year_from", "year_to"):
        values = _values(params, name)
        if values:
            try:
                year = int(values[0])
                if not 1900 <= year <= 2100:
                    raise ValueError
                setattr(f, name, year)
            except ValueError:
                errors.append(FieldErrors("invalid", _("Give a year such as 2024."), name))
    if f.year_from and f.year_to and f.year_from > f.year_to:
        errors.append(FieldErrors("invalid", _("The first year comes after the last."), "year_from"))
    if errors:
        raise FieldErrors.many(errors)
    return f


@dataclass
class Hit:
    document: Document
    score: float
    passage: Passage | None
    snippet: Any  # ivcs.engines.search.Snippet or None
    lexical: bool
    semantic: bool

    @property
    def page(self) -> int | None:
        return self.passage.page if self.passage is not None and self.passage.page else None


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    page: int
    pages: int
    mode: str  # "browse" (no words), "all" (every word matched), "any" (some words), "meaning" (semantic only)
    semantic: bool
    exact: bool = True  # False: a broad query matched more passages than were scored; `total` is a floor


def check_query(q: str) -> str:
    q = (q or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise FieldErrors("too_long", _("Write at most %(n)d characters.") % {"n": MAX_QUERY_CHARS}, "q")
    return q


def _query_vector(q: str) -> np.ndarray | None:
    if not settings.IVCS_LIBRARY_SEMANTIC:
        return None
    from ivcs.engines.hs.semantic import embed

    return embed([q])[0]


def search_library(
    q: str,
    filters: SearchFilters,
    *,
    tenant_id: int | None,
    page: int = 1,
    per_page: int = PER_PAGE,
    semantic: bool = True,
) -> SearchPage:
    """One page of studies for `q` (empty: browse, newest first) with facets, snippets and page numbers.

    Every word must match (in any language's stem) unless no study has them all; then any word does. The
    meaning (multilingual vectors) finds studies in other languages and with other words; both rankings
    are fused by the engine."""
    from ivcs.engines.search import Filters, parse_query, snippet

    q = check_query(q)
    page = max(1, min(int(page), MAX_PAGE))
    index = search_index()
    engine_filters = Filters(
        language=frozenset(filters.language),
        sector=frozenset(filters.sector),
        market=frozenset(filters.market),
        hs=frozenset(filters.hs),
        year_from=filters.year_from,
        year_to=filters.year_to,
        publisher=frozenset(filters.publisher),
        doc_type=frozenset(filters.doc_type),
        tenant=tenant_id,
    )
    query = parse_query(q)
    qvec = _query_vector(q) if q and semantic else None
    start, stop = (page - 1) * per_page, page * per_page
    window: list[tuple[int, int | None, float, bool, bool]] = []  # doc id, passage id, score, lexical, semantic
    if q:
        mode = "all"
        hits = fulltext.search(query, "and") if not query.is_empty else fulltext.Hits()
        if not hits and len(query.terms) > 1:
            hits = fulltext.search(query, "or")
            mode = "any"
        exact = hits.complete
        outcome = index.search(hits, qvec, engine_filters)
        if not len(outcome.lexical):
            mode = "meaning"
        window = [
            (r.doc_id, r.passage_id, r.score, r.lexical_rank is not None, r.semantic_rank is not None)
            for r in outcome.results[start:stop]
        ]
        facets_raw, total = outcome.facets, int(outcome.total)
    else:
        mode, exact = "browse", True
        order = index.browse(index.mask(engine_filters))
        window = [(int(index.doc_ids[i]), None, 0.0, False, False) for i in order[start:stop]]
        facets_raw, total = index.facets(np.flatnonzero(index.visible(tenant_id)), engine_filters), len(order)
    documents = Document.objects.select_related("publisher").in_bulk([r[0] for r in window])
    passages = Passage.objects.in_bulk([r[1] for r in window if r[1] is not None])
    out: list[Hit] = []
    for doc_id, passage_id, score, lexical, semantic in window:
        document = documents.get(doc_id)
        if document is None:
            continue
        passage = passages.get(passage_id) if passage_id is not None else None
        cut = snippet(passage.text, passage.language, query) if passage is not None else None
        out.append(Hit(document, score, passage, cut, lexical, semantic))
    selected = {
        "language": filters.language,
        "sector": filters.sector,
        "market": filters.market,
        "hs": filters.hs,
        "publisher": filters.publisher,
        "type": filters.doc_type,
    }
    facets = {
        name: [FacetValue(str(value), int(count), str(value) in selected.get(name, set())) for value, count in values]
        for name, values in facets_raw.items()
    }
    return SearchPage(q, total, out, facets, page, max(1, -(-total // per_page)), mode, qvec is not None, exact)


def matched_passages(document: Document, q: str, *, limit: int = 5) -> list[tuple[Passage, Any]]:
    """The document's passages that best answer `q` (words first, then meaning), with snippets."""
    from ivcs.engines.search import parse_query, snippet

    q = check_query(q)
    if not q:
        return []
    query = parse_query(q)
    ids = list(document.passages.exclude(page=0).values_list("id", flat=True))
    scored = sorted(fulltext.search(query, "or", limit=len(ids), passage_ids=ids), key=lambda hit: -hit[1])
    ranked: list[int] = [pid for pid, _score in scored[:limit]]
    qvec = _query_vector(q)
    if qvec is not None and len(ranked) < limit and document.status == Document.Status.PUBLISHED:
        index = search_index()
        for pid, score in index.doc_passage_ranks(document.pk, qvec):
            if len(ranked) >= limit:
                break
            if pid not in ranked and pid in ids and score >= 0.3:
                ranked.append(pid)
    passages = Passage.objects.in_bulk(ranked)
    return [
        (passages[pid], snippet(passages[pid].text, passages[pid].language, query)) for pid in ranked if pid in passages
    ]


def more_like_this(document: Document, *, tenant_id: int | None, k: int = 5) -> list[Document]:
    if document.status != Document.Status.PUBLISHED:
        return []
    from ivcs.engines.search import Filters

    index = search_index()
    mask = index.mask(Filters(tenant=tenant_id))
    ids = [int(index.doc_ids[i]) for i, _score in index.more_like_this(document.pk, k=k, mask=mask)]
    found = Document.objects.select_related("publisher").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def studies_for(
    *, hs: str | None = None, market: str | None = None, tenant_id: int | None, limit: int = 5
) -> tuple[list[Document], int]:
    """Studies tagged with a product (a code above or below it counts) and/or a market, newest first, and how
    many there are: for the other modules' pages (an HS code, an agreement's market)."""
    from ivcs.engines.search import Filters

    index = search_index()
    mask = index.mask(
        Filters(
            hs=frozenset({hs}) if hs else frozenset(),
            market=frozenset({market}) if market else frozenset(),
            tenant=tenant_id,
        )
    )
    order = index.browse(mask)
    ids = [int(index.doc_ids[i]) for i in order[:limit]]
    found = Document.objects.select_related("publisher").in_bulk(ids)
    return [found[i] for i in ids if i in found], len(order)


def studies_mentioning(words: str, *, tenant_id: int | None, limit: int = 3) -> list[Document]:
    """Studies whose text has all these words (a standard's name, say), best first: for other modules."""
    words = words.strip()[:MAX_QUERY_CHARS]
    if not words:
        return []
    found = search_library(words, SearchFilters(), tenant_id=tenant_id, per_page=limit, semantic=False)
    return [hit.document for hit in found.hits] if found.mode == "all" else []
