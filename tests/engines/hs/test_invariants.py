"""Invariants on any input (hypothesis), determinism, the cache, and a build without semantics."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivcs.engines.hs import semantic
from ivcs.engines.hs.nomenclature import default_nomenclature
from ivcs.engines.hs.search import HsSearchIndex
from ivcs.engines.hs.trade_names import TradeName

WORDS = st.sampled_from(
    [
        "café",
        "cafe",
        "tostado",
        "camisetas",
        "algodão",
        "frozen",
        "shrimp",
        "0901",
        "09",
        "y",
        ",",
        "de",
        "😀",
        "<b>",
        "';--",
        "miel",
        "xxxx",
        "castanha-do-pará",
        "premium",
        "empresa",
        "\n",
        "6109.10",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=12).map(" ".join)), limit=st.integers(0, 15))
def test_any_text_gives_sorted_valid_results(index: HsSearchIndex, text: str, limit: int) -> None:
    result = index.search(text, limit=limit)
    entries = default_nomenclature().entries
    assert len(result.results) <= limit
    scores = [m.score for m in result.results]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert all(m.code in entries for m in result.results)
    assert len({m.code for m in result.results}) == len(result.results)
    assert result.language in {"es", "pt", "en"}


def test_search_is_deterministic(index: HsSearchIndex) -> None:
    queries = ["palta hass", "camisetas de algodón", "we roast coffee", "café y cacao"]
    first = [index.search(q) for q in queries]
    assert first == [index.search(q) for q in queries]


def test_build_without_semantics_and_with_a_small_trade_list(tmp_path: Path) -> None:
    started = time.perf_counter()
    names = [TradeName("zumbidor", "es", ("0409",)), TradeName("abacaxi pérola", "pt", ("080430",))]
    lexical_only = HsSearchIndex.build(default_nomenclature(), names, semantic=False)
    assert time.perf_counter() - started < 60
    assert lexical_only.search("zumbidor").results[0].code[:4] == "0409"
    assert lexical_only.search("abacaxi perola").results[0].code == "080430"


def test_vector_cache_is_reused_and_extended(tmp_path: Path) -> None:
    first = semantic.embed_cached(["café tostado", "miel"], tmp_path)
    assert (tmp_path / "use3_vectors.npy").exists()
    again = semantic.embed_cached(["miel", "café tostado", "cacao"], tmp_path)
    assert (again[1] == first[0]).all() and (again[0] == first[1]).all()
    assert len((tmp_path / "use3_vectors.keys").read_text().split()) == 3
    (tmp_path / "use3_vectors.npy").write_bytes(b"broken")
    assert semantic.embed_cached(["miel"], tmp_path).shape == (1, semantic.DIM)


def test_batched_embedding_matches_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["café tostado", "miel de abeja", "camisetas de algodón", "frozen shrimp", "Partes"]
    whole = semantic.embed(texts)
    monkeypatch.setattr(semantic, "EMBED_BATCH", 2)
    out = np.zeros((len(texts), semantic.DIM), dtype=np.float32)
    semantic.embed_into(texts, out, list(range(len(texts))))
    assert np.allclose(out, whole, atol=1e-5)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_semantic_index_stores_a_shared_text_once(tmp_path: Path) -> None:
    rows = [(0, "Partes"), (1, "Partes"), (1, "miel"), (3, "café")]
    index = semantic.SemanticIndex.build(rows, 4, tmp_path)
    assert index.matrix.shape == (3, semantic.DIM)
    query = semantic.embed(["miel de abeja"])[0]
    scores = index.scores(query)
    vectors = {text: semantic.embed([text])[0] for text in ("Partes", "miel", "café")}
    assert scores[2] == -1.0
    assert scores[0] == pytest.approx(float(vectors["Partes"] @ query), abs=1e-5)
    assert scores[1] == pytest.approx(max(float(vectors[t] @ query) for t in ("Partes", "miel")), abs=1e-5)
    assert scores[3] == pytest.approx(float(vectors["café"] @ query), abs=1e-5)
