"""The derivation of product <- input links (ivcs/engines/chains/derive.py, roo_materials.py).

Two kinds of tests: small hand-made tables that pin down each rule of the method, and checks on the real
sources copied into data/ (a known coefficient recomputed by hand, familiar chains, the committed outputs
being exactly what the code writes).
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest

from ivcs.engines.chains import derive as d
from ivcs.engines.chains.roo_materials import clean_rule_text, excerpt, parse_rule_text

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "data" / "input_output" / "source"
RULES = ROOT / "data" / "rules_of_origin" / "uk_trade_tariff_backend" / "rule_sets"
OUT = ROOT / "data" / "input_output"
UNIVERSE = frozenset(
    {"0401", "0806", "0901", "1701", "1702", "1703", "1704", "1801", "2204", "2208"}
    | {f"{c}{h:02d}" for c in ("50", "51", "52", "53", "54", "55", "56", "60") for h in range(1, 14)}
)


# --- rules-of-origin texts ---------------------------------------------------------------------------------
def _mentions(text: str, universe: frozenset[str] = UNIVERSE) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(m.role, m.kind, m.headings) for m in parse_rule_text(text, universe)]


def test_manufacture_from_yarn_names_the_yarn_headings() -> None:
    [(role, kind, headings)] = _mentions("Manufacture from yarn.")
    assert (role, kind) == ("uses", "word")
    assert {"5205", "5206", "5207", "5509", "5510", "5106", "5401"} <= set(headings)
    assert not {"5201", "5208", "6001"} & set(headings)  # fibres and fabrics are not yarn


def test_specific_yarn_words_win_over_generic_yarn() -> None:
    found = _mentions("Manufacture from: - silk yarn, - wool yarn, - cotton fibres, - chemical materials")
    assert ("uses", "word", ("5004", "5005", "5006")) in found
    assert ("uses", "word", ("5106", "5107", "5108", "5109", "5110")) in found
    assert ("uses", "word", ("5201", "5202", "5203")) in found
    assert len(found) == 3  # "chemical materials" is deliberately not mapped


def test_value_cap_on_a_chapter_names_that_chapter() -> None:
    text = (
        "Manufacture:\n\n- from materials of any heading, except that of the product, *and*\n\n- in which the value "
        "of all the materials of [chapter&nbsp;17](/chapters/17) used does not exceed **30%** of the ex-works price"
    )
    assert _mentions(text) == [("uses", "chapter", ("1701", "1702", "1703", "1704"))]


def test_change_of_heading_exceptions_with_bare_ranges_and_the_product_left_out() -> None:
    text = (
        "A change to a good of [heading&nbsp;5208](/headings/5208) from any other heading, except from "
        "[heading&nbsp;5106](/headings/5106) to [heading&nbsp;5113](/headings/5113), [heading&nbsp;5205]"
        "(/headings/5205) to [heading&nbsp;5207](/headings/5207), 5209 to 5212 or 5401 to 5402."
    )
    found = _mentions(text)
    assert all(role == "except" for role, _, _ in found)
    named = {h for _, _, hs in found for h in hs}
    assert {"5205", "5206", "5207", "5209", "5212", "5401", "5402", "5106", "5113"} <= named
    assert "5208" not in named  # "a change to a good of heading 5208" is the product, not a material


def test_grapes_exclusions_dates_and_may_not() -> None:
    found = _mentions(
        "Manufacture: - from materials of any heading, except heading 2207 or heading 2208, and - in which all the "
        "grapes or materials derived from grapes used are wholly obtained."
    )
    assert ("except", "heading", ("2208",)) in found
    assert ("uses", "word", ("0806",)) in found
    assert _mentions("CTH: non-originating materials of heading 0401 (until 31 December 2023).") == [
        ("uses", "heading", ("0401",))
    ]
    assert _mentions("However, waste and scrap of heading 0806 may not be used.") == [("except", "heading", ("0806",))]


def test_fabric_word_reads_knitting_context() -> None:
    [(_, _, knit)] = _mentions("Knitting or crocheting combined with making-up including cutting of fabric.")
    assert set(knit) == {"6001", "6002", "6003", "6004", "6005", "6006"}
    woven = _mentions("Manufacture from unembroidered fabric (other than knitted or crocheted)")
    assert woven and all("6001" not in hs and "5208" in hs for _, _, hs in woven)


def test_clean_text_and_excerpt() -> None:
    clean = clean_rule_text("from [heading&nbsp;6406](/headings/6406) <abbr title='x'>CTH</abbr> **30%**")
    assert clean == "from heading 6406 CTH 30%"
    long = "word " * 100 + "chapter 17" + " word" * 100
    start = long.index("chapter 17")
    quote = excerpt(long, start, start + 10, 60)
    assert "chapter 17" in quote and quote.startswith("...") and quote.endswith("...") and len(quote) <= 66


# --- small hand-made tables ---------------------------------------------------------------------------------
def _write(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    """Wineries (312130) buy fruit farming (111300), glass (327200), packaging machinery (333993), crude oil
    (211000) and their own output; fruit farming covers grapes (household food), coffee and cocoa beans."""
    src, rules = tmp_path / "source", tmp_path / "rules"
    hs_naics = [
        ("080610", "111332"),
        ("090111", "111339"),
        ("180100", "111335"),
        ("220410", "312130"),
        ("220421", "312130"),
        ("220820", "312130"),
        ("701090", "327213"),
        ("842230", "333993"),
        ("842290", "333993"),
        ("270900", "211120"),
        ("030211", "990000"),
    ]
    _write(
        src / d.F_HS6_NAICS,
        ["HS6_6d", "HS6_4d", "HS6_2d", "NAICS_6d", "NAICS_5d", "NAICS_4d", "NAICS_3d", "NAICS_2d"],
        [[h, h[:4], h[:2], n, n[:5], n[:4], n[:3], n[:2]] for h, n in hs_naics],
    )
    bec = {
        "080610": "112",
        "090111": "111",
        "180100": "111",
        "220410": "122",
        "220421": "122",
        "220820": "122",
        "701090": "220",
        "842230": "410",
        "842290": "420",
        "270900": "310",
        "030211": "112",
    }
    _write(
        src / d.F_HS6_BEC,
        ["HS6_6d", "HS6_4d", "HS6_2d", "BEC4_3d", "BEC4_2d", "BEC4_1d"],
        [[h, h[:4], h[:2], b, b[:2], b[:1]] for h, b in bec.items()],
    )
    (src / d.F_BEC_ENDUSE).parent.mkdir(parents=True)
    shutil.copy(SOURCE / d.F_BEC_ENDUSE, src / d.F_BEC_ENDUSE)
    crosswalk = [("111300", "11133"), ("312130", "312130"), ("327200", "32721"), ("333993", "333993")]
    crosswalk.append(("211000", "2111"))
    _write(
        src / d.F_CROSSWALK,
        ["BEA_2017_Sector_Code", "BEA_2017_Summary_Code", "BEA_2017_Detail_Code", "NAICS_2017_Code", "NAICS_2012_Code"],
        [[b[:2], b[:3], b, n, n] for b, n in crosswalk],
    )
    use = [
        ("111300", "312130", 176.0),
        ("327200", "312130", 29.0),
        ("333993", "312130", 61.0),
        ("211000", "312130", 5.0),
        ("312130", "312130", 61.0),
        ("541100", "312130", 40.0),  # legal services: not a good
        ("V00100", "312130", 300.0),
        ("T008", "312130", 1000.0),
        ("T008", "111300", 500.0),
        ("312130", "111300", 0.0),
    ]
    _write(src / d.F_USE, ["row_code", "col_code", "value_musd"], use)
    make = [("312130", "312130", 1000.0), ("312130", "T008", 1000.0), ("111300", "T008", 500.0)]
    _write(src / d.F_MAKE, ["industry_code", "commodity_code", "value_musd"], make)
    names = [("111300", "Fruit farming"), ("312130", "Wineries"), ("327200", "Glass"), ("333993", "Packaging mach")]
    names += [("211000", "Oil and gas"), ("541100", "Legal services")]
    _write(src / d.F_COMMODITIES, ["BEA_2017_Detail_Commodity_Code", "BEA_2017_Detail_Commodity_Name"], names)
    _write(src / d.F_INDUSTRIES, ["BEA_2017_Detail_Industry_Code", "BEA_2017_Detail_Industry_Name"], names)
    rules.mkdir()
    rule = "Manufacture in which all the grapes or materials derived from grapes used are wholly obtained."
    rule_set = {"heading": "2204", "min": "2204000000", "max": "2204999999", "valid": True, "rules": [{"rule": rule}]}
    (rules / "andean.json").write_text(json.dumps({"rule_sets": [rule_set]}), encoding="utf-8")
    return src, rules


def _by_pair(links: list[dict[str, object]]) -> dict[tuple[str, str, str], dict[str, object]]:
    return {(str(x["input"]), str(x["product"]), str(x["source"])): x for x in links}


def test_tiny_wine_gets_grapes_from_the_rule_and_drops_non_materials(tiny: tuple[Path, Path]) -> None:
    links, end_use = d.build(*tiny)
    pairs = _by_pair(links)
    grapes = pairs[("0806", "2204", "derived")]
    # fruit farming's whole coefficient 176/1000 goes to the heading the rule names (grapes, a household food
    # that a food industry may buy), not to coffee or cocoa beans
    assert grapes["coefficient"] == pytest.approx(0.176)
    assert grapes["weight"] == 1.0 and float(str(grapes["confidence"])) >= 0.6
    assert "312130 (Wineries) buys 111300 (Fruit farming) for 0.1760 of output" in str(grapes["detail"])
    assert ("0901", "2204", "derived") not in pairs and ("1801", "2204", "derived") not in pairs
    rule = pairs[("0806", "2204", "rules_of_origin")]
    assert rule["weight"] == d.ROO_WEIGHT["uses"] and rule["coefficient"] is None
    assert 'names grapes: "Manufacture in which all the grapes' in str(rule["detail"])
    inputs = {i for i, p, _ in pairs if p == "2204"}
    assert "2709" not in inputs  # crude oil is fuel for a winery
    assert "8422" not in inputs  # packaging machinery is equipment (its commodity is mostly capital goods)
    assert "2204" not in inputs  # no self-links
    glass = pairs[("7010", "2204", "derived")]
    assert glass["coefficient"] == pytest.approx(0.029) and float(str(glass["confidence"])) < 0.4
    # the intra-industry purchase covers 2204 and 2208; in the product's own chapter only lower-numbered headings
    # are kept (2208 is taken for a sibling), and the own heading is not an input: nothing is left
    assert ("2208", "2204", "derived") not in pairs
    assert end_use["080610"] == "consumption" and end_use["842230"] == "capital" and end_use["090111"] == "intermediate"
    assert end_use["030211"] == "consumption"


def test_tiny_without_rules_spreads_over_intermediate_headings_only(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    empty = tmp_path / "no_rules"
    empty.mkdir()
    links, _ = d.build(tiny[0], empty)
    pairs = _by_pair(links)
    assert ("0806", "2204", "derived") not in pairs  # grapes are a household food and no rule names them
    assert pairs[("0901", "2204", "derived")]["coefficient"] == pytest.approx(0.176 / 2)
    assert pairs[("1801", "2204", "derived")]["coefficient"] == pytest.approx(0.176 / 2)


def test_tiny_cli_is_deterministic(tiny: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, rules = tiny
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert d.main(["--source", str(src), "--rules", str(rules), "--out", str(out)]) == 0
    assert (first / "derived_links.csv").read_bytes() == (second / "derived_links.csv").read_bytes()
    assert (first / "end_use.csv").read_bytes() == (second / "end_use.csv").read_bytes()
    assert "derived_links:" in capsys.readouterr().out


def test_hs6_to_bea_merges_naics_codes_of_one_bea_industry_and_falls_back_to_parents() -> None:
    table = d.naics_to_bea(d._rows(SOURCE / d.F_CROSSWALK))
    rows = [r for r in d._rows(SOURCE / d.F_HS6_NAICS) if r["HS6_6d"] in ("520511", "640399")]
    mapping = d.hs6_to_bea(rows, table)
    assert mapping["520511"] == {"313100": pytest.approx(1.0)}  # NAICS 313110 and 313111 are both BEA 313100
    assert mapping["640399"] == {"316000": pytest.approx(1.0)}
    assert d.bea_of_naics("31135X", table) == {"311300"}  # 'X' filler: the 5-digit parent
    assert d.bea_of_naics("910000", table) == {d.SCRAP}
    assert d.bea_of_naics("990000", table) == frozenset()


def test_end_use_majority_with_intermediate_first_on_ties() -> None:
    enduse = d._rows(SOURCE / d.F_BEC_ENDUSE)
    rows = [
        {"HS6_6d": "000001", "BEC4_3d": "410"},
        {"HS6_6d": "000001", "BEC4_3d": "220"},  # tie capital/intermediate -> intermediate
        {"HS6_6d": "000002", "BEC4_3d": "610"},
        {"HS6_6d": "000002", "BEC4_3d": "620"},
        {"HS6_6d": "000002", "BEC4_3d": "220"},  # 2 consumption : 1 intermediate
    ]
    out, _ = d.end_use_table(["000003"], rows, enduse)
    assert out == {"000001": "intermediate", "000002": "consumption", "000003": "not_classified"}


# --- the real sources -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> d.Derivation:
    return d.derive(SOURCE, RULES)


def test_direct_requirement_recomputed_from_the_use_table() -> None:
    """a_ij = Use[i, j] / T008[j]; T008 is total industry output = intermediate inputs + value added."""
    cells: dict[tuple[str, str], float] = {}
    column: dict[str, float] = defaultdict(float)
    for r in d._rows(SOURCE / d.F_USE):
        cells[(r["row_code"], r["col_code"])] = float(r["value_musd"])
        if r["row_code"] not in ("T005", "T006", "T008"):
            column[r["col_code"]] += float(r["value_musd"])
    table = d.load_use(d._rows(SOURCE / d.F_USE), d._rows(SOURCE / d.F_MAKE))
    grapes_for_wine = cells[("111300", "312130")] / cells[("T008", "312130")]
    assert table.coefficient("111300", "312130") == pytest.approx(grapes_for_wine)
    assert 0.17 < grapes_for_wine < 0.18  # wineries spend about 17.6% of their output on fruit farming
    for industry in ("312130", "311920", "315000", "334111"):
        assert column[industry] == pytest.approx(cells[("T008", industry)], rel=1e-3)
    assert table.coefficient("541100", "999999") == 0.0


def test_output_format(real: d.Derivation) -> None:
    assert real.links, "no links derived"
    keys = [(str(x["product"]), str(x["source"]), -float(str(x["weight"])), str(x["input"])) for x in real.links]
    assert keys == sorted(keys)
    for link in real.links:
        assert set(link) == set(d.LINK_FIELDS)
        assert len(str(link["input"])) == 4 and str(link["input"]).isdigit()
        assert len(str(link["product"])) == 4 and link["input"] != link["product"]
        assert 0.0 < float(str(link["weight"])) <= 1.0
        assert 0.0 < float(str(link["confidence"])) < 1.0
        assert link["source"] in ("derived", "rules_of_origin")
        assert (link["coefficient"] is None) == (link["source"] == "rules_of_origin")
        assert str(link["detail"])
    per_product: dict[tuple[str, str], int] = defaultdict(int)
    for link in real.links:
        per_product[(str(link["product"]), str(link["source"]))] += 1
    assert max(n for (_, s), n in per_product.items() if s == "derived") <= d.MAX_INPUTS + d.MAX_NAMED_EXTRA
    assert max(n for (_, s), n in per_product.items() if s == "rules_of_origin") <= d.MAX_ROO_INPUTS


def test_filters_drop_consumption_capital_and_below_threshold(real: d.Derivation) -> None:
    by_heading: dict[str, set[str]] = defaultdict(set)
    for hs6, use in real.end_use.items():
        by_heading[hs6[:4]].add(use)
    for link in real.links:
        if link["source"] != "derived":
            continue
        uses = by_heading[str(link["input"])]
        buyer = str(link["detail"]).split("Use table: ", 1)[1][:3]
        # household food goes into a product only when the buying industry makes food, drink or tobacco
        assert "intermediate" in uses or (buyer in d.FOOD_BUYERS and "consumption" in uses), link
        assert float(str(link["coefficient"])) >= d.MIN_COEFFICIENT
    inputs = {str(x["input"]) for x in real.links if x["source"] == "derived"}
    assert not {"6109", "6403", "8703", "2203"} & inputs  # clothes, shoes, cars, beer are not materials


def test_end_use_covers_every_hs6(real: d.Derivation) -> None:
    hs6 = {r["HS6_6d"] for r in d._rows(SOURCE / d.F_HS6_NAICS)} | {
        r["HS6_6d"] for r in d._rows(SOURCE / d.F_HS6_BEC) if r["HS6_6d"]
    }
    assert set(real.end_use) == hs6
    assert set(real.end_use.values()) <= set(d.END_USES)
    assert real.end_use["847130"] == "capital" and real.end_use["640399"] == "consumption"
    assert real.end_use["520512"] == "intermediate" and real.end_use["710820"] == "not_classified"


def _inputs(real: d.Derivation, product: str, source: str = "derived") -> dict[str, dict[str, object]]:
    return {str(x["input"]): x for x in real.links if x["product"] == product and x["source"] == source}


def test_familiar_chains(real: d.Derivation) -> None:
    wine = _inputs(real, "2204")
    assert wine["0806"]["weight"] == 1.0 and float(str(wine["0806"]["confidence"])) >= 0.8
    assert "0806" in _inputs(real, "2204", "rules_of_origin")
    cheese = _inputs(real, "0406")
    assert cheese["0401"]["weight"] == 1.0  # raw milk, through the dairy-farm supplement
    assert {"1701", "1803"} <= set(_inputs(real, "1806"))  # sugar, cocoa paste
    assert {"4104", "4107"} <= set(_inputs(real, "6403"))  # leather for leather footwear
    computers = _inputs(real, "8471")
    assert max(computers, key=lambda g: float(str(computers[g]["weight"]))) == "8473"
    assert {"8541", "8542"} <= set(computers)
    assert {"5205", "5509"} <= set(_inputs(real, "6109", "rules_of_origin"))  # "Manufacture from yarn"
    assert "6406" in _inputs(real, "6403", "rules_of_origin")  # "uppers of heading 6406 used"
    assert {"1701", "1702"} <= set(_inputs(real, "1806", "rules_of_origin"))  # "materials of chapter 17"


def test_committed_outputs_are_what_the_code_writes(real: d.Derivation, tmp_path: Path) -> None:
    d.write_links(tmp_path / "derived_links.csv", real.links)
    d.write_end_use(tmp_path / "end_use.csv", real.end_use)
    for name in ("derived_links.csv", "end_use.csv"):
        assert (tmp_path / name).read_bytes() == (OUT / name).read_bytes(), f"regenerate data/input_output/{name}"
    header = (OUT / "derived_links.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "input,product,weight,confidence,source,detail,coefficient"


def test_sources_are_the_repo_copies_with_provenance() -> None:
    provenance = (SOURCE / "PROVENANCE.md").read_text(encoding="utf-8")
    for rel in (d.F_HS6_NAICS, d.F_HS6_BEC, d.F_BEC_ENDUSE, d.F_CROSSWALK, d.F_USE, d.F_MAKE, d.F_COMMODITIES):
        assert (SOURCE / rel).is_file()
        assert Path(rel).name in provenance
    for name, _ in d.AGREEMENTS:
        assert (RULES / f"{name}.json").is_file()
    assert (ROOT / "data" / "rules_of_origin" / "PROVENANCE.md").is_file()
    code = (ROOT / "ivcs" / "engines" / "chains" / "derive.py").read_text(encoding="utf-8")
    assert "/work/shared" not in code and "shared/data" not in code
