"""LibraryIndex: filters and disjunctive facets against brute force, two-stage semantic search against
exact passage search, lexical aggregation, fusion of the two, browse, more-like-this, visibility."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivcs.engines.search.index import DIM, DocMeta, Filters, LibraryIndex, PassageRow

LANGS = ["es", "pt", "en"]
SECTORS = ["food_beverage", "ict", "textiles", "clothing_fashion", "other"]
MARKETS = ["US", "JP", "DE", "CN", "EU", "BR"]
HS = ["09", "0901", "090121", "6109", "610910", "8523", "85"]
PUBLISHERS = ["procolombia", "apex", "promperu"]
TYPES = ["market_study", "guide", "report"]


def _unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    rows = rng.standard_normal((n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def corpus(seed: int, n_docs: int = 40, max_passages: int = 6, vectorless: float = 0.1):
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    docs, rows, vectors = [], [], {}
    pid = 1000
    for i in range(n_docs):
        doc_id = 10 + 3 * i
        docs.append(
            DocMeta(
                id=doc_id,
                year=pick.choice([None, 2019, 2020, 2021, 2022, 2023]),
                language=pick.choice(LANGS),
                publisher=pick.choice(PUBLISHERS),
                doc_type=pick.choice(TYPES),
                sectors=tuple(pick.sample(SECTORS, pick.randint(0, 2))),
                markets=tuple(pick.sample(MARKETS, pick.randint(0, 3))),
                hs=tuple(pick.sample(HS, pick.randint(0, 2))),
                tenant=pick.choice([1, 2]),
                site_only=pick.random() < 0.3,
            )
        )
        for _ in range(pick.randint(0, max_passages)):
            pid += pick.randint(1, 3)
            if pick.random() < vectorless:
                rows.append(PassageRow(pid, doc_id, pick.randint(1, 9), None))
            else:
                vector = _unit_rows(rng, 1)[0].astype(np.float16)
                vectors[pid] = vector.astype(np.float32)
                rows.append(PassageRow(pid, doc_id, pick.randint(1, 9), vector.tobytes()))
    pick.shuffle(rows)  # the index must not rely on the order of the rows
    return docs, rows, vectors


def brute_visible(doc: DocMeta, f: Filters, skip: str = "") -> bool:
    """The filter rules written out, one document at a time."""
    checks = {
        "tenant": (not doc.site_only) or (f.tenant is not None and doc.tenant == f.tenant),
        "language": not f.language or doc.language in f.language,
        "publisher": not f.publisher or doc.publisher in f.publisher,
        "type": not f.doc_type or doc.doc_type in f.doc_type,
        "sector": not f.sector or bool(set(doc.sectors) & set(f.sector)),
        "market": not f.market or bool(set(doc.markets) & set(f.market)),
        "hs": not f.hs or any(c.startswith(w) or w.startswith(c) for c in doc.hs for w in f.hs),
        "year": (f.year_from is None and f.year_to is None)
        or (
            doc.year is not None
            and (f.year_from is None or doc.year >= f.year_from)
            and (f.year_to is None or doc.year <= f.year_to)
        ),
    }
    return all(ok for name, ok in checks.items() if name != skip)


FILTERS = st.builds(
    Filters,
    language=st.frozensets(st.sampled_from([*LANGS, "fr"]), max_size=2),
    sector=st.frozensets(st.sampled_from(SECTORS), max_size=2),
    market=st.frozensets(st.sampled_from(MARKETS), max_size=2),
    hs=st.frozensets(st.sampled_from(["0", "09", "0901", "09012199", "61", "8523", "1"]), max_size=2),
    year_from=st.one_of(st.none(), st.integers(2018, 2024)),
    year_to=st.one_of(st.none(), st.integers(2018, 2024)),
    publisher=st.frozensets(st.sampled_from(PUBLISHERS), max_size=2),
    doc_type=st.frozensets(st.sampled_from(TYPES), max_size=2),
    tenant=st.one_of(st.none(), st.sampled_from([1, 2, 3])),
)


@pytest.fixture(scope="module")
def built():
    docs, rows, vectors = corpus(1)
    return LibraryIndex.build(docs, rows), docs, rows, vectors


@settings(max_examples=150, deadline=None)
@given(FILTERS, st.integers(0, 5))
def test_mask_and_disjunctive_facets_match_brute_force(f: Filters, seed: int) -> None:
    docs, rows, _ = corpus(seed)
    index = LibraryIndex.build(docs, rows)
    by_idx = index.docs
    assert list(np.flatnonzero(index.mask(f))) == [i for i, d in enumerate(by_idx) if brute_visible(d, f)]

    candidates = np.array([i for i in range(len(by_idx)) if i % 3 != 1])
    facets = index.facets(candidates, f, limit=100)
    facet_filter = {"language": "language", "publisher": "publisher", "type": "type", "sector": "sector",
                    "market": "market", "hs": "hs", "year": "year"}  # fmt: skip
    values = {
        "language": lambda d: [d.language], "publisher": lambda d: [d.publisher], "type": lambda d: [d.doc_type],
        "sector": lambda d: set(d.sectors), "market": lambda d: set(d.markets),
        "hs": lambda d: {c[:2] for c in d.hs}, "year": lambda d: [d.year] if d.year else [],
    }  # fmt: skip
    for name, skip in facet_filter.items():
        expected: dict[object, int] = {}
        for i in candidates:
            if brute_visible(by_idx[i], f, skip=skip):
                for value in values[name](by_idx[i]):
                    expected[value] = expected.get(value, 0) + 1
        assert dict(facets[name]) == expected, name
        counts = [count for _, count in facets[name]]
        assert counts == sorted(counts, reverse=True)


def test_facet_limit_and_disjunction() -> None:
    docs = [DocMeta(i, 2020, LANGS[i % 3], "p", "guide", markets=(f"M{i % 40:02d}",)) for i in range(1, 121)]
    index = LibraryIndex.build(docs, [])
    facets = index.facets(np.arange(120), Filters(language={"es"}))
    assert len(facets["market"]) == 30
    assert dict(facets["language"]) == {"es": 40, "pt": 40, "en": 40}  # its own filter does not count
    assert sum(count for _, count in facets["market"]) == 30  # the others do: 40 es docs over 40 markets


def test_site_only_documents_are_visible_on_their_site_only() -> None:
    docs = [
        DocMeta(1, 2020, "es", "p", "guide", tenant=1, site_only=True),
        DocMeta(2, 2020, "es", "p", "guide", tenant=2),
    ]
    index = LibraryIndex.build(docs, [])
    assert list(index.mask(Filters(tenant=1))) == [True, True]
    assert list(index.mask(Filters(tenant=2))) == [False, True]
    assert list(index.mask(Filters())) == [False, True]


def brute_semantic(index: LibraryIndex, vectors: dict[int, np.ndarray], q: np.ndarray, mask, min_score: float):
    """Exact passage search: every passage of every visible doc, best per doc (float16 originals)."""
    best: dict[int, float] = {}
    for pid, vector in vectors.items():
        i = int(index.passage_index([pid])[0])
        doc = int(index.passage_doc[i])
        if mask[doc]:
            best[doc] = max(best.get(doc, -2.0), float(vector @ q))
    return sorted(((d, s) for d, s in best.items() if s >= min_score), key=lambda pair: (-pair[1], pair[0]))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), FILTERS)
def test_two_stage_semantic_equals_brute_force_when_candidates_cover(seed: int, f: Filters) -> None:
    docs, rows, vectors = corpus(seed % 7)
    index = LibraryIndex.build(docs, rows)
    rng = np.random.default_rng(seed)
    target = list(vectors.values())[seed % len(vectors)]
    q = target + 0.05 * rng.standard_normal(DIM).astype(np.float32)
    q /= np.linalg.norm(q)
    mask = index.mask(f)
    got = index.semantic(q, mask, k_docs=100, min_score=-1.0, relative=0.0)
    expected = brute_semantic(index, vectors, q, mask, -1.0)
    assert [hit.doc_idx for hit in got] == [d for d, _ in expected] or np.allclose(
        sorted(hit.score for hit in got), sorted(s for _, s in expected), atol=0.01
    )
    assert np.allclose([hit.score for hit in got], [s for _, s in expected], atol=0.01)
    for hit in got:  # the reported passage belongs to the doc and carries its best score
        assert index.passage_doc[hit.passage_idx] == hit.doc_idx
        assert abs(float(vectors[int(index.passage_ids[hit.passage_idx])] @ q) - hit.score) < 0.01


def test_semantic_finds_the_target_and_respects_min_score(built) -> None:
    index, _, _, vectors = built
    pid, vector = next(iter(vectors.items()))
    hits = index.semantic(vector, index.visible(None) | True, k_docs=5)
    assert index.passage_ids[hits[0].passage_idx] == pid and hits[0].score > 0.99
    assert all(hit.score >= 0.22 for hit in hits)  # random unit vectors are ~0 apart: only the target
    assert len(hits) == 1


def test_semantic_keeps_only_hits_near_the_best(built) -> None:
    """A hit must reach `relative` times the best hit's cosine, as well as the absolute floor."""
    index, _, _, vectors = built
    items = list(vectors.items())
    doc_of = {pid: int(index.passage_doc[int(index.passage_index([pid])[0])]) for pid, _ in items}
    first_pid, first = items[0]
    second = next(v for pid, v in items if doc_of[pid] != doc_of[first_pid])
    # A query between two passages, nearer the first: cosines ~0.85 and ~0.45.
    q = 0.9 * first + 0.4 * second
    q /= np.linalg.norm(q)
    everything = index.visible(None) | True
    both = index.semantic(q, everything, k_docs=5, relative=0.0)
    assert len(both) == 2 and both[1].score < 0.6 * both[0].score
    only_best = index.semantic(q, everything, k_docs=5, relative=0.6)
    assert [hit.doc_idx for hit in only_best] == [both[0].doc_idx]


