"""ChainGraph: which HS codes go into which, in both directions, over HS4 headings and HS6 subheadings.

A `Link` says "`input` goes into `product`" with a `weight` in (0, 1] (how important the input is for
the product) and a `confidence` in (0, 1] (how sure the source is), from one `source`: `curated` (read
and checked by a person), `derived` (input-output tables), `rules_of_origin` (product-specific rules
naming non-originating materials) or `user` (said by a user). Codes are HS 2022 headings (4 digits)
or subheadings (6 digits); chapters (2 digits) are too coarse to be nodes.

Building (`ChainGraph.build`) normalises the codes ("0901.21" -> "090121"), checks the values, drops
links inside one family (an input that is the product, its heading or one of its subheadings) and keeps
one link per (input, product, source): a source saying the same thing twice is one witness, not two
(the most confident copy wins). It indexes the links by product and by input, each list pre-sorted
best first, lists the stored subheadings of each heading and the input codes stored on each product
(for `paths`), and gives every heading an end use (the most common end use of its subheadings).

Queries (`inputs_of`, `used_in`) merge the two HS levels:

* an HS6 query uses the links stored for that subheading **and** those of its heading: "0901 goes
  into 2101" also says something about 090121. A result supported only by heading links is marked
  `inherited` and its score is multiplied by `INHERITED_DISCOUNT` (0.85): it is probably right but
  less specific;
* an HS4 query also gathers the links stored on its subheadings ("090111 goes into 2101" says that
  some 0901 goes into 2101), with no discount;
* a result is never the queried code, its heading or one of its subheadings (no self-links), nor,
  deeper down a tree, a relative of a code already on the path from the root.

`level` decides the codes of the results: `None` returns them as stored (a heading and one of its
subheadings can both appear); `4` collapses every result to its heading, merging the nodes;
`6` keeps subheadings, folds a heading result into the subheading results under it when there are
some (the heading's links support each of them), and leaves a heading with no subheading among the
results at 4 digits: it never invents a subheading.

The links supporting one result (several sources, both levels) merge into one `Node`:

* confidence = 1 - prod(1 - c) (noisy-or: independent witnesses make a link surer);
* weight = max(w) (the input is as important as its most important reading);
* score = `score(weight, confidence)` = confidence * (0.25 + 0.75 * weight), times 0.85 when the node
  is inherited. Confidence dominates: a weak but certain link (w 0.3, c 0.9: 0.43) outranks a main
  but doubtful one (w 1.0, c 0.35: 0.35). The score is increasing in both arguments, so a new link
  (another source, a more confident reading) never lowers the score of a result it supports.

Results are ordered by score (descending), then code, so equal scores come out the same way every
time. Filters: `sources` keeps only the links of those sources (before merging: it can only remove
support, never add results - except that at level 6 a heading stands in for its subheading results
when they lose all their links); `min_confidence` keeps merged nodes at or above it; `end_use` keeps
results whose end use (`end_use_of`) is in the set - a result whose end use is unknown passes only
when the set contains `None` or "not_classified". `depth` (1 to 4) adds `children`: the inputs of
each input (or uses of each use) with the same filters and a limit of max(3, limit // 3) (at most
`limit`), never revisiting a relative of a code on the current path, so cycles in the data end.

Cost: a query gathers the pre-sorted adjacency lists of the code and of its heading (or of its
subheadings), groups them by result code, merges and sorts the groups: O(links touched + r log r) for
r results; Node objects are made for the `limit` best only. The merged, sorted neighbourhood of each
(code, direction, level, sources) is memoised (`CACHE_SIZE` entries, least recently used out), so
popular codes - an input used in a thousand products, met again as a child in many trees - are
merged once; filters, path exclusions and the limit are applied on the way out. `paths` adds a
backward breadth-first search over input sets (set unions) and a best-first search per length.

Measured (bench/chains.py, 2 shared CPUs, 2026-11-30): 60,000 synthetic links (fan-in ~25) build in
0.5-1 s (32 MB peak); a depth-1 query p95 0.2 ms, depth 2 (20 nodes x 6 children) p95 ~2 ms; the
same query as a linear scan over the links (reference.py) takes ~40 ms. The real data (17,561
links) builds in 0.2 s. Applications that keep a graph for the life of a process may call
gc.freeze() after building it, so that full garbage collections stop walking its objects.
"""

from __future__ import annotations

