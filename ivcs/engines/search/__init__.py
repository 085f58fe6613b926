"""Library search engine: text analysis, passage splitting, the in-memory index, fusion and snippets.

Framework-free (numpy, snowballstemmer). The database keeps documents, passages, their float16 vectors
and the full-text index (fed with `index_text`, queried with `Query.fts5` or `Query.words`); a
`LibraryIndex` built from plain rows does the rest of a query:

    query = parse_query(q)
    hits = <database full-text search>(query)            # [(passage_id, higher-is-better score)]
    outcome = index.search(hits, query_vector, filters)  # mask, lexical + semantic, RRF, facets
    snippet(passage_text, language, query).html()

Cost model per query, N_docs documents of P passages on average:
* mask: O(N_docs) vectorised comparisons (a few µs per 10,000 docs);
* semantic stage one: one float32 sgemv over the doc vectors, O(N_docs·512), ~2 KB read per doc;
* semantic stage two: O(candidates·P·512) on gathered int8 rows (candidates = 4·k_docs = 400);
* lexical aggregation: O(hits log hits); fusion O(results); facets O(candidates);
* snippets: O(words of the shown passages), stems memoised.
Memory: ~545 bytes per passage (int8 vector 512 + scale 4 + ids/pages/lookup) plus ~2.1 KB per document
(float32 doc vector) and its facet codes.
"""

from ivcs.engines.search.analysis import (
    LANGUAGES,
    MAX_TERMS,
    STOP_WORDS,
    Query,
    Term,
    highlight_tokens,
    index_text,
    parse_query,
)
from ivcs.engines.search.fusion import rrf, rrf_arrays
from ivcs.engines.search.index import (
    DIM,
    MIN_SCORE,
    DocMeta,
    Filters,
    LexicalHit,
    LexicalRanking,
    LibraryIndex,
    PassageRow,
    Result,
    SearchOutcome,
    SemanticHit,
)
from ivcs.engines.search.passages import PassageText, split
from ivcs.engines.search.snippets import Snippet, snippet

__all__ = [
    "DIM",
    "LANGUAGES",
    "MAX_TERMS",
    "MIN_SCORE",
    "STOP_WORDS",
    "DocMeta",
    "Filters",
    "LexicalHit",
    "LexicalRanking",
    "LibraryIndex",
    "PassageRow",
    "PassageText",
    "Query",
    "Result",
    "SearchOutcome",
    "SemanticHit",
    "Snippet",
    "Term",
    "highlight_tokens",
    "index_text",
    "parse_query",
    "rrf",
    "rrf_arrays",
    "snippet",
    "split",
]
