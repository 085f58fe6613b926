"""Reads of the chains domain: a product's inputs and uses, and the SMEs' bills of materials.

The reference graph (curated, derived and rules-of-origin links) is the same for every tenant: each
process keeps one `ChainGraph`, rebuilt when the links table changes (a stamp of row count and last
update is compared on each query). Links SMEs added to their own bills of materials ("user") are
tenant-owned: they are read per query (a small aggregate) and merged into the answer, never into the
shared graph.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

from ivcs.accounts.models import Organisation
from ivcs.accounts.permissions import Perm, can
from ivcs.chains.models import BillOfMaterials, BomInput, BomVersion, ChainEndUse, ChainLink, LinkSource
from ivcs.core.errors import UnknownValue
from ivcs.core.stamps import SharedStamp
from ivcs.engines.chains.graph import ChainGraph, Link, Node, UnknownCode, score
from ivcs.products.models import HsCode

MAX_DEPTH = 3
USER_LINK_MIN_COMPANIES = 1

_lock = threading.Lock()
_graph: ChainGraph | None = None
_stamp: tuple[Any, ...] | None = None


STAMP_KEY = "chains:links-stamp"


def _compute_stamp() -> tuple[Any, ...]:
    row = ChainLink.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return (row["n"], str(row["last"]), row["top"], ChainEndUse.objects.count())


# What the reference links look like now, one cache read per query (see ivcs.core.stamps).
STAMP = SharedStamp(STAMP_KEY, _compute_stamp)


def links_changed() -> None:
    """Call after any write to ChainLink or ChainEndUse (the import, the operator area)."""
    STAMP.drop()


def graph() -> ChainGraph:
    """The reference graph of this process, rebuilt if the links changed since it was built."""
    global _graph, _stamp
    stamp = STAMP.get()
    with _lock:
        if _graph is None or stamp != _stamp:
            rows = ChainLink.objects.values_list("input", "product", "weight", "confidence", "source", "detail")
            links = [Link(i, p, w, c, s, d) for i, p, w, c, s, d in rows.iterator(chunk_size=5000)]
            end_use = dict(ChainEndUse.objects.values_list("code", "end_use"))
            _graph, _stamp = ChainGraph.build(links, end_use), stamp
        return _graph


def forget() -> None:
    """Drop the cached graph (tests)."""
    global _graph, _stamp
    with _lock:
        _graph, _stamp = None, None


def links_loaded() -> bool:
    return len(graph()) > 0


def product_code(code: str, *, location: str = "path") -> HsCode:
    """The HS heading or subheading `code` ("0901.21" accepted); UnknownValue if malformed or absent."""
    try:
        digits = ChainGraph.normalise(code)
    except UnknownCode:
        raise UnknownValue("hs", code, location) from None  # type: ignore[arg-type]
    found = HsCode.objects.filter(code=digits).first()
    if found is None:
        raise UnknownValue("hs", code, location)  # type: ignore[arg-type]
    return found


# --- Links SMEs added to their own chains --------------------------------------------------------


def user_links(codes: Iterable[str], *, upstream: bool) -> list[Link]:
    """Links from the bills of materials of this tenant's SMEs that touch `codes` (as product when
    `upstream`, else as input), one per (input, product) with the number of companies behind it."""
    codes = list(codes)
    rows = BomInput.objects.all()
    rows = rows.filter(bom__product_id__in=codes) if upstream else rows.filter(hs_code_id__in=codes)
    counted = rows.values("hs_code_id", "bom__product_id").annotate(n=Count("bom__organisation", distinct=True))
    links = []
    for row in counted:
        n = row["n"]
        if n < USER_LINK_MIN_COMPANIES or row["hs_code_id"] == row["bom__product_id"]:
            continue
        links.append(
            Link(
                input=row["hs_code_id"],
                product=row["bom__product_id"],
                weight=min(1.0, 0.3 + 0.2 * n),
                confidence=min(0.6, 0.2 + 0.1 * n),
                source=LinkSource.USER,
                detail=f"{n}",
            )
        )
    return links


# --- A product's chain ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainQuery:
    code: str
    depth: int = 1
    level: int | None = None
    limit: int = 15
    end_use: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None


def _family(code: str) -> list[str]:
    return [code, code[:4]] if len(code) == 6 else [code]


def _merge_user(nodes: list[Node], extra: list[Link], *, upstream: bool, query: ChainQuery) -> list[Node]:
    """Add the tenant's user links to depth-1 results: a known node gains the link, a new code is
    appended (they rank after the reference links unless merged)."""
    if not extra or (query.sources is not None and LinkSource.USER not in query.sources):
        return nodes
    by_code = {node.code: node for node in nodes}
    added: dict[str, list[Link]] = defaultdict(list)
    for link in extra:
        other = link.input if upstream else link.product
        if query.level == 4:
            other = other[:4]
        if other in _family(query.code) or query.code in _family(other):
            continue
        added[other].append(link)
    out = list(nodes)
    for code, links in added.items():
        node = by_code.get(code)
        if node is not None:
            confidence = 1 - (1 - node.confidence) * _product(1 - lk.confidence for lk in links)
            merged = Node(
                code=node.code,
                weight=max(node.weight, *(lk.weight for lk in links)),
                confidence=confidence,
                score=max(node.score, score(node.weight, confidence)),
                links=(*node.links, *links),
                children=node.children,
                inherited=node.inherited,
            )
            out[out.index(node)] = merged
        else:
            weight = max(lk.weight for lk in links)
            confidence = 1 - _product(1 - lk.confidence for lk in links)
            out.append(Node(code, weight, confidence, score(weight, confidence), tuple(links)))
    return out


def _product(values: Iterable[float]) -> float:
    result = 1.0
    for value in values:
        result *= value
    return result


def chain(query: ChainQuery, g: ChainGraph | None = None) -> dict[str, Any]:
    """{"inputs": [Node], "used_in": [Node], "end_use": str|None} from the graph `g` (default: this
    process's reference graph) and the tenant's user links."""
    g = g or graph()
    kwargs: dict[str, Any] = {
        "level": query.level,
        "limit": query.limit,
        "end_use": query.end_use,
        "sources": [s for s in query.sources if s != LinkSource.USER] if query.sources else None,
    }
    if query.sources is not None and not kwargs["sources"]:
        inputs, uses = [], []
    else:
        inputs = g.inputs_of(query.code, query.depth, **kwargs)
        uses = g.used_in(query.code, query.depth, **kwargs)
    family = _family(query.code)
    inputs = _merge_user(inputs, user_links(family, upstream=True), upstream=True, query=query)
    uses = _merge_user(uses, user_links(family, upstream=False), upstream=False, query=query)
    return {
        "inputs": inputs[: query.limit + 5],
        "used_in": uses[: query.limit + 5],
        "end_use": g.end_use_of(query.code),
    }


def descriptions(codes: Iterable[str], language: str) -> dict[str, tuple[str, str]]:
    """code -> (description, language used) for the given codes, in `language` else English."""
    found = HsCode.objects.filter(code__in=set(codes)).only(
        "code", "description_en", "description_es", "description_pt"
    )
    return {c.code: c.description(language) for c in found}


def codes_in(nodes: Iterable[Node]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        out.add(node.code)
        out |= codes_in(node.children)
    return out


# --- Bills of materials ---------------------------------------------------------------------------


def editable_smes(actor: Any, organisations: Iterable[Organisation]) -> list[Organisation]:
    return [o for o in organisations if o.kind == Organisation.Kind.SME and can(actor, Perm.EDIT_ORG, o)]


def boms_of(organisations: Iterable[Organisation]) -> QuerySet[BillOfMaterials]:
    return (
        BillOfMaterials.objects.filter(organisation__in=list(organisations))
        .select_related("product", "organisation")
        .annotate(n_inputs=Count("inputs"))
        .order_by("organisation__name", "product_id", "id")
    )


def boms_for(actor: Any) -> QuerySet[BillOfMaterials]:
    """Every bill of materials `actor` may read on this tenant (its organisations' ones)."""
    from ivcs.accounts import selectors as accounts

    visible = [o for o in accounts.organisations_for(actor) if can(actor, Perm.VIEW_ORG, o)]
    return boms_of(visible)


def bom_for(actor: Any, bom_id: int | str) -> BillOfMaterials | None:
    """The bill `bom_id` if `actor` may read it (a member of its organisation, or an operator); else None,
    for "does not exist" and "not yours" alike."""
    try:
        pk = int(bom_id)
    except (TypeError, ValueError):
        return None
    bom = BillOfMaterials.objects.select_related("organisation", "product").filter(pk=pk).first()
    if bom is None or not can(actor, Perm.VIEW_ORG, bom.organisation):
        return None
    return bom


def inputs_of(bom: BillOfMaterials) -> list[BomInput]:
    return list(BomInput.objects.filter(bom=bom).select_related("hs_code").order_by("position", "id"))


def versions_of(bom: BillOfMaterials) -> QuerySet[BomVersion]:
    return BomVersion.objects.filter(bom=bom).select_related("saved_by").order_by("-version")


def bom_data(bom: BillOfMaterials, language: str, rows: list[BomInput] | None = None) -> dict[str, Any]:
    """The API's shape of a bill of materials (also what is exported as JSON)."""
    rows = inputs_of(bom) if rows is None else rows
    text, lang = bom.product.description(language)
    total = sum((r.value_share for r in rows if r.value_share is not None), start=0)
    return {
        "id": bom.pk,
        "organisation": bom.organisation.slug,
        "product": {"code": bom.product_id, "description": text, "description_language": lang},
        "name": bom.name,
        "notes": bom.notes,
        "version": bom.version,
        "inputs": [
            {
                "hs": r.hs_code_id,
                "hs_description": r.hs_code.description(language)[0],
                "description": r.description,
                "origin": r.origin or None,
                "supplier": r.supplier,
                "value_share": None if r.value_share is None else float(r.value_share),
                "originating_declared": {"yes": True, "no": False}.get(r.originating),
            }
            for r in rows
        ],
        "value_share_total": float(total),
        "created_at": bom.created_at,
        "updated_at": bom.updated_at,
    }