import functools
import gc
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace

SOURCES = frozenset({"curated", "derived", "rules_of_origin", "user"})
UNCLASSIFIED = "not_classified"
INHERITED_DISCOUNT = 0.85
MAX_DEPTH = 4
CACHE_SIZE = 4096  # merged neighbourhoods kept (about 15 MB for 60,000 links): see ChainGraph.build
PATH_EXPANSIONS = 50_000  # best-first pops per path length: a bound on the time of one `paths` call
_STRIP = str.maketrans("", "", ". -")


class UnknownCode(ValueError):
    """A code that is not an HS heading (4 digits) or subheading (6 digits) once dots and spaces go."""


@dataclass(frozen=True, slots=True)
class Link:
    """`input` goes into `product` (HS codes, 4 or 6 digits), as one source says."""

    input: str
    product: str
    weight: float  # (0, 1]: importance of the input for the product
    confidence: float  # (0, 1): how sure the source is (1.0 is accepted, meaning certain)
    source: str  # "curated" | "derived" | "rules_of_origin" | "user"
    detail: str = ""  # human-readable source line


@dataclass(frozen=True, slots=True)
class Node:
    """One related code (an input, or a use) with the merged evidence of the links supporting it."""

    code: str
    weight: float
    confidence: float
    score: float
    links: tuple[Link, ...]  # the stored links supporting it (all sources, both levels), best first
    children: tuple[Node, ...] = ()  # the next level when depth > 1
    inherited: bool = False  # supported only by links of the queried code's heading


def score(weight: float, confidence: float) -> float:
    """The ranking score of a link or merged node: confidence * (0.25 + 0.75 * weight), in (0, 1]."""
    return confidence * (0.25 + 0.75 * weight)


def related(a: str, b: str) -> bool:
    """True when two normalised codes are the same, or one is the heading of the other."""
    return a.startswith(b) or b.startswith(a)


# One piece of evidence for a result: (score of the link, inherited?, the link).
_Evidence = tuple[float, bool, Link]
# One stored link as seen from one end: (the code at the other end, its evidence when the query is the
# code it is stored on, its evidence when the query is a subheading of that code); made once, at build.
_Entry = tuple[str, _Evidence, _Evidence]
# One merged result before it becomes a Node: (-score, code, weight, confidence, inherited).
_Ranked = tuple[float, str, float, float, bool]
# Every merged result around a code, best first, and the evidence of each.
_Merged = tuple[tuple[_Ranked, ...], dict[str, list[_Evidence]]]


