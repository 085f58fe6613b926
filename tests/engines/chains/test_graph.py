"""ChainGraph: HS4/HS6 merging, levels, filters, trees, paths; invariants on random graphs (hypothesis),
with the naive linear scan of ivcs.engines.chains.reference as the oracle."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivcs.engines.chains import reference
from ivcs.engines.chains.files import load_end_use, load_links
from ivcs.engines.chains.graph import (
    INHERITED_DISCOUNT,
    SOURCES,
    ChainGraph,
    Link,
    Node,
    UnknownCode,
    related,
    score,
)

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALL = 10**6  # "no limit"


def link(given: str, product: str, weight: float = 1.0, confidence: float = 0.8, source: str = "derived") -> Link:
    return Link(given, product, weight, confidence, source)


def codes(nodes: list[Node]) -> list[str]:
    return [n.code for n in nodes]


COFFEE = ChainGraph.build(
    [
        link("0901", "2101", 1.0, 0.8, "derived"),  # heading -> heading
        link("090111", "210111", 0.6, 0.5, "curated"),  # green coffee -> coffee extract
        link("090121", "2101", 0.3, 0.9, "user"),  # roasted coffee -> extracts (heading)
        link("4819", "2101", 0.3, 0.5, "derived"),  # cartons
        link("090111", "090121", 1.0, 0.9, "curated"),  # green -> roasted: siblings, a real link
        link("0901", "1806", 0.3, 0.4, "rules_of_origin"),  # coffee -> chocolate: no 1806xx stored
    ],
    end_use={"210111": "consumption", "210112": "consumption", "210120": "intermediate", "090111": "intermediate"},
)


# ---------------------------------------------------------------- normalising and building


@pytest.mark.parametrize(("raw", "normal"), [("0901.21", "090121"), (" 0901 ", "0901"), ("0901 21", "090121")])
def test_normalise_strips_dots_and_spaces(raw: str, normal: str) -> None:
    assert ChainGraph.normalise(raw) == normal


@pytest.mark.parametrize("raw", ["09", "09012", "0901211", "09012100", "", "abcd", "09a1", "٠٩٠١"])
def test_normalise_refuses_what_is_not_a_heading_or_subheading(raw: str) -> None:
    with pytest.raises(UnknownCode):
        ChainGraph.normalise(raw)
    with pytest.raises(ValueError, match="HS"):  # UnknownCode is a ValueError
        COFFEE.inputs_of(raw)


def test_build_normalises_drops_family_links_and_keeps_one_copy_per_source() -> None:
    graph = ChainGraph.build(
        [
            link("0901.11", "2101", confidence=0.5),
            link("090111", "2101", confidence=0.7),  # the same link from the same source: one witness
            link("090111", "2101", confidence=0.6, source="curated"),  # another source: a second witness
            link("0901", "090121"),  # a heading into its own subheading
            link("0901", "0901"),
        ]
    )
    assert len(graph) == 2
    assert {(x.input, x.product, x.source, x.confidence) for x in graph.links} == {
        ("090111", "2101", "derived", 0.7),
        ("090111", "2101", "curated", 0.6),
    }
    assert graph.codes() == {"090111", "2101"}
    (node,) = graph.inputs_of("2101")
    assert node.confidence == pytest.approx(1 - 0.3 * 0.4)


@pytest.mark.parametrize(
    "bad",
    [
        link("0901", "2101", weight=0.0),
        link("0901", "2101", weight=1.2),
        link("0901", "2101", confidence=0.0),
        link("0901", "2101", confidence=float("nan")),
        link("0901", "2101", source="guess"),
    ],
)
def test_build_refuses_values_out_of_range(bad: Link) -> None:
    with pytest.raises(ValueError):
        ChainGraph.build([bad])


def test_build_does_not_depend_on_the_order_of_the_links() -> None:
    rows = [*COFFEE.links, Link("0901", "2101", 1.0, 0.8, "derived", "another line")]
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    a, b = ChainGraph.build(rows), ChainGraph.build(shuffled)
    assert a.links == b.links
    for code in sorted(a.codes()):
        assert a.inputs_of(code, 2) == b.inputs_of(code, 2)
        assert a.used_in(code, 2) == b.used_in(code, 2)


# ---------------------------------------------------------------- HS4 and HS6 merged


def test_an_hs6_query_inherits_its_headings_links_with_a_discount() -> None:
    nodes = {n.code: n for n in COFFEE.inputs_of("210111")}
    assert set(nodes) == {"0901", "090121", "090111", "4819"}
    assert not nodes["090111"].inherited  # stored on 210111 itself
    assert nodes["0901"].inherited and nodes["4819"].inherited and nodes["090121"].inherited
    assert nodes["0901"].score == pytest.approx(score(1.0, 0.8) * INHERITED_DISCOUNT)
    assert nodes["090111"].score == pytest.approx(score(0.6, 0.5))
    # 210112 has no link of its own: everything it gets is inherited
    assert all(n.inherited for n in COFFEE.inputs_of("210112"))
    assert set(codes(COFFEE.inputs_of("210112"))) == {"0901", "090121", "4819"}


def test_an_hs4_query_gathers_the_links_of_its_subheadings_without_discount() -> None:
    nodes = {n.code: n for n in COFFEE.inputs_of("2101")}
    assert set(nodes) == {"0901", "090121", "090111", "4819"}
    assert not any(n.inherited for n in nodes.values())
    assert nodes["090111"].score == pytest.approx(score(0.6, 0.5))
    uses = {n.code: n for n in COFFEE.used_in("0901")}
    assert set(uses) == {"2101", "210111", "1806"}  # 090111 -> 210111 is a use of some 0901; not 090121 (own family)


def test_a_node_merges_its_links_by_noisy_or_and_max_weight_best_link_first() -> None:
    graph = ChainGraph.build(
        [
            link("3923", "2101", 0.3, 0.5, "derived"),
            link("3923", "210111", 0.6, 0.2, "user"),
            link("392330", "210111", 0.9, 0.4, "curated"),
        ]
    )
    (node,) = graph.inputs_of("210111", level=4)
    assert node.code == "3923"
    assert node.confidence == pytest.approx(1 - 0.5 * 0.8 * 0.6)
    assert node.weight == 0.9
    assert not node.inherited  # two of the three links are stored on 210111 itself
    assert node.score == pytest.approx(score(0.9, 1 - 0.5 * 0.8 * 0.6))
    assert [x.source for x in node.links] == ["curated", "derived", "user"]  # 0.33, 0.5 * 0.475 * 0.85, 0.14


def test_level_4_collapses_results_to_their_heading() -> None:
    nodes = COFFEE.inputs_of("2101", level=4)
    assert codes(nodes) == ["0901", "4819"]
    coffee = nodes[0]
    assert {(x.input, x.product) for x in coffee.links} == {("0901", "2101"), ("090111", "210111"), ("090121", "2101")}
    assert coffee.confidence == pytest.approx(1 - 0.2 * 0.5 * 0.1)


def test_level_6_folds_a_heading_into_its_subheadings_and_never_invents_one() -> None:
    uses = COFFEE.used_in("0901", level=6)
    assert codes(uses) == ["210111", "1806"]  # 2101 folded into 210111; 1806 has no subheading: stays
    assert {(x.input, x.product) for x in uses[0].links} == {
        ("0901", "2101"),
        ("090121", "2101"),
        ("090111", "210111"),
    }
    assert codes(COFFEE.used_in("0901", level=None)) == ["2101", "210111", "1806"]


def test_a_result_is_never_the_query_its_heading_or_its_subheading() -> None:
    assert codes(COFFEE.inputs_of("090121")) == ["090111"]  # a sibling is a real input
    assert COFFEE.inputs_of("090121", level=4) == []  # ... but at level 4 it is the query's own heading
    assert "090111" not in codes(COFFEE.inputs_of("0901"))
    for code in COFFEE.codes():
        for direction in (COFFEE.inputs_of, COFFEE.used_in):
            for level in (None, 4, 6):
                assert not any(related(n.code, code) for n in direction(code, level=level, limit=ALL))


def test_unknown_codes_give_nothing() -> None:
    assert COFFEE.inputs_of("8703") == []
    assert COFFEE.used_in("870323", 3) == []


def test_ties_break_by_code() -> None:
    graph = ChainGraph.build([link(code, "2101", 0.5, 0.5) for code in ("4819", "0901", "1701", "090111")])
    assert codes(graph.inputs_of("2101")) == ["0901", "090111", "1701", "4819"]
    assert codes(graph.inputs_of("2101", limit=2)) == ["0901", "090111"]


# ---------------------------------------------------------------- filters


def test_the_sources_filter_drops_links_before_merging() -> None:
    assert codes(COFFEE.inputs_of("2101", sources={"curated"})) == ["090111"]
    everything = {n.code: n for n in COFFEE.inputs_of("2101", level=4)}
    only_derived = {n.code: n for n in COFFEE.inputs_of("2101", level=4, sources=["derived"])}
    assert set(only_derived) == {"0901", "4819"}
    assert only_derived["0901"].confidence == pytest.approx(0.8)
    assert everything["0901"].confidence > 0.98
    with pytest.raises(ValueError, match="unknown source"):
        COFFEE.inputs_of("2101", sources={"curated", "gossip"})


def test_min_confidence_filters_merged_nodes() -> None:
    assert codes(COFFEE.inputs_of("2101", level=4, min_confidence=0.95)) == ["0901"]  # 0.99 merged
    assert codes(COFFEE.inputs_of("2101", min_confidence=0.85)) == ["090121"]


def test_end_use_of_a_heading_is_the_most_common_of_its_subheadings() -> None:
    assert COFFEE.end_use_of("2101.11") == "consumption"
    assert COFFEE.end_use_of("2101") == "consumption"  # 2 consumption, 1 intermediate
    assert COFFEE.end_use_of("210130") is None
    assert COFFEE.end_use_of("1806") is None
    tie = ChainGraph.build([], end_use={"010110": "intermediate", "010120": "capital", "0102": "consumption"})
    assert tie.end_use_of("0101") == "capital"  # ties: alphabetical
    assert tie.end_use_of("0102") == "consumption"  # a heading named in the table


def test_the_end_use_filter_lets_unknown_end_uses_through_only_when_asked() -> None:
    uses = COFFEE.used_in("0901", end_use={"consumption"})
    assert codes(uses) == ["2101", "210111"]  # 1806 has no known end use
    assert codes(COFFEE.used_in("0901", end_use={"consumption", "not_classified"})) == ["2101", "210111", "1806"]
    assert codes(COFFEE.used_in("0901", end_use={None})) == ["1806"]
    assert COFFEE.used_in("0901", end_use=set()) == []


# ---------------------------------------------------------------- depth and cycles


def test_children_are_the_inputs_of_the_input_with_a_smaller_limit() -> None:
    graph = ChainGraph.build(
        [link(f"{i:02d}01", "2101", 0.5, 0.2 + i / 100) for i in range(10, 22)]
        + [link(f"{j:02d}02", "1201", 0.5, 0.3 + j / 100) for j in range(30, 40)]
        + [link("1201", "2101", 1.0, 0.9)]
    )
    nodes = graph.inputs_of("2101", depth=2, limit=10)
    assert len(nodes) == 10
    assert nodes[0].code == "1201"
    assert codes(list(nodes[0].children)) == ["3902", "3802", "3702"]  # max(3, 10 // 3) = 3, best first
    assert all(n.children == () for n in graph.inputs_of("2101", depth=1))
    assert codes(list(graph.inputs_of("2101", depth=2, limit=20)[0].children)) == codes(
        graph.inputs_of("1201", limit=6)
    )


def test_cycles_end_and_no_code_repeats_along_a_branch() -> None:
    ring = ["0101", "0202", "030110", "0404", "0505"]
    rows = [link(a, b) for a, b in itertools.permutations(ring, 2)]  # everything into everything
    graph = ChainGraph.build(rows)
    for method in (graph.inputs_of, graph.used_in):
        tree = method("0101", depth=4, limit=10)
        branches = 0

        def walk(nodes: tuple[Node, ...] | list[Node], path: tuple[str, ...]) -> None:
            nonlocal branches
            for node in nodes:
                assert not any(related(node.code, on) for on in path)
                if node.children:
                    walk(node.children, (*path, node.code))
                else:
                    branches += 1

        walk(tree, ("0101",))
        assert branches == 4 * 3 * 2 * 1  # every ordering of the four other codes, no more


@pytest.mark.parametrize("depth", [0, 5, -1])
def test_depth_is_between_1_and_4(depth: int) -> None:
    with pytest.raises(ValueError, match="depth"):
        COFFEE.inputs_of("2101", depth)


def test_level_and_limit_are_checked() -> None:
    with pytest.raises(ValueError, match="level"):
        COFFEE.inputs_of("2101", level=2)
    with pytest.raises(ValueError, match="limit"):
        COFFEE.used_in("2101", limit=-1)
    assert COFFEE.inputs_of("2101", limit=0) == []


# ---------------------------------------------------------------- paths


def test_paths_shortest_then_strongest() -> None:
    graph = ChainGraph.build(
        [
            link("5201", "5205", 1.0, 0.9),  # cotton -> yarn
            link("5205", "5208", 1.0, 0.9),  # yarn -> woven fabric
            link("5208", "620520", 1.0, 0.9),  # fabric -> shirts (HS6)
            link("5201", "6205", 0.3, 0.3),  # cotton -> shirts, weak but direct (heading)
            link("5201", "5203", 1.0, 0.5),  # cotton -> carded cotton
            link("5203", "5205", 1.0, 0.5),
            link("520512", "5208", 1.0, 0.3),
        ]
    )
    assert graph.paths("5201", "620520") == [
        ["5201", "620520"],
        ["5201", "5205", "5208", "620520"],
        ["5201", "5203", "5205", "5208", "620520"],
    ]
    assert graph.paths("5201", "620520", max_depth=3) == graph.paths("5201", "620520")[:2]
    assert graph.paths("5201", "620520", limit=1) == [["5201", "620520"]]
    assert graph.paths("620520", "5201") == []  # the other way round
    assert graph.paths("5201", "520100") == []  # its own subheading
    assert graph.paths("5201", "8703") == []
    with pytest.raises(ValueError, match="max_depth"):
        graph.paths("5201", "6205", max_depth=5)


def test_paths_through_cycles_are_simple() -> None:
    graph = ChainGraph.build([link(a, b) for a, b in itertools.permutations(["0101", "0202", "0303", "0404"], 2)])
    found = graph.paths("0101", "0404", limit=100)
    assert found[0] == ["0101", "0404"]
    assert sorted(map(tuple, found)) == sorted(
        {("0101", "0404"), ("0101", "0202", "0404"), ("0101", "0303", "0404")}
        | {("0101", "0202", "0303", "0404"), ("0101", "0303", "0202", "0404")}
    )


# ---------------------------------------------------------------- the score


@given(
    st.floats(0.01, 1.0), st.floats(0.01, 1.0), st.floats(0.0, 0.5), st.floats(0.0, 0.5)
)  # weight, confidence, and how much more of each
def test_score_never_falls_when_weight_or_confidence_rises(w: float, c: float, dw: float, dc: float) -> None:
    assert score(min(1.0, w + dw), c) >= score(w, c)
    assert score(w, min(1.0, c + dc)) >= score(w, c)
    assert 0.0 < score(w, c) <= 1.0


# ---------------------------------------------------------------- invariants on random graphs

HEADINGS = ("0101", "0102", "0201", "0202", "0301")
SUBHEADINGS = ("010110", "010120", "010210", "020110", "020120", "030110")
CODES = HEADINGS + SUBHEADINGS
random_links = st.builds(
    Link,
    st.sampled_from(CODES),
    st.sampled_from(CODES),
    st.floats(0.05, 1.0),
    st.floats(0.05, 0.95),
    st.sampled_from(sorted(SOURCES)),
)
graphs = st.lists(random_links, max_size=40).map(
    lambda rows: ChainGraph.build(rows, end_use={"010110": "consumption", "020110": "intermediate"})
)
subheadings = st.sampled_from(SUBHEADINGS)
hs6_graphs = st.lists(
    st.builds(Link, subheadings, subheadings, st.just(0.5), st.just(0.5), st.just("user")), max_size=25
).map(ChainGraph.build)
levels = st.sampled_from([None, 4, 6])
source_sets = st.none() | st.sets(st.sampled_from(sorted(SOURCES)))
end_uses = st.none() | st.sets(st.sampled_from(["consumption", "intermediate", "not_classified", None]))


def has_edge(graph: ChainGraph, a: str, b: str) -> bool:
    """A stored link whose input is a (or a relative) and whose product is b (or a relative)."""
    return any(related(x.input, a) and related(x.product, b) for x in graph.links)


@FAST
@given(graphs)
def test_inputs_and_uses_mirror_each_other_between_headings(graph: ChainGraph) -> None:
    for a, b in itertools.product(HEADINGS, repeat=2):
        forward = b in codes(graph.inputs_of(a, level=4, limit=ALL))
        assert forward == (a in codes(graph.used_in(b, level=4, limit=ALL)))
        assert forward == (a != b and has_edge(graph, b, a))


@FAST
@given(hs6_graphs)
def test_inputs_and_uses_mirror_each_other_on_subheadings(graph: ChainGraph) -> None:
    for a, b in itertools.product(SUBHEADINGS, repeat=2):
        assert (b in codes(graph.inputs_of(a, limit=ALL))) == (a in codes(graph.used_in(b, limit=ALL)))


@FAST
@given(graphs)
def test_inputs_and_uses_mirror_each_other_up_to_relatives_on_mixed_levels(graph: ChainGraph) -> None:
    for a in CODES:
        for node in graph.inputs_of(a, limit=ALL):
            assert any(related(use.code, a) for use in graph.used_in(node.code, limit=ALL))
        for node in graph.used_in(a, limit=ALL):
            assert any(related(x.code, a) for x in graph.inputs_of(node.code, limit=ALL))


@FAST
@given(graphs, levels, source_sets, end_uses, st.sampled_from([0.0, 0.3, 0.7]), st.booleans())
def test_queries_agree_with_the_naive_scan(
    graph: ChainGraph,
    level: int | None,
    sources: set[str] | None,
    uses: set[str | None] | None,
    min_confidence: float,
    inputs: bool,
) -> None:
    for code in CODES:
        method = graph.inputs_of if inputs else graph.used_in
        nodes = method(code, level=level, limit=ALL, sources=sources, end_use=uses, min_confidence=min_confidence)
        expected = reference.neighbours(
            graph.links,
            code,
            inputs=inputs,
            level=level,
            sources=sources,
            end_use_of=graph.end_use_of,
            end_use=uses,
            min_confidence=min_confidence,
        )
        assert {n.code: (n.score, n.confidence, n.weight, n.inherited) for n in nodes} == {
            r[0]: (pytest.approx(r[1]), pytest.approx(r[2]), r[3], r[4]) for r in expected
        }
        keys = [(-n.score, n.code) for n in nodes]
        assert keys == sorted(keys)
        assert method(code, level=level, limit=3, sources=sources) == method(code, level=level, sources=sources)[:3]
        for node in nodes:
            assert node.links, "every node is supported by a stored link"
            assert node.confidence == pytest.approx(1 - math.prod(1 - x.confidence for x in node.links))
            assert all(sources is None or x.source in sources for x in node.links)


@FAST
@given(graphs, levels, source_sets, st.booleans())
def test_a_sources_filter_never_adds_results_nor_raises_scores(
    graph: ChainGraph, level: int | None, sources: set[str] | None, inputs: bool
) -> None:
    for code in CODES:
        method = graph.inputs_of if inputs else graph.used_in
        everything = {n.code: n.score for n in method(code, level=level, limit=ALL)}
        filtered = {n.code: n.score for n in method(code, level=level, limit=ALL, sources=sources)}
        if level != 6:
            assert set(filtered) <= set(everything)
            assert all(filtered[c] <= everything[c] + 1e-12 for c in filtered)
        else:  # a heading folded into its subheadings stands on its own when the filter drops them all
            assert all(c in everything or any(e.startswith(c) for e in everything) for c in filtered)


@FAST
@given(graphs, random_links)
def test_a_new_link_never_lowers_a_score(graph: ChainGraph, extra: Link) -> None:
    bigger = ChainGraph.build([*graph.links, extra])
    for code in CODES:
        for before, after in ((graph.inputs_of, bigger.inputs_of), (graph.used_in, bigger.used_in)):
            old = {n.code: n.score for n in before(code, limit=ALL)}
            new = {n.code: n.score for n in after(code, limit=ALL)}
            assert set(old) <= set(new)
            assert all(new[c] >= old[c] - 1e-12 for c in old)


@FAST
@given(graphs, levels, source_sets, st.integers(1, 9), st.booleans())
def test_children_are_inputs_of_their_parent_minus_the_path(
    graph: ChainGraph, level: int | None, sources: set[str] | None, limit: int, inputs: bool
) -> None:
    for code in CODES:
        method = graph.inputs_of if inputs else graph.used_in
        tree = method(code, 2, level=level, limit=limit, sources=sources)
        assert codes(tree) == codes(method(code, level=level, limit=limit, sources=sources))
        for node in tree:
            below = {n.code: n.score for n in method(node.code, level=level, limit=ALL, sources=sources)}
            assert len(node.children) <= min(limit, max(3, limit // 3))
            for child in node.children:
                assert below[child.code] == child.score
                assert not related(child.code, code) and not related(child.code, node.code)
                assert child.children == ()
            allowed = [c for c in below if not related(c, code)]
            assert codes(list(node.children)) == sorted(allowed, key=lambda c: (-below[c], c))[: len(node.children)]


@FAST
@given(st.lists(random_links, max_size=40), levels, source_sets)
def test_the_memo_changes_nothing_but_the_time(rows: list[Link], level: int | None, sources: set[str] | None) -> None:
    memo, plain = ChainGraph.build(rows, cache_size=64), ChainGraph.build(rows, cache_size=0)
    for _ in range(2):  # the second round is served from the memo
        for code in CODES:
            for depth in (1, 3):
                kwargs = {"level": level, "sources": sources, "limit": 4}
                assert memo.inputs_of(code, depth, **kwargs) == plain.inputs_of(code, depth, **kwargs)  # type: ignore[arg-type]
                assert memo.used_in(code, depth, **kwargs) == plain.used_in(code, depth, **kwargs)  # type: ignore[arg-type]
            assert memo.used_in(code, level=4) == plain.used_in(code, level=4)
    assert plain.cache_info()["max_size"] == 0
    info = memo.cache_info()
    assert info["max_size"] == 64 and 0 < info["size"] <= 64 and info["hits"] > 0


def brute_paths(graph: ChainGraph, up: str, down: str, max_depth: int) -> list[tuple[int, float]]:
    """(steps, strength) of every simple chain, by walking used_in exhaustively."""
    out = []

    def walk(path: tuple[str, ...], strength: float) -> None:
        arrival = 0.0
        for node in graph.used_in(path[-1], limit=ALL):
            if related(node.code, down):
                arrival = max(arrival, node.score)
            elif len(path) < max_depth and not any(related(node.code, p) for p in path):
                walk((*path, node.code), strength * node.score)
        if arrival:
            out.append((len(path), strength * arrival))

    walk((up,), 1.0)
    return sorted(out, key=lambda item: (item[0], -item[1]))


@FAST
@given(graphs, st.sampled_from(CODES), st.sampled_from(CODES), st.integers(1, 4), st.integers(1, 6))
def test_paths_are_the_shortest_then_strongest_simple_chains(
    graph: ChainGraph, up: str, down: str, max_depth: int, limit: int
) -> None:
    found = graph.paths(up, down, max_depth=max_depth, limit=limit)
    assert len(found) <= limit
    for chain in found:
        assert chain[0] == up and chain[-1] == down
        assert 2 <= len(chain) <= max_depth + 1
        assert all(not related(a, b) for a, b in itertools.combinations(chain, 2)), chain
        assert all(has_edge(graph, a, b) for a, b in itertools.pairwise(chain)), chain
    assert len({tuple(c) for c in found}) == len(found)
    assert [len(c) for c in found] == sorted(len(c) for c in found)
    if related(up, down):
        assert found == []
        return
    expected = brute_paths(graph, up, down, max_depth)[:limit]
    assert len(found) == len(expected)
    strengths = []
    for chain in found:
        strength = 1.0
        for a, b in itertools.pairwise(chain):
            steps = graph.used_in(a, limit=ALL)  # into an intermediate code, or into any relative of the last one
            strength *= max(n.score for n in steps if n.code == b or (b == down and related(n.code, b)))
        strengths.append((len(chain) - 1, strength))
    assert strengths == [(steps, pytest.approx(s)) for steps, s in expected]
    assert (bool(found) and found[0] == [up, down]) == has_edge(graph, up, down)


# ---------------------------------------------------------------- the data files


def test_load_links_reads_both_files(tmp_path: Path) -> None:
    derived = tmp_path / "derived_links.csv"
    derived.write_text(
        "input,product,weight,confidence,source,detail,coefficient\n"
        "0901,2101,0.8,0.6,derived,IO table,0.12\n"
        "3923.30,2202,0.3,0.5,rules_of_origin,CTH rule,\n"
        "0901,2101,1.4,0.6,derived,out of range,\n"
        "99,2101,0.5,0.5,derived,a chapter,\n"
        "0901,2101,0.5,0.5,oracle,unknown source,\n"
        "1701,1701.99,0.5,0.5,,own subheading,\n"
        "1701,2202,0.5,0.5,,no source,\n",
        encoding="utf-8",
    )
    curated = tmp_path / "curated_chains.yaml"
    curated.write_text(
        "- product: '2202.10'\n"
        "  how_checked: read the HS notes\n"
        "  checked: 2026-11-30\n"
        "  inputs:\n"
        "    - {hs: 0701, role: main, note: potatoes}\n"
        "    - {hs: 1701 1702, role: secondary}\n"
        "    - {hs: 3923, role: packaging}\n"
        "    - {hs: 7010, role: odd}\n"
        "    - {hs: 22, role: main}\n",
        encoding="utf-8",
    )
    problems: list[str] = []
    rows = load_links(derived, curated, problems=problems)
    assert [(x.input, x.product, x.weight, x.confidence, x.source) for x in rows] == [
        ("0901", "2101", 0.8, 0.6, "derived"),
        ("392330", "2202", 0.3, 0.5, "rules_of_origin"),
        ("1701", "2202", 0.5, 0.5, "derived"),
        ("0701", "220210", 1.0, 0.9, "curated"),  # YAML 1.1 would have read 0701 as the octal 449
        ("1701", "220210", 0.6, 0.9, "curated"),
        ("1702", "220210", 0.6, 0.9, "curated"),
        ("3923", "220210", 0.3, 0.9, "curated"),
        ("7010", "220210", 0.6, 0.9, "curated"),
    ]
    assert rows[3].detail == "curated (main): potatoes [read the HS notes]"
    assert len(problems) == 6  # four bad derived rows, the unknown role (kept), the chapter
    assert len(ChainGraph.build(rows)) == 8


def test_missing_files_give_nothing(tmp_path: Path) -> None:
    assert load_links(tmp_path / "none.csv", None) == []
    assert load_end_use(tmp_path / "none.csv") == {}
    assert load_end_use(None) == {}


def test_load_end_use(tmp_path: Path) -> None:
    table = tmp_path / "end_use.csv"
    table.write_text("hs6,end_use,label\n2101.11,consumption,x\n8479,capital,y\nbad,capital,z\n210120,,z\n")
    problems: list[str] = []
    assert load_end_use(table, problems=problems) == {"210111": "consumption", "8479": "capital"}
    assert len(problems) == 1
    header = tmp_path / "wrong.csv"
    header.write_text("a,b\n1,2\n")
    assert load_end_use(header) == {}