def test_quantisation_error_is_small(built) -> None:
    index, _, _, vectors = built
    rng = np.random.default_rng(5)
    q = _unit_rows(rng, 1)[0]
    for pid, vector in list(vectors.items())[:50]:
        i = int(index.passage_index([pid])[0])
        assert abs(float(index.passage_vector(i) @ q) - float(vector @ q)) < 0.005


def test_lexical_aggregates_per_document(built) -> None:
    index, _, rows, _ = built
    by_doc: dict[int, list[int]] = {}
    for row in sorted(rows):
        by_doc.setdefault(row.doc_id, []).append(row.id)
    (d1, p1), (d2, p2) = [(d, ps) for d, ps in by_doc.items() if len(ps) >= 3][:2]
    hits = [(p1[0], 5.0), (p1[1], 9.0), (p2[0], 9.3), (999_999, 50.0), (p1[2], 1.0)]
    ranked = index.lexical(hits, np.ones(index.n_docs, dtype=bool))
    assert [index.docs[h.doc_idx].id for h in ranked] == [d1, d2]  # 9 * (1 + 2 * 0.02) = 9.36 > 9.3
    assert index.passage_ids[ranked[0].passage_idx] == p1[1] and ranked[0].matches == 3
    assert ranked[0].score == pytest.approx(9.0 * 1.04)
    assert ranked[1].matches == 1 and ranked[1].score == 9.3
    only_d2 = np.zeros(index.n_docs, dtype=bool)
    only_d2[index.doc_index(d2)] = True
    assert [index.docs[h.doc_idx].id for h in index.lexical(hits, only_d2)] == [d2]
    assert len(index.lexical([], only_d2)) == 0


