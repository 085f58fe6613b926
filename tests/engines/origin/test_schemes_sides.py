"""Scheme sides and destinations (UK bilateral, UK-EU, EU agreements, plurilateral CPTPP), the EU agreements loaded
from the prototype data, and the single entry point for every scheme."""

from __future__ import annotations

import json

import pytest

from ivcs.engines.origin.schemes import (
    BASE_DIR,
    CPTPP_UNVERIFIED_PARTIES,
    DATA_DIR,
    EU_SCHEMES,
    SchemeProvisions,
    load_all_provisions,
    load_eu_provisions,
    load_provisions,
    sides_from_list,
)


@pytest.fixture(scope="module")
def everything() -> dict[str, tuple[SchemeProvisions, object]]:
    return dict(load_all_provisions())


def _eu_members() -> tuple[str, ...]:
    data = json.loads((DATA_DIR / "roo_schemes_uk.json").read_text(encoding="utf-8"))
    eu = next(s for s in data["schemes"] if s["scheme_code"] == "eu")
    return tuple(c for c in eu["cumulation_methods"]["bilateral"]["countries"] if c != "GB")


def test_load_all_provisions_lists_every_scheme_with_its_rule_set_file(everything: dict) -> None:
    assert sorted(everything) == sorted(["andean", "central-america", "chile", "cptpp", "eu", "mexico", *EU_SCHEMES])
    for sid, (provisions, path) in everything.items():
        assert provisions.id == sid and path.exists() and path.stem == sid
    assert everything["eu-chile"][1] == BASE_DIR / "eu_ott_prototype" / "rule_sets" / "eu-chile.json"


def test_uk_bilateral_scheme_sides() -> None:
    andean = load_provisions()["andean"]
    assert andean.sides == ((None, ("GB",)), (None, ("CO", "PE", "EC")))
    assert andean.destinations_for("CO") == ("GB",)
    assert andean.destinations_for("GB") == ("CO", "PE", "EC")
    assert andean.destinations_for("BR") == ()
    assert andean.as_dict()["sides"] == [
        {"code": None, "countries": ["GB"]},
        {"code": None, "countries": ["CO", "PE", "EC"]},
    ]


def test_uk_eu_scheme_is_gb_against_the_eu_bloc() -> None:
    eu = load_provisions()["eu"]
    members = _eu_members()
    assert len(members) == 27 and eu.sides == ((None, ("GB",)), ("EU", members))
    assert eu.destinations_for("GB") == ("EU",)
    assert eu.destinations_for("DE") == ("GB",)
    assert eu.destinations_for("SM") == ()  # a party, but not an EU member


def test_eu_agreements_sides_parties_and_honest_metadata() -> None:
    provisions = load_eu_provisions()
    assert sorted(provisions) == sorted(EU_SCHEMES)
    members = _eu_members()
    andean = provisions["eu-andean"]
    assert andean.parties == (*members, "CO", "PE", "EC")
    assert andean.sides == (("EU", members), (None, ("CO", "PE", "EC")))
    assert andean.destinations_for("CO") == ("EU",)
    assert andean.destinations_for("FR") == ("CO", "PE", "EC")
    assert andean.destinations_for("GB") == ()
    assert provisions["eu-mexico"].destinations_for("MX") == ("EU",)
    assert set(provisions["eu-central-america"].destinations_for("DE")) == {"CR", "GT", "HN", "NI", "PA", "SV"}
    for p in provisions.values():
        assert p.value_tolerance is None and p.textile_weight_tolerance is None
        assert p.cumulation["bilateral"] == p.parties
        assert "ott-prototype" in p.source and "e5ab46257d21" in p.source
        assert any("older than the modernised EU-Chile and EU-Mexico agreements" in n for n in p.notes)
        assert any("Access2Markets" in n for n in p.notes)
        assert "HS 2022" not in p.hs_version
    assert provisions["eu-chile"].legal_hs_version == "HS 2002"
    assert provisions["eu-andean"].legal_hs_version == "HS 2007"
    assert provisions["eu-mexico"].as_dict()["sides"][0] == {"code": "EU", "countries": list(members)}


def test_cptpp_is_plurilateral_with_the_uk_limited_to_the_data() -> None:
    cptpp = load_provisions()["cptpp"]
    data_list = ("BN", "CL", "JP", "MY", "NZ", "PE", "SG", "VN", "AU")
    assert CPTPP_UNVERIFIED_PARTIES == ("CA", "MX")
    assert cptpp.parties == ("GB", *data_list, "CA", "MX")
    assert cptpp.destinations_for("GB") == data_list
    mexico = cptpp.destinations_for("MX")
    assert "JP" in mexico and "CA" in mexico and "GB" not in mexico and "MX" not in mexico
    japan = cptpp.destinations_for("JP")
    assert set(japan) == {"GB", "MX", "CA", *data_list} - {"JP"}
    assert cptpp.destinations_for("CO") == ()
    assert any("UNVERIFIED" in n and "HS 2022 transposition" in n for n in cptpp.notes)
    assert cptpp.as_dict()["not_in_force"] == [["GB", "CA"], ["GB", "MX"]]


def test_sides_round_trip_and_default_for_older_callers() -> None:
    p = load_eu_provisions()["eu-chile"]
    assert sides_from_list(p.as_dict()["sides"]) == p.sides
    older = SchemeProvisions(
        id="x",
        name="x",
        parties=("GB", "MX"),
        cumulation={},
        value_tolerance=None,
        textile_weight_tolerance=None,
        ord_version=None,
        ord_date=None,
        ord_title=None,
        valid_from=None,
        valid_to=None,
    )
    assert older.destinations_for("MX") == ("GB",) and older.destinations_for("GB") == ("MX",)
