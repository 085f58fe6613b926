"""BM25F-style lexical index over HS6 documents made of weighted fields, in plain numpy.

A document is a list of fields, each a list of terms with a field weight (the subheading's own
descriptions 1.0, the heading's 0.35, trade names 3.0, ...; see search.FIELD_WEIGHTS). As in BM25F,
term frequencies are summed over fields *after* weighting, the document length is the weighted
length, and the saturation k1 / length normalisation b are applied once to the sum:

    score(t, d) = idf(t) * tf_w(t, d) * (k1 + 1) / (tf_w(t, d) + k1 * (1 - b + b * len_w(d) / avg_len_w))

with idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)). The per-(term, document) contribution is
computed at build time and stored as a posting list (document ids int32, scores float32), so a
query is a handful of numpy scatter operations on a dense vector of N scores.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]
Field = tuple[Sequence[str], float]  # terms, weight


class LexicalIndex:
    """Posting lists in one CSR layout: term -> slot; slot -> [offsets[slot], offsets[slot + 1]) in
    `doc_ids`/`scores`. Three flat arrays instead of two small arrays per term keep memory low."""

    def __init__(
        self, n_docs: int, terms: dict[str, int], offsets: npt.NDArray[np.int64], doc_ids: IntArray, scores: FloatArray
    ) -> None:
        self.n_docs = n_docs
        self.terms = terms
        self.offsets = offsets
        self.doc_ids = doc_ids
        self.scores = scores

    @classmethod
    def build(cls, docs: Iterable[Sequence[Field]], *, k1: float = 1.2, b: float = 0.5) -> LexicalIndex:
        """Index documents given as lists of (terms, field weight)."""
        builder = LexicalBuilder()
        for fields in docs:
            doc = builder.add_document()
            for terms, weight in fields:
                builder.add(doc, terms, weight)
        return builder.build(k1=k1, b=b)

    @classmethod
    def from_counts(
        cls, terms: dict[str, int], counts: Sequence[dict[int, float]], lengths: Sequence[float], k1: float, b: float
    ) -> LexicalIndex:
        term_ids = array("i")
        doc_of = array("i")
        tfs = array("f")
        for i, tf in enumerate(counts):
            term_ids.extend(tf.keys())
            doc_of.extend([i] * len(tf))
            tfs.extend(tf.values())
        dl = np.asarray(lengths, dtype=np.float64)
        n_docs = len(dl)
        tid = np.frombuffer(term_ids, dtype=np.int32)
        did = np.frombuffer(doc_of, dtype=np.int32)
        freq = np.frombuffer(tfs, dtype=np.float32).astype(np.float64)
        avg = float(dl.mean()) if n_docs and dl.mean() > 0 else 1.0
        df = np.bincount(tid, minlength=len(terms)).astype(np.float64)
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * dl / avg)
        score = (idf[tid] * freq * (k1 + 1) / (freq + norm[did])).astype(np.float32)
        order = np.argsort(tid, kind="stable")
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(tid, minlength=len(terms)), out=offsets[1:])
        return cls(n_docs, terms, offsets, did[order].copy(), score[order])

    def __contains__(self, term: object) -> bool:
        return term in self.terms

    def __len__(self) -> int:
        return len(self.terms)

    def posting(self, term: str) -> tuple[IntArray, FloatArray] | None:
        slot = self.terms.get(term)
        if slot is None:
            return None
        start, end = int(self.offsets[slot]), int(self.offsets[slot + 1])
        return self.doc_ids[start:end], self.scores[start:end]

    def token_scores(self, variants: Sequence[str]) -> FloatArray | None:
        """Per-document score of one query token: the best of its variants (stems), or None if unknown."""
        out: FloatArray | None = None
        for term in variants:
            posting = self.posting(term)
            if posting is None:
                continue
            doc_ids, scores = posting
            if out is None:
                out = np.zeros(self.n_docs, dtype=np.float32)
            out[doc_ids] = np.maximum(out[doc_ids], scores)  # ids are unique within a posting list
        return out

    def max_idf_score(self, variants: Sequence[str]) -> float:
        """The highest score any document gets for this token (0 when unknown)."""
        best = 0.0
        for term in variants:
            posting = self.posting(term)
            if posting is not None and len(posting[1]):
                best = max(best, float(posting[1].max()))
        return best


class LexicalBuilder:
    """Collects weighted term counts document by document (no term lists kept), then builds the index."""

    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self.counts: list[dict[int, float]] = []
        self.lengths: list[float] = []

    def add_document(self) -> int:
        self.counts.append(defaultdict(float))
        self.lengths.append(0.0)
        return len(self.counts) - 1

    def add(self, doc: int, terms: Sequence[str], weight: float) -> None:
        counts = self.counts[doc]
        for term in terms:
            counts[self.terms.setdefault(term, len(self.terms))] += weight
        self.lengths[doc] += weight * len(terms)

    def build(self, *, k1: float = 1.2, b: float = 0.5) -> LexicalIndex:
        return LexicalIndex.from_counts(self.terms, self.counts, self.lengths, k1, b)
