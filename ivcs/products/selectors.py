"""Reads of the products domain: HS codes, HS search and the understanding of a free-text sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ivcs.products.adapters import search_index
from ivcs.products.models import HsCode

MAX_QUERY_CHARS = 500
MAX_SENTENCE_CHARS = 1000


def hs_language(request: Any, asked: str | None = None) -> str:
    """The language of HS descriptions (es, pt, en): the one asked for, else the request's."""
    from ivcs.core.i18n import normalise_language

    code = normalise_language(asked) or request.LANGUAGE_CODE
    return "pt" if code == "pt-br" else code


def hs_code(code: str) -> HsCode | None:
    from ivcs.engines.hs.nomenclature import normalise_code

    digits = normalise_code(code)
    if digits is None:
        return None
    return HsCode.objects.select_related("parent__parent").filter(code=digits).first()


def ancestors(code: HsCode) -> list[HsCode]:
    out = []
    parent = code.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return list(reversed(out))


def children(code: HsCode) -> QuerySet[HsCode]:
    return HsCode.objects.filter(parent=code).order_by("code")


def nomenclature_loaded() -> bool:
    return HsCode.objects.exists()


def search_hs(query: str, *, lang: str | None, limit: int = 10) -> Any:
    """The engine's HsSearchResult, or None when the nomenclature has not been imported."""
    index = search_index()
    if index is None:
        return None
    return index.search(query[:MAX_QUERY_CHARS], lang=lang, limit=limit)


@dataclass(frozen=True)
class Understood:
    understanding: Any  # ivcs.engines.nlq.Understanding
    loaded: bool


def understand_sentence(text: str, *, lang: str | None, profile_country: str | None = None) -> Understood:
    from ivcs.engines.nlq import ProductHit, understand

    index = search_index()

    def find_products(phrase: str, language: str) -> list[Any]:
        if index is None:
            return []
        # One product per phrase: the best code; the alternatives are offered separately (search_hs).
        result = index.search(phrase, lang=language, limit=1)
        return [ProductHit(code=m.code, description=m.description, score=m.score) for m in result.results]

    understanding = understand(
        text[:MAX_SENTENCE_CHARS], lang=lang, profile_country=profile_country, find_products=find_products
    )
    return Understood(understanding, index is not None)
