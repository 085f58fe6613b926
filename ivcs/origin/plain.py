"""A rule of origin in plain words, in the user's language.

:func:`plain_words` reads the structured form of a rule (``rule.as_dict()`` of
:mod:`ivcs.engines.origin.grammar`, as stored and as the API's ``rule.structured``) and says what it asks of
the product in a sentence an exporter can follow: ``{"kind": "max_non_originating", "percent": 50}`` ->
"Non-originating materials may be worth at most 50% of the ex-works price". Every kind of the grammar has its
sentence; a kind this module does not know gets a generic one naming it, and a malformed node the same.

Words taken from the legal text (a material's description, a process, a condition) stay as they are there
(English); codes are shown as chapters, headings and subheadings of the HS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

ALL_CODES = ["01-97"]  # grammar.ALL_CODES.as_list(): materials of any heading


def plain_words(structured: Mapping[str, Any]) -> str:
    """The rule ``structured`` (a grammar node's ``as_dict()``) in plain words, in the active language."""
    kind = structured.get("kind") if isinstance(structured, Mapping) else None
    words = _RENDERERS.get(kind) if isinstance(kind, str) else None
    if words is not None:
        try:
            return words(structured)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # malformed: the generic sentence below
    return _("A rule of a kind not described here ({kind}); check the legal text").format(kind=kind or "?")


# --- pieces -----------------------------------------------------------------------------------------------


def _pct(value: Any) -> str:
    text = f"{float(value):g}"
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def _code_item(item: str) -> str:
    low, _sep, high = str(item).partition("-")
    high = high or low
    if len(low) != len(high) or not (low + high).isdigit():
        return str(item)
    if low == high:
        single = {2: _("chapter {code}"), 4: _("heading {code}"), 6: _("subheading {code}")}.get(len(low))
        return single.format(code=low) if single is not None else str(item)
    ranged = {
        2: _("chapters {low}–{high}"),  # noqa: RUF001
        4: _("headings {low}–{high}"),  # noqa: RUF001
        6: _("subheadings {low}–{high}"),  # noqa: RUF001
    }.get(len(low))
    return ranged.format(low=low, high=high) if ranged is not None else str(item)


def _codes(items: Any) -> str:
    """A code list (``CodeSet.as_list()``) as words: "heading 1701, headings 1703-1705" (with an en dash)."""
    if not isinstance(items, list):
        raise TypeError(f"expected a list of codes, got {items!r}")
    if items == ALL_CODES:
        return _("any heading")
    return ", ".join(_code_item(i) for i in items) if items else _("no materials")


def _what(node: Mapping[str, Any]) -> str:
    """The materials a condition names: the rule's own words, else its codes."""
    description = str(node.get("description") or "").strip()
    return description or _("materials of {codes}").format(codes=_codes(node["materials"]))


def _part(node: Any) -> str:
    """A rule inside a combination: its words, first letter in lower case (unless an acronym starts it)."""
    text = plain_words(node)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# --- one sentence per kind --------------------------------------------------------------------------------


def _wholly_obtained(node: Mapping[str, Any]) -> str:
    return _("Wholly obtained in the exporting country")


def _tariff_shift(node: Mapping[str, Any]) -> str:
    level, from_ = node["level"], node.get("from")
    if from_ is None:
        text = {
            "chapter": _("Made from materials of any chapter other than the product's"),
            "heading": _("Made from materials of any heading other than the product's"),
            "subheading": _("Made from materials of any subheading other than the product's"),
        }[level]
    elif from_ == ALL_CODES:
        text = _("Made from materials of any heading, the product's own included")
    else:
        text = _("Made from materials of {codes}").format(codes=_codes(from_))
    if node.get("except"):
        text = _("{rule}, except from {codes}").format(rule=text, codes=_codes(node["except"]))
    tolerance = node.get("tolerance")
    if tolerance is None:
        return text
    percent = _pct(tolerance["percent"])
    if tolerance.get("materials") is not None:
        return _(
            # xgettext:no-python-format
            "{rule}; materials of {codes} may still be used up to {percent}% of the ex-works price"
        ).format(rule=text, codes=_codes(tolerance["materials"]), percent=percent)
    own = {
        "chapter": _(
            # xgettext:no-python-format
            "{rule}; materials of the product's own chapter may still be used up to {percent}% of the ex-works price"
        ),
        "heading": _(
            # xgettext:no-python-format
            "{rule}; materials of the product's own heading may still be used up to {percent}% of the ex-works price"
        ),
        "subheading": _(
            # xgettext:no-python-format
            "{rule}; materials of the product's own subheading may still be used up to {percent}% of the ex-works price"
        ),
    }[level]
    return own.format(rule=text, percent=percent)


def _manufacture_from(node: Mapping[str, Any]) -> str:
    description = str(node.get("description") or "").strip()
    codes = _codes(node["materials"])
    if not description:
        return _("Made from materials of {codes}").format(codes=codes)
    return _("Made from {materials} ({codes})").format(materials=description, codes=codes)


def _max_non_originating(node: Mapping[str, Any]) -> str:
    percent = _pct(node["percent"])
    if node.get("basis", "ex_works") == "originating_value":
        return _(
            # xgettext:no-python-format
            "Non-originating materials may be worth at most {percent}% of the value of the originating materials"
        ).format(percent=percent)
    return _(
        # xgettext:no-python-format
        "Non-originating materials may be worth at most {percent}% of the ex-works price"
    ).format(percent=percent)


def _rvc(node: Mapping[str, Any]) -> str:
    percent, method = _pct(node["percent"]), node["method"]
    if method == "build_down":
        text = _(
            # xgettext:no-python-format
            "Regional value content of at least {percent}%, counted as the ex-works price minus the non-originating "
            "materials (build-down method)"
        )
    elif method == "build_up":
        text = _(
            # xgettext:no-python-format
            "Regional value content of at least {percent}%, counted from the originating materials (build-up method)"
        )
    elif method == "net_cost":
        text = _(
            # xgettext:no-python-format
            "Regional value content of at least {percent}% of the net cost (net-cost method)"
        )
    elif method == "focused_value":
        if node.get("materials") is not None:
            return _(
                # xgettext:no-python-format
                "Regional value content of at least {percent}%, counting only the non-originating materials of "
                "{codes} (focused-value method)"
            ).format(percent=percent, codes=_codes(node["materials"]))
        text = _(
            # xgettext:no-python-format
            "Regional value content of at least {percent}%, counting only the non-originating materials the rule "
            "names (focused-value method)"
        )
    else:
        text = _(
            # xgettext:no-python-format
            "Regional value content of at least {percent}%, by a method set out in the legal text"
        )
    return text.format(percent=percent)


def _material_value_limit(node: Mapping[str, Any]) -> str:
    percent, what = _pct(node["percent"]), _what(node)
    if node.get("basis", "ex_works") == "good_value":
        return _(
            # xgettext:no-python-format
            "Non-originating {materials} may be worth at most {percent}% of the value of the good"
        ).format(materials=what, percent=percent)
    return _(
        # xgettext:no-python-format
        "Non-originating {materials} may be worth at most {percent}% of the ex-works price"
    ).format(materials=what, percent=percent)


def _material_wholly_obtained(node: Mapping[str, Any]) -> str:
    return _("These materials must be wholly obtained: {materials}").format(materials=_what(node))


def _material_originating(node: Mapping[str, Any]) -> str:
    percent = float(node.get("percent", 100.0))
    if percent >= 100:
        return _("These materials must be originating: {materials}").format(materials=_what(node))
    return _(
        # xgettext:no-python-format
        "At least {percent}% by weight of these materials must be originating: {materials}"
    ).format(percent=_pct(percent), materials=_what(node))


def _weight_limit(node: Mapping[str, Any]) -> str:
    return _(
        # xgettext:no-python-format
        "Non-originating materials of this kind may weigh at most {percent}% of the product: {materials}"
    ).format(percent=_pct(node["percent"]), materials=_what(node))


def _specific_process(node: Mapping[str, Any]) -> str:
    text = str(node.get("text") or node["name"]).strip()
    return _("This process must be carried out in the exporting country: {process}").format(process=text)


def _content_condition(node: Mapping[str, Any]) -> str:
    return _("Condition on the product or its content: {condition}").format(condition=str(node["text"]).strip())


def _unparsed(node: Mapping[str, Any]) -> str:
    return _("This rule has not been read by the system; check the legal text")


def _parts(node: Mapping[str, Any]) -> list[str]:
    parts = node["parts"]
    if not isinstance(parts, list) or not parts:
        raise ValueError("a combination needs parts")
    return [_part(p) for p in parts]


def _all_of(node: Mapping[str, Any]) -> str:
    parts = _parts(node)
    if len(parts) == 1:
        return plain_words(node["parts"][0])
    return _("All of the following: {rules}").format(rules="; ".join(parts))


def _any_of(node: Mapping[str, Any]) -> str:
    parts = _parts(node)
    if len(parts) == 1:
        return plain_words(node["parts"][0])
    if len(parts) == 2:
        return _("Either {first}, or {second}").format(first=parts[0], second=parts[1])
    return _("Any one of the following: {rules}").format(rules="; ".join(parts))


def _product_scope(node: Mapping[str, Any]) -> str:
    return _("For {product}: {rule}").format(product=str(node["product"]).strip(), rule=_part(node["rule"]))


_RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "wholly_obtained": _wholly_obtained,
    "tariff_shift": _tariff_shift,
    "manufacture_from": _manufacture_from,
    "max_non_originating": _max_non_originating,
    "rvc": _rvc,
    "material_value_limit": _material_value_limit,
    "material_wholly_obtained": _material_wholly_obtained,
    "material_originating": _material_originating,
    "weight_limit": _weight_limit,
    "specific_process": _specific_process,
    "content_condition": _content_condition,
    "unparsed": _unparsed,
    "all_of": _all_of,
    "any_of": _any_of,
    "product_scope": _product_scope,
}
