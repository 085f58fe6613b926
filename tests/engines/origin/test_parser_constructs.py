"""The recurring constructs the parser reads since the coverage push (real texts from the rule-set files): exceptions
naming part of a heading, "However, X may (not) be used", same-heading value limits, quota and date provisos, the
rule for sets, the chapter 39 predominance proviso, and the EU prototype data's wording."""

from __future__ import annotations

import json
from pathlib import Path

from ivcs.engines.origin.grammar import (
    ALL_CODES,
    AllOf,
    AnyOf,
    CodeSet,
    ContentCondition,
    ManufactureFrom,
    MaterialValueLimit,
    MaterialWhollyObtained,
    MaxNonOriginating,
    Rule,
    SpecificProcess,
    TariffShift,
    Tolerance,
    Unparsed,
    is_structured,
    rule_from_dict,
)
from ivcs.engines.origin.parser import except_items, load_scheme, normalise, parse_rule
from ivcs.engines.origin.words import MATERIAL_WORDS

CTH = TariffShift("heading")
EU_RULE_SETS = Path(__file__).resolve().parents[3] / "data/rules_of_origin/eu_ott_prototype/rule_sets"


def _round_trips(rule: Rule) -> None:
    assert is_structured(rule)
    assert rule_from_dict(json.loads(json.dumps(rule.as_dict()))) == rule


# --- exceptions naming part of a heading ------------------------------------------------------------------


def test_exception_naming_part_of_a_heading_becomes_a_condition_not_the_whole_heading() -> None:
    rule = parse_rule(
        "Manufacture from materials of any heading, except those of heading 0203, heading 0206 or heading 0207 or "
        "bones of heading 0506."
    )
    assert rule == AllOf(
        (
            TariffShift("heading", ALL_CODES, CodeSet.of("0203", "0206", "0207")),
            ContentCondition("no non-originating bones of heading 0506 are used"),
        )
    )
    _round_trips(rule)
    uppers = parse_rule(
        "Manufacture from materials of any heading, except from assemblies of uppers affixed to inner soles or to "
        "other sole components of heading 6406."
    )
    assert uppers == AllOf(
        (
            TariffShift("heading", ALL_CODES),
            ContentCondition(
                "no non-originating assemblies of uppers affixed to inner soles or to other sole components of "
                "heading 6406 are used"
            ),
        )
    )
    assert parse_rule(
        "Manufacture from materials of any heading, except that of the product and uppers of heading 6406."
    ) == (AllOf((CTH, ContentCondition("no non-originating uppers of heading 6406 are used"))))


def test_mexico_heading_other_than_the_products_except_listed_materials() -> None:
    assert parse_rule(
        "Manufacture in which all the materials used are classified within a heading other than that of the product, "
        "except for materials of chapter 73 and heading 4814 and heading 9032."
    ) == TariffShift("heading", None, CodeSet.of("73", "4814", "9032"))
    assert parse_rule(
        "Manufacture in which all the materials used are classified within a heading other than that of the product, "
        "except for heading 8518 and heading 8529."
    ) == TariffShift("heading", None, CodeSet.of("8518", "8529"))
    assert parse_rule("Manufacture from materials not classified in heading 4909 or heading 4911.") == TariffShift(
        "heading", ALL_CODES, CodeSet.of("4909", "4911")
    )


def test_eu_tca_exception_named_in_words_only() -> None:
    rule = parse_rule(
        "CTH: All non-originating materials used in the production of the good have undergone a change in tariff "
        "classification at the 4-digit level (tariff heading) except from non-originating active cathode materials."
    )
    assert rule == AllOf((CTH, ContentCondition("no non-originating active cathode materials are used")))


def test_except_items_refuses_what_is_not_an_exception_list() -> None:
    assert except_items("heading 0203 or bones of heading 0506") == (
        CodeSet.of("0203"),
        [ContentCondition("no non-originating bones of heading 0506 are used")],
    )
    assert except_items("potato starch of heading 110") is None  # truncated code
    assert except_items("that of the product. However, X may be used") is None
    assert except_items("black split beans of heading ex 0713") is None


# --- "However, X may (not) be used" -----------------------------------------------------------------------


def test_however_may_not_be_used_adds_an_exception() -> None:
    rule = parse_rule(
        "Manufacture from materials of any heading, except that of the product. However, waste and scrap of heading "
        "7802 may not be used."
    )
    assert rule == AllOf((CTH, ContentCondition("no non-originating waste and scrap of heading 7802 are used")))


def test_however_may_be_used_with_codes_is_an_unlimited_own_tolerance() -> None:
    rule = parse_rule(
        "Manufacture from materials of any heading, except that of the product. However, materials of subheading "
        "960891 or subheading 960899 may be used."
    )
    assert rule == TariffShift("heading", tolerance=Tolerance(100.0, CodeSet.of("960891", "960899")))


