"""The assessor's messages in the user's language.

The engine (:mod:`ivcs.engines.origin.assess`, no Django) returns every user-facing text as a
:class:`~ivcs.engines.origin.assess.Msg`: the English text (a ``str``) with a stable ``key`` and its
``params``. :func:`translate` renders one through gettext with :data:`TEMPLATES` (key -> English template,
the same text as the engine's template, so makemessages extracts it as the msgid); :func:`translate_result`
does it for a whole ``Assessment.as_dict()`` (or the API result built from it), leaving its structure alone::

    from ivcs.origin.messages import translate_result
    data = translate_result(assessment.as_dict())  # in the active language

Parameters are translated first (nested messages, lists), then put into the translated template. An unknown
key, or a translation whose placeholders do not fit, falls back to the English. ``Msg.as_dict()`` forms
(``{"key", "params", "text"}``, from ``as_dict(structured=True)`` after a JSON round trip) translate too.

Templates with a literal "%" carry ``xgettext:no-python-format`` so that msgfmt does not read "% o" as a
printf directive (they are brace-format). The Spanish and Portuguese texts of every msgid are in
``messages_translations.json`` next to this module until the catalogues are regenerated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_noop

from ivcs.engines.origin.assess import LIST_KEY, Msg

_MESSAGE_FIELDS = frozenset({"key", "params", "text"})

TEMPLATES: dict[str, str] = {
    "any_of.alternative_fails": gettext_noop("alternative {rule} fails"),
    "choice.no": gettext_noop("no"),
    "choice.no_description": gettext_noop("(no description)"),
    "choice.rule_set": gettext_noop("{heading}: {description}"),
    "choice.yes": gettext_noop("yes"),
    "codes.any_heading": gettext_noop("any heading"),
    "codes.chapter": gettext_noop("chapter {code}"),
    "codes.chapters": gettext_noop("chapters {low}-{high}"),
    "codes.heading": gettext_noop("heading {code}"),
    "codes.headings": gettext_noop("headings {low}-{high}"),
    "codes.nothing": gettext_noop("nothing"),
    "codes.subheading": gettext_noop("subheading {code}"),
    "codes.subheadings": gettext_noop("subheadings {low}-{high}"),
    "condition.applied": gettext_noop("condition met (declared): {text}"),
    "condition.fails": gettext_noop("condition not met: {text}"),
    "cumulation.applied": gettext_noop("{basis}: {materials} counted as originating"),
    "cumulation.bilateral": gettext_noop("bilateral"),
    "cumulation.diagonal": gettext_noop("diagonal"),
    "cumulation.extended": gettext_noop("extended"),
    "input.non_originating": gettext_noop("non-originating"),
    "input.originating_passes": gettext_noop("originating: the rule's conditions do not apply to it"),
    "manufacture_from.input_fails": gettext_noop("not at the stage of {materials} or earlier"),
    "manufacture_from.input_ok": gettext_noop("at the stage of {materials} or earlier"),
    "manufacture_from.what": gettext_noop("manufacture from {materials}"),
    "material.label": gettext_noop("HS {hs}"),
    "material.label_named": gettext_noop("{name} (HS {hs})"),
    "material_originating.input": gettext_noop("must be originating (wholly obtained)"),
    "materials.fail": gettext_noop("{what}: non-originating {materials} do not meet it"),
    "max_nom.share": gettext_noop(
        # xgettext:no-python-format
        "non-originating share {share}% vs limit {percent}%"
    ),
    "max_nom.suggestion": gettext_noop(
        "Lower the value of non-originating materials by {amount} (to at most {limit}), or source more of them as "
        "originating."
    ),
    "max_nom.vs_originating": gettext_noop(
        # xgettext:no-python-format
        "non-originating {value} vs limit {limit} ({percent}% of originating value)"
    ),
    "note.materials_wholly_obtained": gettext_noop("'materials wholly obtained' read as: those inputs originating"),
    "note.same_rule": gettext_noop("{count} rule sets cover {product} with the same rule; the first is shown"),
    "note.wholly_obtained": gettext_noop(
        "'wholly obtained' read as: every input originating (the product obtained in the exporter's country is assumed)"
    ),
    "origin.cumulation": gettext_noop("{kind} cumulation ({country})"),
    "origin.declared_non_originating": gettext_noop("the supplier declares it non-originating"),
    "origin.declared_originating": gettext_noop("the supplier declares it originating"),
    "origin.exporter": gettext_noop("made in the exporting country ({country})"),
    "origin.non_originating": gettext_noop("non-originating (from {country})"),
    "origin.unknown": gettext_noop("origin unknown: counted as non-originating"),
    "originating_weight.fails": gettext_noop(
        # xgettext:no-python-format
        "{what}: originating share by weight {share}% < {percent}%"
    ),
    "process.applied": gettext_noop("process {name} carried out (declared)"),
    "process.fails": gettext_noop("process {name} not carried out: {text}"),
    "question.check_by_hand": gettext_noop("Check by hand: {rule}"),
    "question.condition": gettext_noop("Does this hold for the product: {text}?"),
    "question.input_hs6": gettext_noop("What is the 6-digit HS code of {material}?"),
    "question.input_hs6_why": gettext_noop("What is the 6-digit HS code of {material}? ({why})"),
    "question.input_weight": gettext_noop("What is the weight of {material}?"),
    "question.manual_check": gettext_noop("This rule is not machine-readable; check it by hand: {text}"),
    "question.net_cost": gettext_noop("What is the net cost of the product (for the net-cost RVC method)?"),
    "question.no_rule": gettext_noop("No product-specific rule of {scheme} covers {product}."),
    "question.no_rule_fits": gettext_noop("None of the rule's product descriptions fits this product."),
    "question.process": gettext_noop("Is this process carried out in the exporting country: {text}?"),
    "question.product_scope": gettext_noop("Is the product: {product}?"),
    "question.product_weight": gettext_noop("What is the weight of the product (same unit as the inputs)?"),
    "question.insufficient": gettext_noop(
        "Is the work done in the exporting country only simple operations, such as preserving for transport, "
        "washing, sorting, packing, labelling, simple mixing, simple cutting or simple assembly (the agreement's "
        "insufficient operations)?"
    ),
    "insufficient.applied": gettext_noop("the work done goes beyond the insufficient operations (declared)"),
    "insufficient.fails": gettext_noop(
        "only insufficient operations are done in the exporting country: they never confer origin, whatever the "
        "product-specific rule says"
    ),
    "question.component_weight": gettext_noop(
        "What is the weight of the part of the product that determines its classification (e.g. the knitted body "
        "of a garment), in the same unit as the inputs? (textile weight tolerance)"
    ),
    "question.rule_set": gettext_noop(
        "Several rules of {scheme} cover {product}, for different product descriptions. Which describes the product?"
    ),
    "reason.no_rule_set": gettext_noop("no rule set found"),
    "rvc.applied": gettext_noop(
        # xgettext:no-python-format
        "{rule}: RVC {rvc}%"
    ),
    "rvc.fails": gettext_noop(
        # xgettext:no-python-format
        "{rule}: RVC {rvc}% < {percent}%"
    ),
    "rvc.method_build_down": gettext_noop("build-down"),
    "rvc.method_build_up": gettext_noop("build-up"),
    "rvc.method_focused_value": gettext_noop("focused-value"),
    "rvc.method_net_cost": gettext_noop("net-cost"),
    "rvc.suggestion_lower": gettext_noop(
        # xgettext:no-python-format
        "Lower the value of non-originating materials by {amount} to reach RVC {percent}% ({method})."
    ),
    "rvc.suggestion_raise": gettext_noop(
        # xgettext:no-python-format
        "Raise the value of originating materials to {percent}% of the price ({method})."
    ),
    "suggestion.other_cumulation": gettext_noop(
        "{material} from {country} would count as originating under {kind} cumulation if its conditions are met "
        "(pass cumulation=('bilateral', '{kind_id}'))."
    ),
    "suggestion.source": gettext_noop(
        "Source {material} (worth {value}) from {countries}, or get the supplier's declaration that it is originating."
    ),
    "tariff_shift.changes_chapter": gettext_noop("changes chapter ({code} -> {product})"),
    "tariff_shift.changes_heading": gettext_noop("changes heading ({code} -> {product})"),
    "tariff_shift.changes_subheading": gettext_noop("changes subheading ({code} -> {product})"),
    "tariff_shift.classified": gettext_noop("classified in {codes}"),
    "tariff_shift.excluded": gettext_noop("excluded by the rule: {codes}"),
    "tariff_shift.hs6_needed": gettext_noop("a 6-digit code is needed to tell"),
    "tariff_shift.hs6_needed_for_exceptions": gettext_noop("a 6-digit code is needed to check the exceptions"),
    "tariff_shift.not_classified": gettext_noop("not classified in {codes}"),
    "tariff_shift.same_chapter": gettext_noop("same chapter as the product ({code}): no change of chapter"),
    "tariff_shift.same_heading": gettext_noop("same heading as the product ({code}): no change of heading"),
    "tariff_shift.same_heading_hs6_needed": gettext_noop(
        "same heading as the product: its 6-digit code is needed for the subheading change"
    ),
    "tariff_shift.same_subheading": gettext_noop("same subheading as the product ({code}): no change of subheading"),
    "tolerance.general_applied": gettext_noop(
        # xgettext:no-python-format
        "general value tolerance {percent}% ({source}): {amount} of non-originating materials failing the rule let "
        "through (limit {limit})"
    ),
    "tolerance.general_exceeded": gettext_noop(
        "the general value tolerance is exceeded when its uses are added up: {total} > {limit}"
    ),
    "tolerance.general_excluded": gettext_noop(
        # xgettext:no-python-format
        "the general value tolerance ({percent}%) does not apply to this product ({source})"
    ),
    "tolerance.general_input": gettext_noop("passes under the general value tolerance"),
    "tolerance.general_none": gettext_noop("no general value tolerance in the data for this scheme: none applied"),
    "tolerance.rule_applied": gettext_noop("{what}: the rule's own tolerance lets {amount} through (limit {limit})"),
    "tolerance.rule_input": gettext_noop("within the rule's own tolerance"),
    "tolerance.textile_applied": gettext_noop(
        # xgettext:no-python-format
        "{what}: textile weight tolerance {percent}% ({source}): {weight} of non-originating materials failing the "
        "rule, limit {limit}"
    ),
    "tolerance.textile_input": gettext_noop("passes under the textile weight tolerance"),
    "unparsed.reason": gettext_noop("rule text not understood by the parser"),
    "value_limit.fails": gettext_noop("{rule}: non-originating {what} worth {value} > {limit}"),
    "value_limit.input_fails": gettext_noop(
        # xgettext:no-python-format
        "counts towards the {percent}% limit on {what}, which is exceeded"
    ),
    "value_limit.input_ok": gettext_noop(
        # xgettext:no-python-format
        "within the {percent}% limit on {what}"
    ),
    "value_limit.suggestion": gettext_noop(
        "Lower the value of non-originating {what} by {amount} (to at most {limit}), or source them as originating."
    ),
    "weight_limit.fails": gettext_noop("{rule}: {weight} of {product_weight}"),
    "weight_limit.input_fails": gettext_noop(
        # xgettext:no-python-format
        "counts towards the {percent}% weight limit, which is exceeded"
    ),
    "what_why": gettext_noop("{what}: {why}"),
    "wholly_obtained.input": gettext_noop("the product must be wholly obtained"),
    "wholly_obtained.what": gettext_noop("wholly obtained"),
}


def _parts(value: Any) -> tuple[str, Mapping[str, Any], str] | None:
    """(key, params, English) of a message, in either form; None for anything else."""
    if isinstance(value, Msg):
        return value.key, value.params, str(value)
    if isinstance(value, Mapping) and value.keys() == _MESSAGE_FIELDS and isinstance(value["key"], str):
        params = value["params"]
        return value["key"], params if isinstance(params, Mapping) else {}, str(value["text"])
    return None


def translate(value: Any) -> str:
    """A message of the engine in the active language (a plain string: as given; a ``Msg.as_dict()``: as a
    message)."""
    parts = _parts(value)
    if parts is None:
        return value if isinstance(value, str) else str(value)
    key, params, english = parts
    if key == LIST_KEY:
        return ", ".join(translate(params[str(i)]) for i in range(len(params)))
    template = TEMPLATES.get(key)
    if template is None:
        return english
    rendered = {name: translate(v) for name, v in params.items()}
    for candidate in (gettext(template), template):
        try:
            return candidate.format_map(rendered)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue  # a translation with other placeholders: the English template, then the English text
    return english


def translate_result(data: Any) -> Any:
    """``data`` (an assessment's ``as_dict()``, or anything holding messages) with every message translated;
    dicts, lists and every other value as they are."""
    if _parts(data) is not None:
        return translate(data)
    if isinstance(data, Mapping):
        return {k: translate_result(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [translate_result(v) for v in data]
    return data
