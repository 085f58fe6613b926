"""The lexical half of the library's search: the database's own full-text index, behind one interface.

- SQLite: an FTS5 table `library_passage_fts` (rowid = passage id) holding each passage's analysed
  text (folded, stop words dropped, stemmed in the passage's language by ivcs.engines.search.analysis),
  ranked with FTS5's bm25. `detail=column` keeps the index about half the size of the default: we
  never ask for phrases, only for words.
- PostgreSQL: a `tsv` tsvector column on library_passage, built with the passage language's text
  search configuration (spanish, portuguese, english, simple) over the accent-folded text, with a GIN
  index; queries are the user's words under each configuration, OR-ed, ranked with ts_rank_cd.

Both answer the same question — the best passages for a query, with a higher-is-better score — so the
ranking engine never knows which database it runs on. The queries take the engine's analysed Query,
never the raw text: whatever the user types cannot break the SQL or the FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from django.db import connection

from ivcs.engines.search.analysis import Query, index_text
from ivcs.engines.text import fold

PG_CONFIGS = {"es": "spanish", "pt": "portuguese", "en": "english"}
SCORED = 2_000  # matching passages a query scores at most; a broader match scores its newest (see search)
_PG_QUERY = (
    "(to_tsquery('spanish', %s) || to_tsquery('portuguese', %s) || to_tsquery('english', %s)"
    " || to_tsquery('simple', %s))"
)
_BATCH = 1000

Mode = Literal["and", "or"]


def _vendor() -> str:
    return connection.vendor


def install_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            "CREATE VIRTUAL TABLE IF NOT EXISTS library_passage_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2', detail = column)"
        ]
    if vendor == "postgresql":
        return [
            "ALTER TABLE library_passage ADD COLUMN IF NOT EXISTS tsv tsvector",
            "CREATE INDEX IF NOT EXISTS library_passage_tsv_idx ON library_passage USING gin (tsv)",
        ]
    raise NotImplementedError(f"no full-text search for the {vendor} database")


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return ["DROP TABLE IF EXISTS library_passage_fts"]
    if vendor == "postgresql":
        return ["DROP INDEX IF EXISTS library_passage_tsv_idx", "ALTER TABLE library_passage DROP COLUMN IF EXISTS tsv"]
    return []


def index_passages(rows: Iterable[tuple[int, str, str]]) -> int:
    """Add (or replace) passages in the full-text index: (passage id, language, text). Returns the count."""
    vendor, count = _vendor(), 0
    batch: list[tuple[int, str, str]] = []

    def flush() -> None:
        if not batch:
            return
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                ids = [(pid,) for pid, _, _ in batch]
                cursor.executemany("DELETE FROM library_passage_fts WHERE rowid = %s", ids)
                cursor.executemany(
                    "INSERT INTO library_passage_fts (rowid, body) VALUES (%s, %s)",
                    [(pid, index_text(text, language)) for pid, language, text in batch],
                )
            else:
                cursor.executemany(
                    "UPDATE library_passage SET tsv = to_tsvector(%s::regconfig, %s) WHERE id = %s",
                    [(PG_CONFIGS.get(language, "simple"), fold(text), pid) for pid, language, text in batch],
                )
        batch.clear()

    for row in rows:
        batch.append(row)
        count += 1
        if len(batch) >= _BATCH:
            flush()
    flush()
    return count


def delete_passages(passage_ids: Sequence[int]) -> None:
    """Drop passages from the index (SQLite only: on PostgreSQL the column goes with its row)."""
    if _vendor() != "sqlite" or not passage_ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(passage_ids), _BATCH):
            chunk = list(passage_ids[start : start + _BATCH])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM library_passage_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608


def delete_documents(doc_ids: Sequence[int]) -> None:
    """Drop every passage of these documents from the index (call before deleting the passages)."""
    if _vendor() != "sqlite" or not doc_ids:
        return
    from ivcs.library.models import Passage

    delete_passages(list(Passage.objects.filter(document_id__in=doc_ids).values_list("id", flat=True)))


def clear() -> None:
    """Empty the index (library-reindex rebuilds it from the passages)."""
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute("DELETE FROM library_passage_fts")
        else:
            cursor.execute("UPDATE library_passage SET tsv = NULL")


def _parts(query: Query, mode: Mode, vendor: str) -> tuple[str, str, str, str, list[Any]] | None:
    """(FROM, id column, score expression, match condition, parameters), or None when nothing can match."""
    if vendor == "sqlite":
        expression = query.fts5(mode)
        if not expression:
            return None
        table = "library_passage_fts"
        return table, "rowid", f"-bm25({table})", f"{table} MATCH %s", [expression]
    words = [word for word in query.words if word]
    if not words:
        return None
    text = (" & " if mode == "and" else " | ").join(words)
    source = f"library_passage p, (SELECT {_PG_QUERY} AS query) q"
    return source, "p.id", "ts_rank_cd(p.tsv, q.query)", "p.tsv @@ q.query", [text, text, text, text]


class Hits(list[tuple[int, float]]):
    """(passage id, score) pairs, higher is better; `complete` is False when more passages matched than were
    scored (a broad query): totals and facets then count the scored ones only."""

    complete: bool = True


def search(query: Query, mode: Mode = "and", limit: int = SCORED, passage_ids: Sequence[int] | None = None) -> Hits:
    """The passages that match `query`, at most `limit`, unordered (the engine ranks them).

    Scoring (bm25 / ts_rank_cd) costs per matching row, and a broad query ("export" in 100,000 studies
    matches 40,000 passages) would spend hundreds of milliseconds on it; so a query scores at most `limit`
    matching passages, the newest (highest ids) first, and says when it stopped (`Hits.complete`). The
    semantic ranking, fused with this one, brings the older studies that answer the query best.
    `passage_ids` limits the search to some passages (those of one document, for its page)."""
    hits = Hits()
    if query.is_empty or (passage_ids is not None and not passage_ids):
        return hits
    parts = _parts(query, mode, _vendor())
    if parts is None:
        return hits
    source, pid, score, where, params = parts
    if passage_ids is not None:
        ids = list(passage_ids)
        where += f" AND {pid} IN ({', '.join(['%s'] * len(ids))})"
        params = [*params, *ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pid}, {score} FROM {source} WHERE {where} ORDER BY {pid} DESC LIMIT %s",  # noqa: S608
            [*params, limit + 1],
        )
        rows = cursor.fetchall()
    hits.extend((int(row_id), float(value)) for row_id, value in rows[:limit])
    hits.complete = len(rows) <= limit
    return hits