def test_fuse_prefers_lexical_passage_and_keeps_ranks(built) -> None:
    index, _, rows, vectors = built
    pid, vector = next(iter(vectors.items()))
    doc_idx = int(index.passage_doc[index.passage_index([pid])[0]])
    other = next(r for r in rows if r.doc_id == index.docs[doc_idx].id and r.id != pid)
    third = next(r for r in rows if r.doc_id != index.docs[doc_idx].id)
    everything = np.ones(index.n_docs, dtype=bool)
    lexical = index.lexical([(third.id, 3.0), (other.id, 2.0)], everything)
    semantic = index.semantic(vector, everything, k_docs=5)
    results = index.fuse(lexical, semantic)
    assert results[0].doc_idx == doc_idx and results[0].lexical_rank == 2 and results[0].semantic_rank == 1
    assert results[0].passage_id == other.id  # the lexical passage is shown
    assert results[1].semantic_rank is None and results[1].passage_id == third.id
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_search_outcome_filters_results_not_facets(built) -> None:
    index, _docs, rows, _ = built
    hits = [(row.id, 1.0 + i) for i, row in enumerate(sorted(rows)[:40])]
    f = Filters(language={"es"}, tenant=1)
    outcome = index.search(hits, None, f)
    assert all(index.docs[r.doc_idx].language == "es" for r in outcome.results)
    assert {value for value, _ in outcome.facets["language"]} - {"es"}  # the other languages still counted
    assert all(index.mask(f)[r.doc_idx] for r in outcome.results)