def test_however_may_be_used_in_words_is_the_rule_or_a_question() -> None:
    rule = parse_rule(
        "Manufacture from materials of any heading, except that of the product. However, handles of base metal may "
        "be used."
    )
    assert isinstance(rule, AnyOf) and rule.parts[0] == CTH
    assert rule.parts[1] == ContentCondition(
        'the only materials used that do not meet the rule "Manufacture from materials of any heading, except that '
        'of the product" are handles of base metal'
    )
    beans = parse_rule(
        "Manufacture in which all the vegetables, fruit or nuts used are wholly obtained. However, black split beans "
        "of heading ex 0713 may be used."
    )
    assert isinstance(beans, AnyOf)
    assert beans.parts[0] == MaterialWhollyObtained(
        MATERIAL_WORDS["vegetables, fruit or nuts"], "vegetables, fruit or nuts"
    )
    assert isinstance(beans.parts[1], ContentCondition) and "black split beans" in beans.parts[1].text


# --- same-heading limits, tolerances ----------------------------------------------------------------------


def test_value_of_same_heading_materials_is_a_heading_change_with_own_tolerance() -> None:
    same = TariffShift("heading", tolerance=Tolerance(20.0))
    assert (
        parse_rule(
            "Manufacture in which the value of all the materials of the same heading as the product used does not "
            "exceed 20% of the ex-works price of the product."
        )
        == same
    )
    assert (
        parse_rule(
            "Manufacture in which the value of any materials classified in the same heading as the product does not "
            "exceed 20% of the ex-works price of the product."
        )
        == same
    )
    rule = parse_rule(
        "Manufacture: - in which the value of all the materials used does not exceed 40% of the ex-works price of the "
        "product, - where, within the above limit, the materials classified within the same heading as the product "
        "are only used up to a value of 25% of the ex-works price of the product."
    )
    assert rule == AllOf((MaxNonOriginating(40.0), TariffShift("heading", tolerance=Tolerance(25.0))))


def test_tolerance_taken_together_and_from_heading() -> None:
    rule = parse_rule(
        "Manufacture in which all the materials used are classified within a heading other than heading 3701 or "
        "heading 3702. However, materials from heading 3701 and heading 3702 may be used provided their value taken "
        "together, does not exceed 20% of the ex-works price of the product."
    )
    assert rule == TariffShift(
        "heading", ALL_CODES, CodeSet.of("3701", "3702"), Tolerance(20.0, CodeSet.of("3701", "3702"))
    )


def test_manufacture_from_coded_materials_with_their_own_value_limit() -> None:
    rule = parse_rule(
        "Manufacture from leather of heading 4104 to heading 4107 provided its value does not exceed 50% of the "
        "ex-works price of the product."
    )
    codes = CodeSet.of("4104-4107")
    desc = "leather of heading 4104 to heading 4107"
    assert rule == AllOf((ManufactureFrom(codes, desc), MaterialValueLimit(codes, 50.0, "ex_works", desc)))


# --- provisos a machine cannot decide ---------------------------------------------------------------------


def test_annual_quota_and_time_limit_become_conditions() -> None:
    quota = parse_rule(
        "CTH: All non-originating materials used in the production of the good have undergone a change in tariff "
        "classification at the 4-digit level (tariff heading) except from non-originating materials of heading 7604 "
        "- within the limits of the applicable annual quota."
    )
    assert quota == AllOf(
        (
            TariffShift("heading", None, CodeSet.of("7604")),
            ContentCondition("the export is within the limits of the applicable annual quota"),
        )
    )
    dated = parse_rule(
        "A maximum of 70% of the ex-works price (EXW) is made up of non-originating parts (MAXNOM) (until 31 December "
        "2023)."
    )
    assert dated == AllOf(
        (
            MaxNonOriginating(70.0),
            ContentCondition("the export takes place on or before 31 December 2023 (the rule applies until then)"),
        )
    )
    # the 45% rule is not time-limited, only the 60% one: the text stays unparsed rather than dating both
    assert isinstance(
        parse_rule(
            "A maximum of 45% of the ex-works price (EXW) is made up of non-originating parts (MAXNOM) and battery "
            "packs of heading 8507 of a kind used as the primary source of electrical power for propulsion of the "
            "vehicle must be originating. A maximum of 60% of the ex-works price (EXW) is made up of non-originating "
            "parts (MAXNOM) (until 31 December 2023)."
        ),
        Unparsed,
    )


