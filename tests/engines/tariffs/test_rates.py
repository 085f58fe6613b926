"""Reading rate texts of the US, Japanese, UK and EU schedules: kinds, percentages, and never a guessed %."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivcs.engines.tariffs.rates import KINDS, MARKETS, jp_parenthesised, parse_rate


@pytest.mark.parametrize(
    ("text", "kind", "percent"),
    [
        ("Free", "free", Decimal(0)),
        ("6.4%", "ad_valorem", Decimal("6.4")),
        ("16.5% ", "ad_valorem", Decimal("16.5")),
        ("1.5¢/kg", "specific", None),
        ("$1.13/m3", "specific", None),
        ("21.9¢ each", "specific", None),
        ("19.8¢/liter", "specific", None),
        ("2.2¢/kg + 7.5%", "compound", None),
        ("37.2¢/kg + 4.3%", "compound", None),
        ("6% on the movement and case + 5.3% on the battery", "compound", None),
        ("See 9822.05.10", "reference", None),
        ("See 9823.08.01-9823.08.38", "reference", None),
        ("The rate applicable to each garment in the ensemble if separately entered", "reference", None),
        ("", "empty", None),
        ("bananas", "unknown", None),
    ],
)
def test_us_rates(text: str, kind: str, percent: Decimal | None) -> None:
    rate = parse_rate(text, "US")
    assert (rate.kind, rate.percent, rate.text) == (kind, percent, text)


@pytest.mark.parametrize(
    ("text", "kind", "percent"),
    [
        ("無税", "free", Decimal(0)),
        ("免税", "free", Decimal(0)),
        ("12%", "ad_valorem", Decimal(12)),
        ("3%", "ad_valorem", Decimal(3)),
        ("(無税)", "free", Decimal(0)),
        ("\uff08無税\uff09", "free", Decimal(0)),
        ("(10.9%)", "ad_valorem", Decimal("10.9")),
        ("25円/kg", "specific", None),
        ("3,400,000円/頭", "specific", None),
        ("*(482円/kg)", "specific", None),
        ("10%\uff0b50円/kg", "compound", None),
        ("8.5%又は15円/kgのうちいずれか高い税率", "compound", None),
        ("関税割当数量以内のもの\u3000無税\n関税割当数量以外のもの\u300010%", "quota", None),
        ("毎年4月1日から同年7月31日までに輸入されるもの\u3000無税", "seasonal", None),
        ("\uff08マレーシアに対する待遇\uff09\u30002%\n\uff08他の締約国に対する待遇\uff09\u30001%", "conditional", None),
        ("貝柱\u30003.5%\nその他のもの\u3000無税", "conditional", None),
        ("(無税)〜(3.1%)", "unknown", None),
        ("●無税又は非譲許", "unknown", None),
        ("(500円\u2212課税価格)/kg", "unknown", None),
    ],
)
def test_japanese_rates(text: str, kind: str, percent: Decimal | None) -> None:
    rate = parse_rate(text, "JP")
    assert (rate.kind, rate.percent, rate.text) == (kind, percent, text)


def test_japanese_markers_are_kept_and_noted_not_dropped() -> None:
    rate = parse_rate("◎無税", "JP")
    assert rate.kind == "free" and rate.text == "◎無税"
    assert any("marker" in note for note in rate.notes)
    footnote = parse_rate("無税 ◆2", "JP")
    assert footnote.kind == "free" and any("footnote" in note for note in footnote.notes)


def test_parentheses_are_recognised_only_around_the_whole_rate() -> None:
    assert jp_parenthesised("(無税)") and jp_parenthesised("\uff085%\uff09") and jp_parenthesised("**(482円/kg)")
    assert not jp_parenthesised("無税") and not jp_parenthesised("(無税)〜(3.1%)")
    assert any("parentheses" in note for note in parse_rate("(無税)", "JP").notes)


@pytest.mark.parametrize(
    ("text", "market", "kind", "percent"),
    [
        ("0.0%", "GB", "free", Decimal(0)),
        ("0.00%", "EU", "free", Decimal(0)),
        ("12.00%", "EU", "ad_valorem", Decimal(12)),
        ("6.0%", "GB", "ad_valorem", Decimal(6)),
        ("26.00 GBP/hl", "GB", "specific", None),
        ("32.00 EUR / 100 kg", "EU", "specific", None),
        ("1.40 GBP / % vol / hl", "GB", "specific", None),
        ("9.0% + 18.00 GBP/100kg", "GB", "compound", None),
        ("8.3% +  EA MAX 18.7%  + ADSZ", "EU", "compound", None),
        ("4.5% MIN 0.30 EUR / item MAX 0.80 EUR / item", "EU", "compound", None),
        ("14.40% (01 JAN-14 JUL, 01 NOV-31 DEC), 17.60% (15 JUL-31 OCT)", "EU", "seasonal", None),
        ("8.0% (01 JUL - 31 JAN), 12.0% (01 FEB - 30 JUN)", "GB", "seasonal", None),
        ("Entry Price", "EU", "unknown", None),
        ("24 + 4.2 EUR/100 kg", "EU", "unknown", None),
    ],
)
def test_uk_and_eu_rates(text: str, market: str, kind: str, percent: Decimal | None) -> None:
    rate = parse_rate(text, market)
    assert (rate.kind, rate.percent, rate.text) == (kind, percent, text)


def test_specific_and_quota_rates_never_carry_a_percentage() -> None:
    for text, market in [("1.5¢/kg", "US"), ("25円/kg", "JP"), ("関税割当数量以内のもの\u30003%", "JP")]:
        rate = parse_rate(text, market)
        assert rate.percent is None and not rate.is_ad_valorem


def test_unknown_market_is_reported_not_guessed() -> None:
    rate = parse_rate("5%", "XX")
    assert rate.kind == "unknown" and rate.percent is None and rate.text == "5%"


def test_as_dict_keeps_decimals_as_strings() -> None:
    assert parse_rate("6.4%", "US").as_dict() == {"kind": "ad_valorem", "percent": "6.4", "text": "6.4%", "notes": []}


@given(st.text(), st.sampled_from(MARKETS))
def test_parse_rate_never_raises_and_percent_only_for_value_rates(text: str, market: str) -> None:
    rate = parse_rate(text, market)
    assert rate.kind in KINDS and rate.text == text
    if rate.kind in ("free", "ad_valorem"):
        assert rate.percent is not None and rate.percent >= 0
        assert rate.kind != "free" or rate.percent == 0
    else:
        assert rate.percent is None


@given(
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(MARKETS),
)
def test_any_plain_percentage_is_read_exactly(value: Decimal, market: str) -> None:
    rate = parse_rate(f"{value}%", market)
    assert rate.percent == value
    assert rate.kind == ("free" if value == 0 else "ad_valorem")
