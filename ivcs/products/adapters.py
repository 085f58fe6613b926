"""Between the database and the HS engine: the nomenclature as plain data, and the search index
kept per process and rebuilt when the HS table changes (version stamp: row count + last update)."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from ivcs.engines.hs.nomenclature import HS_VINTAGE, HsEntry, Nomenclature
from ivcs.products.models import HsCode

_lock = threading.Lock()
_cached: dict[str, Any] = {"stamp": None, "index": None, "nomenclature": None}


def nomenclature_from_db() -> Nomenclature:
    entries: dict[str, HsEntry] = {}
    children: dict[str, list[str]] = defaultdict(list)
    vintage = HS_VINTAGE
    for row in HsCode.objects.all().iterator(chunk_size=2000):
        descriptions = {
            lang: text
            for lang, text in (("en", row.description_en), ("es", row.description_es), ("pt", row.description_pt))
            if text
        }
        sources = {lang: getattr(row, f"source_{lang}") for lang in descriptions}
        entries[row.code] = HsEntry(
            code=row.code,
            level=row.level,
            parent=row.parent_id,
            section=row.section,
            descriptions=descriptions,
            sources=sources,
            search_text=dict(row.search_text or {}),
        )
        if row.parent_id:
            children[row.parent_id].append(row.code)
        vintage = row.vintage
    return Nomenclature(entries=entries, children={k: tuple(sorted(v)) for k, v in children.items()}, vintage=vintage)


def _stamp() -> tuple[int, object]:
    aggregate = HsCode.objects.aggregate(n=Count("code"), last=Max("updated_at"))
    return aggregate["n"], aggregate["last"]


def search_index() -> Any:
    """The HsSearchIndex over the database's nomenclature, or None when it has not been imported."""
    from ivcs.engines.hs.search import HsSearchIndex
    from ivcs.engines.hs.trade_names import load_trade_names

    stamp = _stamp()
    if stamp[0] == 0:
        return None
    with _lock:
        if _cached["stamp"] != stamp:
            nomenclature = nomenclature_from_db()
            _cached["index"] = HsSearchIndex.build(
                nomenclature,
                load_trade_names(),
                semantic=settings.IVCS_HS_SEMANTIC,
                cache_dir=settings.VAR_DIR / "cache" / "hs",
            )
            _cached["nomenclature"] = nomenclature
            _cached["stamp"] = stamp
        return _cached["index"]
