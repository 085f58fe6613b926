"""An assessment request of the API, checked whole and run through the engine for every loaded scheme
the exporter is a party of.

The UK schemes are bilateral: a product made in a partner country is assessed for export to the UK
("GB"), one made in the UK for export to the partners named in `destinations`. No tariff rates are
loaded yet: `tariff` is null. The engine never reports a rule it cannot decide as qualifying.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from ivcs.core.errors import FieldErrors
from ivcs.engines.origin import assess as engine
from ivcs.engines.origin.schemes import UK, rule_set_key
from ivcs.origin import selectors

MAX_INPUTS = 200
# Engine argument names -> the request's field names.
FIELD_NAMES = {"product_hs6": "product"}


class OriginRequestError(FieldErrors):
    """A request the assessor refuses (422); `errors` names every bad field found."""


def known_hs(code: str) -> bool:
    return code in engine.hs_codes()


def _country(value: str, field: str, errors: list[OriginRequestError]) -> str:
    code = value.upper()
    if pycountry.countries.get(alpha_2=code) is None:
        errors.append(
            OriginRequestError(
                "unknown_country", _("%(value)s is not an ISO 3166-1 alpha-2 country code.") % {"value": value}, field
            )
        )
    return code


def _hs(value: str, field: str, errors: list[OriginRequestError]) -> str:
    code = value.replace(".", "")
    if not known_hs(code):
        errors.append(
            OriginRequestError("unknown_hs", _("HS code %(code)s does not exist in HS 2022.") % {"code": code}, field)
        )
    return code


def _answers(raw: dict[str, Any]) -> dict[str, Any]:
    """ "true"/"false" (the questions' choice values) as booleans; other values as given."""
    return {k: {"true": True, "false": False}.get(v, v) if isinstance(v, str) else v for k, v in raw.items()}


def check(data: dict[str, Any]) -> dict[str, Any]:
    """The request with codes normalised; OriginRequestError naming every bad field."""
    errors: list[OriginRequestError] = []
    product = _hs(data["product"], "product", errors)
    exporter = _country(data["exporter"], "exporter", errors)
    destinations = [
        _country(d, f"destinations[{i}]", errors) for i, d in enumerate(data.get("destinations") or [])
    ] or None
    price = Decimal(data["ex_works_price"])
    if price <= 0:
        errors.append(
            OriginRequestError("out_of_range", _("The ex-works price must be more than 0."), "ex_works_price")
        )
    inputs = []
    for i, row in enumerate(data.get("inputs") or []):
        hs = _hs(row["hs"], f"inputs[{i}].hs", errors)
        origin = None if row.get("origin") is None else _country(row["origin"], f"inputs[{i}].origin", errors)
        inputs.append({**row, "hs": hs, "origin": origin, "name": row.get("name") or ""})
    total = sum((Decimal(row["value"]) for row in inputs), Decimal(0))
    if price > 0 and total > price:
        errors.append(
            OriginRequestError(
                "inputs_exceed_price",
                _("The inputs are worth %(total)s, more than the ex-works price %(price)s.")
                % {"total": total, "price": price},
                "inputs",
            )
        )
    if errors:
        raise OriginRequestError.many(errors)
    try:
        prepared = engine.prepare_inputs(inputs)
    except engine.OriginInputError as exc:
        raise _from_engine(exc) from None
    return {
        "product": product,
        "exporter": exporter,
        "destinations": destinations,
        "ex_works_price": price,
        "currency": data.get("currency", "USD").upper(),
        "inputs": prepared,
        "processes": [str(p) for p in data.get("processes") or []],
        "answers": _answers(dict(data.get("answers") or {})),
    }


def _from_engine(exc: engine.OriginInputError) -> OriginRequestError:
    field = FIELD_NAMES.get(exc.field, exc.field)
    message = str(exc).split(": ", 1)[-1]
    return OriginRequestError("invalid", message, field)


def _rule_out(loaded: selectors.LoadedScheme, a: engine.Assessment) -> dict[str, Any] | None:
    if a.rule_set is None:
        return None
    rs = next(
        (r for r in loaded.engine.rules.rule_sets if rule_set_key(r) == a.rule_set.key),
        None,
    )
    return {
        "key": a.rule_set.key,
        "heading": a.rule_set.heading,
        "subdivision": a.rule_set.subdivision,
        "text": " ".join(a.rule_set.texts),
        "description": a.rule_set.rule,
        "citation": selectors.citation(loaded.row, a.rule_set.heading),
        "structured": None if rs is None else rs.rule.as_dict(),
        "hand_written": a.rule_set.key in loaded.hand_written,
    }


def _result(loaded: selectors.LoadedScheme, destination: str | None, req: dict[str, Any]) -> dict[str, Any]:
    a = engine.assess(
        req["product"],
        req["exporter"],
        req["inputs"],
        req["ex_works_price"],
        loaded.engine,
        req["processes"],
        req["answers"],
    )
    out = a.as_dict()
    return {
        "agreement": {"id": loaded.row.pk, "name": loaded.row.name},
        "destination": destination,
        "status": a.status,
        "qualifies": a.qualifies,
        "rule": _rule_out(loaded, a),
        "inputs": out["inputs"],
        "figures": out["figures"],
        "missing": out["questions"],
        "reasons": out["reasons"],
        "suggestions": out["suggestions"],
        "applied": out["applied"],
        "notes": out["notes"],
        "tariff": None,
    }


def assess_request(data: dict[str, Any]) -> dict[str, Any]:
    """{"results": [...], "notes": [...]} for a validated API body (see AssessIn)."""
    req = check(data)
    exporter, wanted = req["exporter"], req["destinations"]
    notes: list[str] = []
    results: list[dict[str, Any]] = []
    covered: set[str] = set()
    schemes = selectors.loaded_schemes()
    if not schemes:
        notes.append(_("No rules of origin are loaded here yet."))
    try:
        for loaded in schemes.values():
            parties = loaded.engine.provisions.parties
            if exporter not in parties:
                continue
            if exporter != UK:
                targets: list[str | None] = [UK] if wanted is None or UK in wanted else []
            else:
                targets = [d for d in wanted if d in parties and d != UK] if wanted else [None]
            for destination in targets:
                if destination is not None:
                    covered.add(destination)
                results.append(_result(loaded, destination, req))
    except engine.OriginInputError as exc:
        raise _from_engine(exc) from None
    if schemes and not any(exporter in s.engine.provisions.parties for s in schemes.values()):
        notes.append(
            _("%(country)s is not a party of any agreement whose rules of origin are loaded here.")
            % {"country": exporter}
        )
    uncovered = [d for d in wanted or [] if d not in covered]
    if schemes and uncovered:
        notes.append(
            _("No rules of origin are loaded here for exports from %(exporter)s to %(destinations)s.")
            % {"exporter": exporter, "destinations": ", ".join(dict.fromkeys(uncovered))}
        )
    notes.append(_("No tariff rates are loaded yet: “tariff” is empty in every result."))
    return {"results": results, "notes": notes}