def test_browse_newest_first(built) -> None:
    index, *_ = built
    order = index.browse(index.visible(1))
    years = [index.docs[i].year or 0 for i in order]
    assert years == sorted(years, reverse=True)
    assert set(order) == set(np.flatnonzero(index.visible(1)))
    assert list(index.browse(index.visible(1), order="id")) == sorted(np.flatnonzero(index.visible(1)), reverse=True)


def test_more_like_this_excludes_itself(built) -> None:
    index, _docs, _, _ = built
    doc = next(d for d in index.docs if index.doc_has_vector[index.doc_index(d.id)])
    similar = index.more_like_this(doc.id, k=5)
    assert len(similar) == 5 and index.doc_index(doc.id) not in [i for i, _ in similar]
    assert [s for _, s in similar] == sorted((s for _, s in similar), reverse=True)
    assert index.more_like_this(-1) == []


def test_doc_passage_ranks(built) -> None:
    index, _, rows, vectors = built
    pid, vector = next(iter(vectors.items()))
    doc_id = next(r.doc_id for r in rows if r.id == pid)
    ranks = index.doc_passage_ranks(doc_id, vector)
    assert ranks[0][0] == pid and ranks[0][1] > 0.99
    assert {p for p, _ in ranks} == {r.id for r in rows if r.doc_id == doc_id and r.vector is not None}


def test_documents_without_vectors_are_absent_from_semantic() -> None:
    docs = [DocMeta(1, 2020, "es", "p", "guide"), DocMeta(2, 2020, "es", "p", "guide")]
    vector = _unit_rows(np.random.default_rng(0), 1)[0]
    index = LibraryIndex.build(
        docs, [PassageRow(5, 1, 1, None), PassageRow(6, 2, 1, vector.astype(np.float16).tobytes())]
    )
    hits = index.semantic(vector, np.ones(2, dtype=bool), min_score=-1.0, relative=0.0)
    assert [h.doc_idx for h in hits] == [1]
    assert index.semantic(vector, np.zeros(2, dtype=bool)) == []
    assert LibraryIndex.build([], []).semantic(vector, np.zeros(0, dtype=bool)) == []


@pytest.mark.parametrize("spacing", [1, 7, 10**9])
def test_passage_lookup_dense_and_sparse_ids(spacing: int) -> None:
    docs = [DocMeta(1, 2020, "es", "p", "guide"), DocMeta(2, 2020, "es", "p", "guide")]
    ids = [5 + spacing * i for i in range(6)]
    rows = [PassageRow(pid, 1 + (i % 2), 1, None) for i, pid in enumerate(ids)]
    index = LibraryIndex.build(docs, rows)
    found = index.passage_index([*ids, 4, ids[-1] + 1, -3])
    assert [int(index.passage_ids[i]) for i in found[:6]] == ids
    assert list(found[6:]) == [-1, -1, -1]
    ranked = index.lexical([(ids[0], 1.0), (ids[1], 2.0), (123, 9.0)], np.ones(2, dtype=bool))
    assert [h.doc_idx for h in ranked] == [1, 0]


def test_fuse_limit_and_total(built) -> None:
    index, _, rows, _ = built
    hits = [(row.id, float(i)) for i, row in enumerate(sorted(rows))]
    outcome = index.search(hits, None, Filters(tenant=1), limit=3)
    assert len(outcome.results) == 3 and outcome.total == len(outcome.lexical) > 3
    everything = index.fuse(outcome.lexical, [])
    assert [r.doc_idx for r in everything[:3]] == [r.doc_idx for r in outcome.results]
