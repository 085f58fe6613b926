"""The gap analysis: examples of each rule, and invariants checked with hypothesis."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ivcs.engines.standards.gap import (
    Estimate,
    Held,
    Requirement,
    SatisfactionGraph,
    Scheme,
    analyse,
    requirements_union,
)
from ivcs.engines.standards.hsranges import HsRangeError, matches, parse_range, parse_ranges

TODAY = date(2026, 11, 30)

SCHEMES = {
    "iso_22000": Scheme("iso_22000"),
    "fssc_22000": Scheme("fssc_22000", frozenset({"gfsi"})),
    "brcgs_food": Scheme("brcgs_food", frozenset({"gfsi"})),
    "sqf_food_safety": Scheme("sqf_food_safety", frozenset({"gfsi"})),
    "sqf_fundamentals": Scheme("sqf_fundamentals"),
    "organic_eu": Scheme("organic_eu"),
    "organic_cl": Scheme("organic_cl"),
    "haccp": Scheme("haccp"),
}
RELATIONS = [
    ("fssc_22000", "iso_22000", "includes"),
    ("organic_cl", "organic_eu", "equivalent"),
    ("iso_22000", "haccp", "includes"),
    ("sqf_food_safety", "sqf_fundamentals", "benchmarked"),  # not a satisfaction
]


def req(rid: str, level: str = "mandatory", options: tuple[str, ...] = (), by: str | None = None) -> Requirement:
    return Requirement(rid, level, frozenset(options), by)  # type: ignore[arg-type]


def run(held: list[Held], reqs: list[Requirement], **kw: object):  # type: ignore[no-untyped-def]
    return analyse(held=held, requirements=reqs, schemes=SCHEMES, relations=RELATIONS, on=TODAY, **kw)  # type: ignore[arg-type]


def test_a_held_scheme_meets_its_own_requirement() -> None:
    result = run([Held("brcgs_food")], [req("r1", options=("brcgs_food",))])
    assert [(m.by, m.via) for m in result.met] == [("brcgs_food", "held")]
    assert result.missing == [] and result.steps == [] and result.ready


def test_inclusion_works_one_way_only() -> None:
    result = run([Held("fssc_22000")], [req("r1", options=("iso_22000",))])
    assert [(m.by, m.via, m.satisfies) for m in result.met] == [("fssc_22000", "equivalence", "iso_22000")]
    result = run([Held("iso_22000")], [req("r1", options=("fssc_22000",))])
    assert result.met == [] and [s.scheme for s in result.steps] == ["fssc_22000"]


def test_inclusion_chains() -> None:
    # FSSC 22000 includes ISO 22000, which includes HACCP: FSSC meets a HACCP requirement.
    result = run([Held("fssc_22000")], [req("r1", options=("haccp",))])
    assert result.met and result.met[0].satisfies == "haccp"


def test_equivalence_works_both_ways() -> None:
    assert run([Held("organic_cl")], [req("r1", options=("organic_eu",))]).ready
    assert run([Held("organic_eu")], [req("r1", options=("organic_cl",))]).ready


def test_benchmarked_is_not_a_satisfaction() -> None:
    assert not run([Held("sqf_food_safety")], [req("r1", options=("sqf_fundamentals",))]).ready


def test_any_gfsi_recognised_scheme() -> None:
    result = run([Held("sqf_food_safety")], [req("r1", by="gfsi")])
    assert result.ready and result.met[0].via == "recognition"
    missing = run([Held("iso_22000")], [req("r1", by="gfsi")])
    assert not missing.ready
    assert set(missing.missing[0].candidates) == {"fssc_22000", "brcgs_food", "sqf_food_safety"}


def test_expired_certificates_meet_nothing_and_are_renewed_first() -> None:
    lapsed = Held("brcgs_food", TODAY - timedelta(days=1))
    result = run([lapsed], [req("r1", by="gfsi")])
    assert not result.ready
    assert result.missing[0].expired == ("brcgs_food",)
    assert result.missing[0].candidates[0] == "brcgs_food"
    assert [s.scheme for s in result.steps] == ["brcgs_food"]


def test_certificates_expiring_before_the_horizon_are_listed() -> None:
    soon = Held("fssc_22000", TODAY + timedelta(days=30))
    later = Held("organic_eu", TODAY + timedelta(days=400))
    result = run([soon, later], [req("r1", by="gfsi")], expiring_before=TODAY + timedelta(days=180))
    assert result.ready
    assert [(e.scheme, e.needed_for) for e in result.expiring] == [("fssc_22000", ("r1",))]


def test_a_certificate_valid_on_its_last_day_still_counts() -> None:
    assert run([Held("brcgs_food", TODAY)], [req("r1", options=("brcgs_food",))]).ready


def test_one_scheme_covering_two_requirements_is_preferred() -> None:
    # FSSC 22000 meets "any GFSI" and "ISO 22000": one step, not two.
    result = run([], [req("r1", by="gfsi"), req("r2", options=("iso_22000",))])
    assert [s.scheme for s in result.steps] == ["fssc_22000"]
    assert set(result.steps[0].meets) == {"r1", "r2"}


def test_cheaper_scheme_wins_a_tie_and_totals_add_up() -> None:
    estimates = {
        "brcgs_food": Estimate("USD", Decimal(5000), Decimal(9000), 4, 9),
        "fssc_22000": Estimate("USD", Decimal(8000), Decimal(15000), 6, 12),
        "organic_eu": Estimate("USD", Decimal(1500), Decimal(3000)),
    }
    result = run([], [req("r1", by="gfsi"), req("r2", options=("organic_eu",))], estimates=estimates)
    # BRCGS beats FSSC 22000 for "any GFSI" on cost; within a level, the cheaper step comes first.
    assert [s.scheme for s in result.steps] == ["organic_eu", "brcgs_food"]
    assert [(c.currency, c.min, c.max) for c in result.total_cost] == [("USD", Decimal(6500), Decimal(12000))]


def test_schemes_that_fit_the_product_come_first() -> None:
    reqs = [req("r1", by="gfsi"), req("r2", options=("organic_eu", "sqf_food_safety"))]
    # Unconstrained, SQF meets both in one step.
    assert [s.scheme for s in run([], reqs).steps] == ["sqf_food_safety"]
    # If SQF does not apply to this product, two fitting schemes beat one that does not fit.
    fitting = frozenset(SCHEMES) - {"sqf_food_safety"}
    result = run([], reqs, fitting=fitting)
    assert {s.scheme for s in result.steps} <= fitting and len(result.steps) == 2
    assert result.missing[0].candidates[-1] == "sqf_food_safety"  # listed, after those that fit
    # A requirement only an unfitting scheme meets still gets a step.
    only = run([], [req("r1", options=("sqf_fundamentals",))], fitting=frozenset({"haccp"}))
    assert [s.scheme for s in only.steps] == ["sqf_fundamentals"]


def test_mandatory_requirements_are_planned_before_preferred() -> None:
    result = run([], [req("p", "preferred", ("organic_eu",)), req("m", "mandatory", ("haccp",))])
    assert [s.level for s in result.steps] == ["mandatory", "preferred"]


def test_a_requirement_no_known_scheme_meets_is_reported() -> None:
    result = run([], [req("r1", options=("unknown_scheme",))])
    assert result.unmeetable == ["r1"] and result.steps == [] and not result.ready


def test_requirements_union_keeps_the_strongest_level_and_every_asker() -> None:
    a = [req("a1", "preferred", by="gfsi")]
    b = [req("b1", "mandatory", by="gfsi"), req("b2", "preferred", ("organic_eu",))]
    merged = requirements_union([("buyer_a", a), ("buyer_b", b)])
    gfsi = next(r for r in merged if r.recognised_by == "gfsi")
    assert gfsi.level == "mandatory" and gfsi.asked_by == ("buyer_a", "buyer_b")
    assert len(merged) == 2


def test_satisfaction_graph_ignores_self_loops() -> None:
    graph = SatisfactionGraph([("a", "a", "equivalent"), ("a", "b", "includes")])
    assert graph.satisfied_by("a") == {"a", "b"} and graph.satisfied_by("b") == {"b"}


# --- HS ranges ---------------------------------------------------------------------------------------


def test_hs_ranges() -> None:
    ranges = parse_ranges(["0901", "1801-1806", "61-63"])
    assert matches(ranges, "090121") and matches(ranges, "1806") and matches(ranges, "620342")
    assert matches(ranges, "09")  # the chapter overlaps a heading inside it
    assert not matches(ranges, "0902") and not matches(ranges, "1807") and not matches(ranges, "64")
    for bad in ["9", "0901-09", "1806-1801", "abc", ""]:
        try:
            parse_range(bad)
        except HsRangeError:
            continue
        raise AssertionError(f"{bad!r} should not parse")


# --- Invariants --------------------------------------------------------------------------------------

IDS = sorted(SCHEMES)
requirements_st = st.lists(
    st.builds(
        lambda i, level, options, by: req(f"r{i}", level, tuple(options), by),
        st.integers(0, 10_000),
        st.sampled_from(["mandatory", "preferred"]),
        st.lists(st.sampled_from(IDS), max_size=3),
        st.sampled_from([None, None, "gfsi"]),
    ).filter(lambda r: r.options or r.recognised_by),
    max_size=6,
    unique_by=lambda r: r.id,
)
held_st = st.lists(
    st.builds(
        Held, st.sampled_from(IDS), st.one_of(st.none(), st.integers(-400, 400).map(lambda d: TODAY + timedelta(d)))
    ),
    max_size=4,
    unique_by=lambda h: h.scheme,
)


@settings(max_examples=200, deadline=None)
@given(held=held_st, reqs=requirements_st)
def test_met_and_missing_partition_the_requirements(held: list[Held], reqs: list[Requirement]) -> None:
    result = run(held, reqs)
    missing = {m.requirement.id for m in result.missing}
    assert sorted(m.requirement.id for m in result.met) == sorted(r.id for r in reqs if r.id not in missing)
    assert len(result.met) + len(result.missing) == len(reqs)
    for m in result.met:  # expired certificates never count
        holding = next(h for h in held if h.scheme == m.by)
        assert holding.expires is None or holding.expires >= TODAY


@settings(max_examples=200, deadline=None)
@given(held=held_st, reqs=requirements_st, fitting=st.one_of(st.none(), st.frozensets(st.sampled_from(IDS))))
def test_following_the_plan_meets_every_meetable_requirement(
    held: list[Held], reqs: list[Requirement], fitting: frozenset[str] | None
) -> None:
    result = run(held, reqs, fitting=fitting)
    valid = {h.scheme for h in held if h.expires is None or h.expires >= TODAY}
    assert not valid & {s.scheme for s in result.steps}  # never plans what is validly held
    after = run([*held, *(Held(s.scheme) for s in result.steps)], reqs)
    assert {m.requirement.id for m in after.missing} == set(result.unmeetable)


@settings(max_examples=200, deadline=None)
@given(held=held_st, reqs=requirements_st, extra=st.sampled_from(IDS))
def test_holding_more_never_lacks_more(held: list[Held], reqs: list[Requirement], extra: str) -> None:
    before = run(held, reqs)
    more = [h for h in held if h.scheme != extra] + [Held(extra)]
    assert len(run(more, reqs).missing) <= len(before.missing)


def test_standards_engine_imports_without_django() -> None:
    code = (
        "import sys; import ivcs.engines.standards.gap, ivcs.engines.standards.hsranges; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
