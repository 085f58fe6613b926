"""Lookups on the real copied schedules: known lines of the data, the summary, the saving and the notes.

Every value asserted here was read from the files in data/tariffs/ (see the comment on each test).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.tariffs import TariffLine, load_schedules, lookup, markets, parse_rate, programmes_for
from ivcs.engines.tariffs.schedule import DATA_DIR, PROGRAMMES, _saving


def _ids(market: str, exporter: str) -> list[str]:
    return [p.id for p in programmes_for(market, exporter)]


def test_programmes_cover_our_exporters() -> None:
    assert _ids("US", "CL") == ["us-chile"]
    assert _ids("US", "co") == ["us-colombia"]
    assert _ids("US", "PE") == ["us-peru"]
    assert _ids("US", "MX") == ["usmca"]
    assert _ids("US", "CR") == ["cafta-dr"]
    assert _ids("US", "BR") == []
    assert _ids("JP", "CL") == ["jp-chile-epa", "cptpp"]
    assert _ids("JP", "MX") == ["jp-mexico-epa", "cptpp"]
    assert _ids("JP", "PE") == ["jp-peru-epa", "cptpp"]
    assert _ids("JP", "CO") == _ids("JP", "CR") == _ids("JP", "BR") == []
    assert _ids("GB", "MX") == _ids("UK", "CL") == _ids("EU", "PE") == []
    assert [m.id for m in markets()] == ["US", "JP", "GB", "EU"]
    assert all(PROGRAMMES[pid].market == m.id for m in markets() for pid in m.programmes)


def test_us_roasted_coffee_is_free_so_no_preference_is_needed() -> None:
    # 0901.21.00: general "Free", no special column, footnote "See 9903.88.15."
    answer = lookup("US", "0901.21", "us-colombia")
    assert answer.known and [line.code for line in answer.lines] == ["0901.21.00"]
    assert answer.lines[0].mfn.kind == "free" and answer.lines[0].preferential is None
    assert answer.summary.saving_per_1000 == (Decimal("0.00"), Decimal("0.00"))
    assert any("already free" in note for note in answer.notes)
    assert any("chapter 99" in note and "NOT included" in note for note in answer.notes)
    assert answer.source is not None and answer.source.date == "2026-06"


def test_us_t_shirts_pay_16_5_percent_and_nothing_under_cafta_dr() -> None:
    # 6109.10.00: general "16.5%", special "Free (AU,BH,CL,CO,IL,JO,KR,MA,OM,P,PA,PE,S,SG)"
    answer = lookup("US", "610910", "cafta-dr")
    (line,) = answer.lines
    assert (line.mfn.kind, line.mfn.percent, line.mfn.text) == ("ad_valorem", Decimal("16.5"), "16.5%")
    assert line.preferential is not None and line.preferential.kind == "free"
    summary = answer.summary
    assert summary.mfn is not None and (summary.mfn.low, summary.mfn.high) == (Decimal("16.5"), Decimal("16.5"))
    assert summary.saving_per_1000 == (Decimal("165.00"), Decimal("165.00"))
    assert summary.saving_note == ""


def test_us_laptops_are_free() -> None:
    # 8471.30.01.00: general "Free"
    answer = lookup("US", "847130", "usmca")
    assert [line.mfn.text for line in answer.lines] == ["Free"]
    assert answer.summary.mfn is not None and answer.summary.mfn.low == 0


def test_us_wine_is_a_specific_duty_so_no_saving_figure() -> None:
    # 2204.21.20.00 "19.8¢/liter", .30.00 "6.3¢/liter", .50 "6.3¢/liter", .60.00 "5.3¢/liter", .80 "16.9¢/liter"
    answer = lookup("US", "220421", "us-chile")
    assert [line.mfn.text for line in answer.lines] == [
        "19.8¢/liter",
        "6.3¢/liter",
        "6.3¢/liter",
        "5.3¢/liter",
        "16.9¢/liter",
    ]
    assert {line.mfn.kind for line in answer.lines} == {"specific"}
    assert all(line.mfn.percent is None for line in answer.lines)
    assert answer.summary.mfn is not None and answer.summary.mfn.low is None and not answer.summary.mfn.single
    assert answer.summary.saving_per_1000 is None
    assert "specific duty" in answer.summary.saving_note
    assert any("different MFN rates" in note for note in answer.notes)


def test_us_grapes_are_seasonal_lines_with_specific_duties() -> None:
    # 0806.10.20 "$1.13/m3" (Feb 15-Mar 31), .40 "Free" (Apr 1-Jun 30), .60 "$1.80/m3"; CL column Free, Free
    answer = lookup("US", "080610", "us-chile")
    assert [(line.code, line.mfn.text) for line in answer.lines] == [
        ("0806.10.20", "$1.13/m3"),
        ("0806.10.40", "Free"),
        ("0806.10.60", "$1.80/m3"),
    ]
    assert [line.preferential and line.preferential.text for line in answer.lines] == ["Free", None, "Free"]
    assert answer.summary.saving_per_1000 is None
    assert any(note.startswith("seasonal line") for note in answer.notes)


def test_us_chocolate_mixes_ad_valorem_compound_and_usmca_references() -> None:
    # 1806.32: 13 lines; 1806.32.06.00 "37.2¢/kg + 4.3%" whose S+ is "See 9823.08.01-9823.08.38"
    answer = lookup("US", "1806.32", "usmca")
    assert len(answer.lines) == 13
    by_code = {line.code: line for line in answer.lines}
    assert by_code["1806.32.01.00"].mfn.percent == Decimal(5)
    sugar = by_code["1806.32.06.00"]
    assert (sugar.mfn.kind, sugar.mfn.percent) == ("compound", None)
    assert sugar.preferential is not None and sugar.preferential.kind == "reference"
    assert sugar.preferential.text == "See 9823.08.01-9823.08.38"
    assert answer.summary.saving_per_1000 is None
    assert answer.summary.preferential is not None and set(answer.summary.preferential.kinds) == {"free", "reference"}


def test_japan_roasted_coffee_no_chile_epa_concession_but_cptpp_free() -> None:
    # 090121000: general 20%, WTO 12%, epa_chile empty, epa_cptpp 無税, epa_mexico 無税
    chile = lookup("JP", "090121", "jp-chile-epa")
    (line,) = chile.lines
    assert (line.code, line.mfn.percent, line.preferential) == ("0901.21.000", Decimal(12), None)
    assert chile.summary.preferential is None
    assert any("no concession" in note for note in chile.notes)
    cptpp = lookup("JP", "090121", "cptpp")
    assert cptpp.lines[0].preferential is not None and cptpp.lines[0].preferential.text == "無税"
    assert cptpp.summary.saving_per_1000 == (Decimal("120.00"), Decimal("120.00"))
    assert cptpp.source is not None and cptpp.source.date == "2026-07-09"


def test_japan_wto_rate_in_parentheses_gives_way_to_the_general_rate() -> None:
    # 610910010: general 10.9%, WTO (10.9%); 610910020: general 11.2%, WTO 7.4% (not in parentheses)
    answer = lookup("JP", "610910", "cptpp")
    assert [(line.mfn.text, line.mfn.percent) for line in answer.lines] == [
        ("10.9%", Decimal("10.9")),
        ("7.4%", Decimal("7.4")),
    ]
    assert any("in parentheses" in note for note in answer.lines[0].notes)
    assert any("in parentheses" in note for note in answer.notes)
    assert answer.summary.saving_per_1000 == (Decimal("74.00"), Decimal("109.00"))


def test_japan_lines_inherit_rates_printed_on_their_group() -> None:
    # 180632213 prints only a CPTPP rate; its group "(1)砂糖を加えたもの" prints general 35%, WTO 29.8%.
    # 180632212 is a sibling (not the parent) with temporary ※1%: it must not pass that rate on.
    lines = {line.code: line for line in lookup("JP", "180632").lines}
    assert lines["1806.32.213"].mfn.text == "29.8%"
    assert any("group row" in note for note in lines["1806.32.213"].notes)
    assert lines["1806.32.212"].mfn.text == "※1%"
    assert lines["1806.32.100"].mfn.text == "10%"  # chocolate confectionery: general 10%, WTO (10%)


def test_japan_grapes_split_by_season_and_quota_chocolate() -> None:
    # 080610000 appears twice: Mar-Oct (WTO 17%, Mexico EPA only 1 Apr-31 Jul) and Nov-Feb (WTO 7.8%, Mexico empty)
    answer = lookup("JP", "080610", "jp-mexico-epa")
    assert [line.mfn.text for line in answer.lines] == ["17%", "7.8%"]
    assert answer.lines[0].preferential is not None and answer.lines[0].preferential.kind == "seasonal"
    assert answer.lines[1].preferential is None
    assert answer.summary.saving_per_1000 is None and "seasonal" in answer.summary.saving_note
    assert any("splits this code" in note for note in answer.notes)
    chocolate = lookup("JP", "180632", "cptpp")
    assert chocolate.summary.saving_per_1000 is None and "quota" in chocolate.summary.saving_note


def test_uk_and_eu_give_mfn_only_with_their_vintage() -> None:
    # global-uk-tariff.csv 09012100: cet 7.5%, ukgt 6.0%
    gb = lookup("UK", "090121", "cptpp")
    assert gb.market == "GB" and [line.mfn.text for line in gb.lines] == ["6.0%"]
    assert gb.programme is None and gb.summary.preferential is None
    assert any("no preferential rates" in note for note in gb.notes)
    assert gb.source is not None and gb.source.date == "2021-01-01" and "Open Government Licence" in gb.source.licence
    eu = lookup("EU", "090121")
    assert [line.mfn.text for line in eu.lines] == ["7.5%"]
    assert any("proxy" in note for note in eu.notes)


def test_uk_mapping_from_hs_2017_is_explained_when_not_one_to_one() -> None:
    # UNSD: HS 2017 847130 feeds HS 2022 847130 (n:1) and the new e-waste subheadings 8549xx
    laptops = lookup("GB", "847130")
    assert [line.code for line in laptops.lines] == ["84713000"]
    assert any("not 1:1" in note and "854921" in note for note in laptops.notes)
    # 854921 correlates with about a thousand HS 2017 subheadings: no 2021 line can be assigned
    ewaste = lookup("GB", "854921")
    assert not ewaste.known and not ewaste.lines and any("cannot be assigned" in note for note in ewaste.notes)


def test_eu_entry_price_and_seasonal_grapes_are_shown_as_such() -> None:
    # 08061010 cet "Entry Price"; 08061090 cet "14.40% (01 JAN-14 JUL, 01 NOV-31 DEC), 17.60% (15 JUL-31 OCT)"
    answer = lookup("EU", "080610")
    assert [(line.code, line.mfn.kind) for line in answer.lines] == [("08061010", "unknown"), ("08061090", "seasonal")]
    assert answer.lines[0].mfn.text == "Entry Price" and answer.summary.mfn is not None
    assert answer.summary.mfn.low is None


@pytest.mark.parametrize(
    ("market", "hs6", "why"),
    [
        ("CN", "090121", "no tariff rates are loaded"),
        ("US", "0901", "not an HS code"),
        ("US", "coffee", "not an HS code"),
        ("US", "999999", "no tariff line"),
        ("JP", "", "not an HS code"),
    ],
)
def test_unknown_market_or_code_is_an_answer_not_a_crash(market: str, hs6: str, why: str) -> None:
    answer = lookup(market, hs6)
    assert not answer.known and answer.lines == () and any(why in note for note in answer.notes)
    json.dumps(answer.as_dict())


def test_programme_of_another_market_or_unknown_is_noted() -> None:
    wrong = lookup("US", "610910", "cptpp")
    assert wrong.known and wrong.programme is None and any("not a programme of market US" in n for n in wrong.notes)
    unknown = lookup("US", "610910", "mercosur")
    assert unknown.programme is None and any("unknown programme" in n for n in unknown.notes)


def test_longer_codes_are_read_at_six_digits() -> None:
    answer = lookup("us", "6109.10.0012")
    assert answer.known and answer.hs6 == "610910" and any("read as" in note for note in answer.notes)


def test_negative_saving_is_kept_with_a_note() -> None:
    line = TariffLine("0000.00", "test", "", parse_rate("2%", "US"), parse_rate("5%", "US"))
    saving, why, notes = _saving((line,))
    assert saving == (Decimal("-30.00"), Decimal("-30.00")) and why == ""
    assert notes and "higher than the MFN" in notes[0]


def test_every_lookup_is_json_ready_and_savings_are_consistent() -> None:
    schedules = load_schedules()
    for market in markets():
        for hs6 in schedules.lines[market.id]:
            for programme in (None, *market.programmes):
                answer = lookup(market.id, hs6, programme)
                assert answer.known and answer.lines
                json.dumps(answer.as_dict())
                saving = answer.summary.saving_per_1000
                if saving is None:
                    assert answer.summary.saving_note
                    continue
                assert saving[0] <= saving[1]
                if saving[0] < 0:
                    assert any("higher than the MFN" in note for note in answer.notes)


def test_every_hs_2022_subheading_is_covered_in_us_and_japan() -> None:
    schedules = load_schedules()
    assert len(schedules.lines["US"]) == 5612  # PROVENANCE: 5,612 distinct HS6 codes
    assert len(schedules.lines["JP"]) == 5611  # PROVENANCE: 5,611 HS6
    assert sum(len(lines) for lines in schedules.lines["US"].values()) == 11414
    assert sum(len(lines) for lines in schedules.lines["JP"].values()) == 9654  # the 9-digit rows are the leaves


def test_copied_files_match_the_hashes_in_the_provenance() -> None:
    provenance = (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    for path in sorted(DATA_DIR.rglob("*.csv*")):
        raw = path.read_bytes()
        assert hashlib.sha256(raw).hexdigest() in provenance, path
        if path.suffix == ".gz":
            import gzip

            assert hashlib.sha256(gzip.decompress(raw)).hexdigest() in provenance, path


def test_runtime_code_never_reads_the_shared_folder_nor_imports_django() -> None:
    package = Path(__file__).resolve().parents[3] / "ivcs" / "engines" / "tariffs"
    for source in package.glob("*.py"):
        assert not re.search(r"shared|openpyxl", source.read_text(encoding="utf-8")), source
    code = (
        "import sys; import ivcs.engines.tariffs as t; t.lookup('US', '610910'); "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.') or m == 'openpyxl']"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@given(
    st.decimals(min_value=0, max_value=300, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=300, places=2, allow_nan=False, allow_infinity=False),
)
def test_saving_is_negative_only_when_the_preference_is_above_mfn(mfn: Decimal, preferential: Decimal) -> None:
    line = TariffLine("0000.00", "test", "", parse_rate(f"{mfn}%", "US"), parse_rate(f"{preferential}%", "US"))
    saving, _, notes = _saving((line,))
    assert saving is not None and saving[0] == saving[1] == ((mfn - preferential) * 10).quantize(Decimal("0.01"))
    assert (saving[0] < 0) == (preferential > mfn) == bool(notes)
