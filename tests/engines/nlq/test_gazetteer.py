"""The gazetteer: pycountry names in es/pt/en, curated aliases, subdivisions and cities."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivcs.engines.nlq import Gazetteer, load_gazetteer
from ivcs.engines.nlq.gazetteer import DEFAULT_DATA_DIR


def test_load_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (("alemania",), "DE"),
        (("alemanha",), "DE"),
        (("germany",), "DE"),
        (("japao",), "JP"),
        (("paises", "bajos"), "NL"),
        (("coreia", "do", "sul"), "KR"),
        (("suecia",), "SE"),
        (("nueva", "zelanda"), "NZ"),
        (("sudafrica",), "ZA"),
        (("india",), "IN"),
        (("viet", "nam"), "VN"),
    ],
)
def test_country_names_from_pycountry_and_aliases(gazetteer: Gazetteer, name: tuple[str, ...], code: str) -> None:
    assert gazetteer.lookup(name)[0].country == code


def test_subdivisions_and_curated_places(gazetteer: Gazetteer) -> None:
    assert {e.country for e in gazetteer.lookup(("amazonas",))} == {"CO", "BR", "PE", "VE"}
    assert gazetteer.lookup(("huila",))[0].subdivision == "CO-HUI"
    assert gazetteer.lookup(("gamarra",))[0].country == "PE"
    assert gazetteer.lookup(("eje", "cafetero"))[0].country == "CO"
    assert gazetteer.lookup(("guanacaste",))[0].kind == "subdivision"


def test_curated_list_is_large_enough() -> None:
    lines = (DEFAULT_DATA_DIR / "places.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines[1:] if line and not line.startswith("#")]
    assert len(rows) >= 150
    assert (DEFAULT_DATA_DIR / "PROVENANCE.md").exists()


def test_blocs_have_members(gazetteer: Gazetteer) -> None:
    assert "MX" in gazetteer.bloc_members["USMCA"] and "DE" in gazetteer.bloc_members["EU"]
    assert gazetteer.is_valid_code("CAFTA_DR") and not gazetteer.is_valid_code("XX")


def test_custom_data_dir_without_files_still_has_countries(tmp_path: Path) -> None:
    small = load_gazetteer(tmp_path)
    assert small.lookup(("japan",))[0].country == "JP"
    assert small.lookup(("gamarra",)) == ()
