"""A naive reading of the chain semantics: one linear scan over every link per query, no index.

It implements the level merging, filters and ordering of `ChainGraph.inputs_of` / `used_in` at depth 1
as directly as they are written in graph.py's docstring, so the tests use it as an oracle and
bench/chains.py as the baseline (what a query costs without the adjacency lists). Give it
`ChainGraph.links` (normalised and de-duplicated); it returns (code, score, confidence, weight,
inherited) tuples, best first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from ivcs.engines.chains.graph import INHERITED_DISCOUNT, UNCLASSIFIED, Link, related, score

Result = tuple[str, float, float, float, bool]


def neighbours(
    links: Sequence[Link],
    code: str,
    *,
    inputs: bool = True,
    level: int | None = None,
    limit: int | None = None,
    end_use_of: Callable[[str], str | None] | None = None,
    end_use: Collection[str | None] | None = None,
    min_confidence: float = 0.0,
    sources: Collection[str] | None = None,
) -> list[Result]:
    """The inputs of `code` (or, with inputs=False, its uses) by scanning `links`; `code` normalised."""
    found: dict[str, list[tuple[Link, bool]]] = {}
    for link in links:
        here, there = (link.product, link.input) if inputs else (link.input, link.product)
        if not related(here, code) or (sources is not None and link.source not in sources):
            continue
        inherited = len(here) < len(code)  # the link is stored on the queried code's heading
        key = there[:4] if level == 4 else there
        found.setdefault(key, []).append((link, inherited))
    if level == 6:
        for heading in [c for c in found if len(c) == 4]:
            subs = [c for c in found if len(c) == 6 and c.startswith(heading)]
            for sub in subs:
                found[sub] = found[sub] + found[heading]
            if subs:
                del found[heading]
    out: list[Result] = []
    for other, support in found.items():
        if related(other, code):
            continue
        confidence = 1.0
        for link, _ in support:
            confidence *= 1.0 - link.confidence
        confidence = 1.0 - confidence
        weight = max(link.weight for link, _ in support)
        inherited = all(flag for _, flag in support)
        if confidence < min_confidence:
            continue
        if end_use is not None:
            use = end_use_of(other) if end_use_of else None
            if not (use in end_use if use is not None else (None in end_use or UNCLASSIFIED in end_use)):
                continue
        value = score(weight, confidence) * (INHERITED_DISCOUNT if inherited else 1.0)
        out.append((other, value, confidence, weight, inherited))
    out.sort(key=lambda r: (-r[1], r[0]))
    return out if limit is None else out[:limit]