def test_mexico_printing_quota_proviso() -> None:
    rule = parse_rule(
        "Printing accompanied by at least two preparatory or finishing operations (such as scouring, bleaching, "
        "mercerising, heat setting, raising, calendering, shrink- resistance processing, permanent finishing, "
        "decatising, impregnating, mending and burling) where the value of the unprinted fabric used does not exceed "
        "47.5% of the ex-works price of the product. For heading 5801, heading 5806 and heading 5811, the printing "
        "rule shall apply only to exports from the United Kingdom to Mexico for an aggregate annual quota of 37 200 "
        'm2. This quota will be allocated on a "first come, first served" basis by Mexico.'
    )
    assert isinstance(rule, AllOf) and len(rule.parts) == 3
    assert isinstance(rule.parts[0], SpecificProcess) and rule.parts[0].name == "printing"
    assert isinstance(rule.parts[1], MaterialValueLimit) and rule.parts[1].percent == 47.5
    assert isinstance(rule.parts[2], ContentCondition)
    assert "only to exports from the United Kingdom to Mexico" in rule.parts[2].text


def test_rule_for_sets_and_retained_origin_are_conditions() -> None:
    sets = parse_rule(
        "Each item in the set must satisfy the rule which would apply to it if it were not included in the set. "
        "However, non-originating articles may be incorporated, provided that their total value does not exceed 15% "
        "of the ex-works price of the set."
    )
    assert isinstance(sets, ContentCondition) and sets.text.startswith("the set meets the rule for sets: Each item")
    kept = parse_rule("The origin of the product in its original classification shall be retained.")
    assert isinstance(kept, ContentCondition) and "originating in its original classification" in kept.text


def test_chapter_39_predominance_relaxes_the_rule() -> None:
    rule = parse_rule(
        "Manufacture in which all the materials used are classified within a chapter other than chapter 39. However, "
        "materials classified within chapter 39 may be used, provided their value does not exceed 20% of the "
        "ex-works price of the product. In the case of the products composed of materials classified within both "
        "heading 3901 to heading 3906, on the one hand, and within heading 3907 to heading 3911, on the other hand, "
        "this restriction only applies to that group of materials which predominates by weight in the product."
    )
    assert isinstance(rule, AnyOf)
    assert rule.parts[0] == TariffShift("chapter", ALL_CODES, CodeSet.of("39"), Tolerance(20.0, CodeSet.of("39")))
    assert isinstance(rule.parts[1], ContentCondition) and "predominates by weight" in rule.parts[1].text


def test_process_with_a_value_limit_on_materials_named_in_words() -> None:
    rule = parse_rule(
        "Cutting of glassware, provided that the total value of the uncut glassware used does not exceed 50% of the "
        "ex-works price of the product."
    )
    assert rule == AllOf(
        (
            SpecificProcess("cutting", "Cutting of glassware"),
            ContentCondition(
                "the total value of the uncut glassware used does not exceed 50% of the ex-works price of the product"
            ),
        )
    )
    treated = parse_rule(
        "Manufacture by electrolytic or thermal treatment in which the value of all the materials used does not "
        "exceed 50% of the ex-works price of the product."
    )
    assert isinstance(treated, AllOf) and treated.parts[1] == MaxNonOriginating(50.0)
    assert (
        isinstance(treated.parts[0], SpecificProcess) and treated.parts[0].name == "electrolytic or thermal treatment"
    )


def test_manufacture_from_a_material_not_in_the_word_table_is_a_question() -> None:
    rule = parse_rule("Manufacture from asbestos concentrate.")
    assert isinstance(rule, ContentCondition)
    assert rule.text.startswith("the product is manufactured from asbestos concentrate: no non-originating material")
    # listed or qualified materials stay unparsed
    assert isinstance(parse_rule("Manufacture from boards not cut to size."), Unparsed)


# --- EU prototype wording ---------------------------------------------------------------------------------


def test_eu_prototype_wording_per_cent_footnotes_decimal_comma() -> None:
    rule = parse_rule(
        "Manufacture in which: \n\n- all the materials of [chapter 4](/chapters/04) used are wholly obtained, and\n"
        "                        \n\n- the value of all the materials of [chapter 17](/chapters/17) used does not "
        "exceed 30 per cent of the\n                        ex-works price of the product"
    )
    assert rule == AllOf((MaterialWhollyObtained(CodeSet.of("04")), MaterialValueLimit(CodeSet.of("17"), 30.0)))
    assert normalise("Manufacture from single yarn9") == "Manufacture from single yarn"
    assert parse_rule("Manufacture from single yarn9") == ManufactureFrom(MATERIAL_WORDS["single yarn"], "single yarn")
    printing = parse_rule(
        "Printing17accompanied by at least two preparatory or finishing operations (such as scouring, bleaching, "
        "mercerising, heat setting, raising, calendering, shrink resistance processing, permanent finishing, "
        "decatising, impregnating, mending and burling) where the value of the unprinted fabric used does not exceed "
        "47,5% of the ex-works price of the printed fabric"
    )
    assert isinstance(printing, AllOf) and isinstance(printing.parts[1], MaterialValueLimit)
    assert printing.parts[1].percent == 47.5