class ChainGraph:
    """Input -> product links indexed both ways; immutable once built (safe to share between threads)."""

    __slots__ = (
        "_by_input",
        "_by_product",
        "_end_use4",
        "_end_use6",
        "_family",
        "_input_sets",
        "_links",
        "_merged",
        "_subs",
    )

    def __init__(
        self,
        links: tuple[Link, ...],
        by_product: dict[str, tuple[_Entry, ...]],
        by_input: dict[str, tuple[_Entry, ...]],
        end_use6: dict[str, str],
        end_use4: dict[str, str],
        cache_size: int = 0,
    ) -> None:
        """Use `ChainGraph.build`; this only stores what it prepared."""
        self._links = links
        self._by_product = by_product
        self._by_input = by_input
        self._end_use6 = end_use6
        self._end_use4 = end_use4
        # Stored subheadings of each heading, per direction (True: inputs_of, keys of by_product).
        self._subs: dict[bool, dict[str, tuple[str, ...]]] = {
            True: _subheadings(by_product),
            False: _subheadings(by_input),
        }
        # Every stored subheading of each heading (either end): what an HS4 query must never return.
        self._family = _subheadings(dict.fromkeys([*by_product, *by_input]))
        # The input codes of the links stored on each product code: the backward search of `paths`.
        self._input_sets = {code: frozenset(e[0] for e in entries) for code, entries in by_product.items()}
        # The merged, sorted results of one (code, direction, level, sources), memoised (least recently used
        # out first); lru_cache is thread-safe, and the graph never changes, so entries never go stale.
        self._merged: Callable[[str, bool, int | None, frozenset[str] | None], _Merged] = (
            functools.lru_cache(maxsize=cache_size)(self._merge) if cache_size > 0 else self._merge
        )

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls, links: Iterable[Link], end_use: Mapping[str, str] | None = None, *, cache_size: int = CACHE_SIZE
    ) -> ChainGraph:
        """Index `links` (see the module docstring); `end_use` maps HS6 codes (or headings, which then
        override the majority of their subheadings) to an end-use category. `cache_size`: how many
        merged neighbourhoods (code, direction, level, sources) to keep for the next queries (0: none).

        Raises UnknownCode for a malformed code and ValueError for a weight or confidence out of
        (0, 1] or an unknown source. The cyclic garbage collector is paused meanwhile: the build makes
        hundreds of thousands of tuples that all live on, and collecting them repeatedly for nothing
        took a third of the time.
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._build(links, end_use, cache_size)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(cls, links: Iterable[Link], end_use: Mapping[str, str] | None, cache_size: int) -> ChainGraph:
        normal: dict[str, str] = {}  # raw code -> normalised (codes repeat: thousands of codes, many links)
        best: dict[tuple[str, str, str], Link] = {}
        for link in links:
            given = normal.get(link.input) or normal.setdefault(link.input, cls.normalise(link.input))
            product = normal.get(link.product) or normal.setdefault(link.product, cls.normalise(link.product))
            if not 0.0 < link.weight <= 1.0:  # also refuses NaN
                raise ValueError(f"weight {link.weight!r} of {given}->{product} is not in (0, 1]")
            if not 0.0 < link.confidence <= 1.0:
                raise ValueError(f"confidence {link.confidence!r} of {given}->{product} is not in (0, 1]")
            if link.source not in SOURCES:
                raise ValueError(f"unknown source {link.source!r} of {given}->{product}; one of {sorted(SOURCES)}")
            if given.startswith(product) or product.startswith(given):
                continue  # an input of itself, of its heading or of its subheading says nothing
            if given != link.input or product != link.product:
                link = replace(link, input=given, product=product)
            key = (given, product, link.source)
            kept = best.get(key)
            if kept is None or _stronger(link, kept):
                best[key] = link
        ordered = tuple(sorted(best.values(), key=_link_order))
        by_product: dict[str, list[_Entry]] = defaultdict(list)
        by_input: dict[str, list[_Entry]] = defaultdict(list)
        for link in ordered:  # already best first, so every adjacency list is too
            s = score(link.weight, link.confidence)
            direct, inherited = (s, False, link), (s, True, link)
            by_product[link.product].append((link.input, direct, inherited))
            by_input[link.input].append((link.product, direct, inherited))
        end_use6: dict[str, str] = {}
        explicit4: dict[str, str] = {}
        for code, use in (end_use or {}).items():
            code = cls.normalise(code)
            (end_use6 if len(code) == 6 else explicit4)[code] = use
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for code, use in end_use6.items():
            counts[code[:4]][use] += 1
        end_use4 = {h: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for h, c in counts.items()}
        end_use4.update(explicit4)
        return cls(
            ordered,
            {k: tuple(v) for k, v in by_product.items()},
            {k: tuple(v) for k, v in by_input.items()},
            end_use6,
            end_use4,
            cache_size,
        )

    @staticmethod
    def normalise(code: str) -> str:
        """ "0901.21" -> "090121": strips dots, spaces and hyphens; raises UnknownCode unless 4 or 6 digits."""
        if not isinstance(code, str):
            raise UnknownCode(f"HS code must be a string, not {type(code).__name__}")
        normal = code.strip().translate(_STRIP)
        if len(normal) not in (4, 6) or not normal.isascii() or not normal.isdigit():
            raise UnknownCode(f"{code!r} is not an HS heading (4 digits) or subheading (6 digits)")
        return normal

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        """Number of stored links (after de-duplication)."""
        return len(self._links)

    def __repr__(self) -> str:
        return f"<ChainGraph: {len(self._links)} links, {len(self.codes())} codes>"

    @property
    def links(self) -> tuple[Link, ...]:
        """The stored links, normalised and de-duplicated, best first."""
        return self._links

    def codes(self) -> set[str]:
        """Every code that appears in a stored link, as stored (4 or 6 digits)."""
        return set(self._by_product) | set(self._by_input)

    def cache_info(self) -> dict[str, int]:
        """Hits, misses and size of the memo of merged neighbourhoods (all 0 when it is off)."""
        info = getattr(self._merged, "cache_info", None)
        if info is None:
            return {"hits": 0, "misses": 0, "size": 0, "max_size": 0}
        hits, misses, max_size, size = info()
        return {"hits": hits, "misses": misses, "size": size, "max_size": max_size or 0}

    def end_use_of(self, code: str) -> str | None:
        """End use of an HS6 code (from the table), or of a heading (the most common end use of its
        subheadings, ties broken alphabetically, unless the table names the heading); None if unknown."""
        normal = self.normalise(code)
        return (self._end_use6 if len(normal) == 6 else self._end_use4).get(normal)

    def inputs_of(
        self,
        code: str,
        depth: int = 1,
        *,
        level: int | None = None,
        limit: int = 20,
        end_use: Collection[str | None] | None = None,
        min_confidence: float = 0.0,
        sources: Collection[str] | None = None,
    ) -> list[Node]:
        """What goes into `code`, best first (see the module docstring for levels, merging, filters).

        `depth` 2 to 4 adds the inputs of each input as `children`. A code the graph does not know
        gives []; a malformed one raises UnknownCode; depth out of 1..4, an unknown level or source
        or a negative limit raise ValueError.
        """
        return self._tree(code, True, depth, level, limit, end_use, min_confidence, sources)

    def used_in(
        self,
        code: str,
        depth: int = 1,
        *,
        level: int | None = None,
        limit: int = 20,
        end_use: Collection[str | None] | None = None,
        min_confidence: float = 0.0,
        sources: Collection[str] | None = None,
    ) -> list[Node]:
        """What `code` goes into, best first: the mirror of `inputs_of` (children are uses of uses)."""
        return self._tree(code, False, depth, level, limit, end_use, min_confidence, sources)

    def paths(self, upstream: str, downstream: str, *, max_depth: int = 4, limit: int = 5) -> list[list[str]]:
        """Chains of codes [upstream, ..., downstream] in which each code goes into the next one.

        A step a -> b exists when b is among `used_in(a)` as stored (level None, no filters): a stored
        link has its input related to a (a itself, its heading or a subheading) and its product is b;
        the last step may land on downstream's heading or subheading, and the chain then ends with
        `downstream` as given. No code of a chain is related to another one, so chains are simple.
        Shortest first; among chains of one length, strongest first: the product of the step scores,
        a step's score being the score of b's node in `used_in(a)` (into the last code: the best of
        its relatives); equal strengths by the codes. At most `limit` chains of at most `max_depth`
        steps (1..4); [] when the codes are related or not connected.

        How: a backward breadth-first search from `downstream` over the inputs (every link, no
        simple-path rule) gives each code a lower bound on its number of steps to `downstream`; then
        each length is searched best-first from `upstream` (strengths only fall along a chain, so
        chains complete in order of strength), expanding only codes that can still arrive in time,
        at most PATH_EXPANSIONS expansions per length.
        """
        up, down = self.normalise(upstream), self.normalise(downstream)
        if not 1 <= max_depth <= MAX_DEPTH:
            raise ValueError(f"max_depth must be between 1 and {MAX_DEPTH}, not {max_depth}")
        if limit < 1 or related(up, down):
            return []
        steps_to = self._steps_to(down, max_depth - 1)  # the last level would only tell about `up`
        shortest = steps_to(up)
        found: list[list[str]] = []
        cache: dict[str, list[tuple[str, float]]] = {}
        for length in range(max(1, shortest), max_depth + 1):
            found += self._paths_of_length(up, down, length, limit - len(found), steps_to, cache)
            if len(found) >= limit:
                break
        return found

    # ------------------------------------------------------------------ internals

    def _tree(
        self,
        code: str,
        inputs: bool,
        depth: int,
        level: int | None,
        limit: int,
        end_use: Collection[str | None] | None,
        min_confidence: float,
        sources: Collection[str] | None,
    ) -> list[Node]:
        normal = self.normalise(code)
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
        if level not in (None, 4, 6):
            raise ValueError(f"level must be None, 4 or 6, not {level!r}")
        if limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        wanted = None if sources is None else frozenset(sources)
        if wanted is not None and wanted - SOURCES:
            raise ValueError(f"unknown source(s) {sorted(wanted - SOURCES)}; choose from {sorted(SOURCES)}")
        uses = None if end_use is None else frozenset(end_use)
        return self._level(normal, (normal,), inputs, depth, level, limit, uses, min_confidence, wanted)

    def _level(
        self,
        code: str,
        path: tuple[str, ...],
        inputs: bool,
        depth: int,
        level: int | None,
        limit: int,
        uses: frozenset[str | None] | None,
        min_confidence: float,
        sources: frozenset[str] | None,
    ) -> list[Node]:
        """The `limit` best nodes around `code` (and their subtrees), none related to a code on `path`."""
        if limit == 0:
            return []
        ranked, groups = self._merged(code, inputs, level, sources)
        # `other` is related to a code p on the path when it is p or p's heading, or p is its heading.
        exact = {*path, *(p[:4] for p in path)}
        headings = {p for p in path if len(p) == 4}
        end_use6, end_use4 = self._end_use6, self._end_use4
        child_limit = min(limit, max(3, limit // 3))
        out: list[Node] = []
        for negative, other, weight, confidence, inherited in ranked:
            if other in exact or other[:4] in headings or confidence < min_confidence:
                continue
            if uses is not None:
                use = (end_use6 if len(other) == 6 else end_use4).get(other)
                if use not in uses and (use is not None or UNCLASSIFIED not in uses):
                    continue
            children: tuple[Node, ...] = ()
            if depth > 1:
                below = (*path, other)
                children = tuple(
                    self._level(other, below, inputs, depth - 1, level, child_limit, uses, min_confidence, sources)
                )
            group = groups[other]
            evidence = (group[0][2],) if len(group) == 1 else tuple(e[2] for e in sorted(group, key=_evidence_order))
            out.append(Node(other, weight, confidence, -negative, evidence, children, inherited))
            if len(out) == limit:
                break
        return out

    def _merge(self, code: str, inputs: bool, level: int | None, sources: frozenset[str] | None) -> _Merged:
        """Every result around `code` (none related to it) merged into (-score, code, weight,
        confidence, inherited), best first, and the evidence of each; see the module docstring."""
        groups = self._gather(code, inputs, sources)
        # No self-links: drop `code`, its heading and its subheadings (a subheading's sibling stays).
        for family in (code, code[:4]) if len(code) == 6 else (code, *self._family.get(code, ())):
            groups.pop(family, None)
        if level == 4:
            collapsed: dict[str, list[_Evidence]] = {}
            for other, evidence in groups.items():
                if other[:4] in collapsed:
                    collapsed[other[:4]] = collapsed[other[:4]] + evidence
                else:
                    collapsed[other[:4]] = evidence
            collapsed.pop(code[:4], None)  # the siblings of an HS6 query, collapsed to its own heading
            groups = collapsed
        elif level == 6:
            groups = _fold_headings(groups)
        ranked: list[_Ranked] = []
        for other, evidence in groups.items():
            if len(evidence) == 1:
                node_score, inherited, link = evidence[0]
                confidence, weight = link.confidence, link.weight
            else:
                miss, weight, inherited = 1.0, 0.0, True
                for _, is_inherited, link in evidence:
                    miss *= 1.0 - link.confidence
                    if link.weight > weight:
                        weight = link.weight
                    inherited = inherited and is_inherited
                confidence = 1.0 - miss
                node_score = score(weight, confidence)
            if inherited:
                node_score *= INHERITED_DISCOUNT
            ranked.append((-node_score, other, weight, confidence, inherited))
        ranked.sort()
        return tuple(ranked), groups

    def _gather(self, code: str, inputs: bool, sources: frozenset[str] | None) -> dict[str, list[_Evidence]]:
        """The links at the other end of `code`, grouped by the code they point to (as stored):
        those stored on `code`, then those of its heading (inherited) or of its subheadings."""
        index = self._by_product if inputs else self._by_input
        lists: list[tuple[tuple[_Entry, ...], bool]] = [(index.get(code, ()), False)]
        if len(code) == 6:
            lists.append((index.get(code[:4], ()), True))
        else:
            lists += [(index[sub], False) for sub in self._subs[inputs].get(code, ())]
        groups: dict[str, list[_Evidence]] = {}
        for entries, inherited in lists:
            for other, direct, from_heading in entries:
                evidence = from_heading if inherited else direct
                if sources is not None and evidence[2].source not in sources:
                    continue
                found = groups.get(other)
                if found is None:
                    groups[other] = [evidence]
                else:
                    found.append(evidence)
        return groups

    def _steps_from(self, code: str, cache: dict[str, list[tuple[str, float]]]) -> list[tuple[str, float]]:
        """(code, node score) of `used_in(code)` as stored, unfiltered, unlimited, best first."""
        known = cache.get(code)
        if known is None:
            known = [(other, -negative) for negative, other, *_ in self._merged(code, False, None, None)[0]]
            cache[code] = known
        return known

    def _steps_to(self, down: str, levels: int) -> Callable[[str], int]:
        """A lower bound on the steps from a code to `down` (up to `levels`; more: levels + 1), from a
        breadth-first search backwards over the input sets, ignoring the simple-path rule.

        inputs[k] holds the inputs of the links whose product is related to a code of inputs[k - 1]
        (inputs[0] = {down}); a code related to a member of inputs[k] may reach `down` in k steps.
        """
        sets, subs, empty = self._input_sets, self._subs[True], frozenset[str]()
        first: dict[str, int] = {}
        frontier = {down}
        for k in range(1, levels + 1):
            parts = [sets.get(x, empty) for x in frontier]
            parts += [sets.get(x[:4], empty) for x in frontier if len(x) == 6]
            parts += [sets[sub] for x in frontier if len(x) == 4 for sub in subs.get(x, ())]
            frontier = set().union(*parts).difference(first)
            if not frontier:
                break
            first.update(dict.fromkeys(frontier, k))
        by_heading: dict[str, int] = {}
        for x, k in first.items():
            if len(x) == 6 and k < by_heading.get(x[:4], levels + 1):
                by_heading[x[:4]] = k
        never = levels + 1

        def steps_to(code: str) -> int:
            if len(code) == 6:
                return min(first.get(code, never), first.get(code[:4], never))
            return min(first.get(code, never), by_heading.get(code, never))

        return steps_to

    def _paths_of_length(
        self,
        up: str,
        down: str,
        length: int,
        limit: int,
        steps_to: Callable[[str], int],
        cache: dict[str, list[tuple[str, float]]],
    ) -> list[list[str]]:
        """The `limit` strongest chains of exactly `length` steps, best-first (strengths only fall)."""
        heap: list[tuple[float, tuple[str, ...], bool]] = [(-1.0, (up,), False)]
        found: list[list[str]] = []
        expansions = 0
        while heap and len(found) < limit and expansions < PATH_EXPANSIONS:
            negative, path, complete = heapq.heappop(heap)
            if complete:
                found.append(list(path))
                continue
            expansions += 1
            remaining = length - (len(path) - 1)
            arrival = 0.0  # the best step into `down` (its heading or subheadings may be stored too)
            for nxt, step in self._steps_from(path[-1], cache):
                if related(nxt, down):
                    arrival = max(arrival, step)
                elif remaining > 1 and steps_to(nxt) <= remaining - 1 and not any(related(nxt, p) for p in path):
                    heapq.heappush(heap, (negative * step, (*path, nxt), False))
            if arrival and remaining == 1:
                heapq.heappush(heap, (negative * arrival, (*path, down), True))
        return found


def _fold_headings(groups: dict[str, list[_Evidence]]) -> dict[str, list[_Evidence]]:
    """Level 6: a heading result with subheading results under it lends them its links and goes; a
    heading without any stays at 4 digits."""
    with_subs = {other[:4] for other in groups if len(other) == 6}
    folded: dict[str, list[_Evidence]] = {}
    for other, evidence in groups.items():
        if len(other) == 6 and other[:4] in groups:
            folded[other] = evidence + groups[other[:4]]
        elif len(other) == 6 or other not in with_subs:
            folded[other] = evidence
    return folded


def _subheadings(index: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    subs: dict[str, list[str]] = defaultdict(list)
    for code in index:
        if len(code) == 6:
            subs[code[:4]].append(code)
    return {h: tuple(sorted(v)) for h, v in subs.items()}


def _stronger(link: Link, kept: Link) -> bool:
    """The copy to keep of one (input, product, source): more confident, then heavier, then the
    alphabetically first detail (so the result does not depend on the order of the input)."""
    return (link.confidence, link.weight, kept.detail) > (kept.confidence, kept.weight, link.detail)


def _link_order(link: Link) -> tuple[float, str, str, str, str]:
    return (-score(link.weight, link.confidence), link.source, link.input, link.product, link.detail)


def _evidence_order(evidence: _Evidence) -> tuple[float, str, str, str, str]:
    s, inherited, link = evidence
    return (-(s * INHERITED_DISCOUNT if inherited else s), link.source, link.input, link.product, link.detail)