def test_eu_prototype_joined_alternatives_and_lost_bullets() -> None:
    either = parse_rule(
        "Manufacture from yarn \n\n or\n\n Manufacture from unembroidered fabric provided the value of the "
        "unembroidered fabric used does not exceed 40% of the ex-works price of the product \n\n"
    )
    assert isinstance(either, AnyOf) and either.parts[0] == ManufactureFrom(MATERIAL_WORDS["yarn"], "yarn")
    lost = parse_rule(
        "Manufacture:\n\n * in which the value of all the materials used does not exceed 40% of the ex-works price of "
        "the product,\n* where the value of all the non-originating materials used does not exceed the value of the "
        "originating materials used\n"
    )
    assert lost == AllOf((MaxNonOriginating(40.0), MaxNonOriginating(100.0, "originating_value")))


def test_eu_prototype_title_rows_without_rules_are_skipped() -> None:
    scheme = load_scheme(EU_RULE_SETS / "eu-mexico.json")
    assert scheme.skipped_titles == 310
    assert scheme.coverage()["skipped_titles"] == 310
    assert all(rs.texts and all(t.strip() for t in rs.texts) for rs in scheme.rule_sets)


def test_cptpp_roasted_coffee_weight_proviso_is_asked_not_dropped() -> None:
    text = (
        "A change to a good of subheading 090121 through 090190 from any other subheading, provided that the dry "
        "weight of non-originating materials of subheading 090111 and subheading 090112 does not exceed 60% by dry "
        "weight of the materials of subheading 090111 and subheading 090112 used in the preparation of the good."
    )
    rule = parse_rule(text)
    assert isinstance(rule, AllOf)
    shift, proviso = rule.parts
    assert shift == TariffShift("subheading", None, CodeSet())
    assert isinstance(proviso, ContentCondition) and "60% by dry weight" in proviso.text


def test_cptpp_exception_lists_with_a_comma_before_or() -> None:
    text = (
        "A change to a good of heading 6101 to heading 6109 from any other chapter, except from heading 5106 to "
        "heading 5113, heading 5204 to heading 5212 or 5401 to 5402, subheading 540333 through 540339 or 540342 "
        "through 540349, or heading 5404 to heading 5408, heading 5508 to heading 5516, 5606 or 6001 to 6006, "
        "provided the good is cut or knit to shape, or both, and sewn or otherwise assembled in the territory of "
        "one or more of the Parties."
    )
    rule = parse_rule(text)
    assert isinstance(rule, AllOf)
    shift, process = rule.parts
    assert isinstance(shift, TariffShift) and shift.level == "chapter"
    assert ("5404", "5408") in shift.except_.ranges and ("6001", "6006") in shift.except_.ranges
    assert ("540342", "540349") in shift.except_.ranges
    assert isinstance(process, SpecificProcess)


def test_wholly_obtained_materials_named_in_words_without_used() -> None:
    text = (
        "Manufacture in which: - all the fruit and nuts are wholly obtained, and - the value of all the materials "
        "of chapter 17 used does not exceed 30% of the value of the ex-works price of the product."
    )
    rule = parse_rule(text)
    assert isinstance(rule, AllOf)
    fruit, sugar = rule.parts
    assert fruit == MaterialWhollyObtained(CodeSet.of("08"), "fruit and nuts")
    assert isinstance(sugar, MaterialValueLimit) and sugar.percent == 30
    # A typo in the data ("materials of chapter used") stays unparsed.
    typo = "Manufacture in which: - all the materials of chapter used must be wholly obtained, and - the value ..."
    assert isinstance(parse_rule(typo), Unparsed)


def test_value_limit_on_a_chapter_except_one_subheading() -> None:
    text = (
        "Manufacture: - from materials of any heading, except that of the product, and - in which the value of all "
        "the materials of chapter 17, except of materials from subheading 170230, used does not exceed 30% of the "
        "ex-works price of the product."
    )
    rule = parse_rule(text)
    assert isinstance(rule, AllOf)
    shift, sugar = rule.parts
    assert shift == TariffShift("heading", None, CodeSet())
    assert isinstance(sugar, MaterialValueLimit) and sugar.percent == 30
    assert sugar.materials.contains("170199") and sugar.materials.contains("1701")
    assert not sugar.materials.contains("170230") and sugar.materials.contains("170490")
    assert rule_from_dict(json.loads(json.dumps(rule.as_dict()))) == rule
