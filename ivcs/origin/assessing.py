"""An assessment request of the API, checked whole and run through the engine for every loaded scheme
the exporter is a party of.

Each scheme says where a product of the exporter may go at its preferential rate (its "sides": the UK
schemes are bilateral with GB, the EU's with the EU as a bloc, CPTPP is plurilateral); a result is made for
every such destination (or those named in `destinations`). The engine never reports a rule it cannot
decide as qualifying. Answers are shared between schemes (a process, a condition, a weight are facts about
the product) except the choice of rule set, which is per scheme ("<scheme>:rule_set").
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pycountry
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivcs.core.errors import FieldErrors
from ivcs.core.i18n import country_name
from ivcs.engines import tariffs
from ivcs.engines.origin import assess as engine
from ivcs.engines.origin.schemes import eu_member_states, rule_set_key
from ivcs.origin import messages, selectors

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


def scheme_answers(loaded: selectors.LoadedScheme, product: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers one scheme sees: shared facts as given, and its own "<scheme>:<key>" answers (the choice of
    rule set is per scheme; a bare "rule_set" counts only where it names one of this scheme's rule sets)."""
    prefix = f"{loaded.row.pk}:"
    own = {k[len(prefix) :]: v for k, v in answers.items() if k.startswith(prefix)}
    shared = {k: v for k, v in answers.items() if ":" not in k or k.split(":", 1)[0] in SHARED_PREFIXES}
    if "rule_set" in shared and shared["rule_set"] not in loaded.engine.candidates(product).keys:
        del shared["rule_set"]
    return {**shared, **own}


# Answer keys with a colon that are facts about the product, not about one scheme.
SHARED_PREFIXES = ("process", "condition", "scope", "manual")


def _check_rule_set_answers(req: dict[str, Any], schemes: dict[str, selectors.LoadedScheme]) -> None:
    """A choice of rule set must name one of the rule sets covering the product (in that scheme)."""
    errors = []
    for key, value in req["answers"].items():
        if key != "rule_set" and not key.endswith(":rule_set"):
            continue
        sid = key.split(":", 1)[0] if ":" in key else None
        pool = [schemes[sid]] if sid in schemes else ([] if sid else list(schemes.values()))
        if not any(value in s.engine.candidates(req["product"]).keys for s in pool):
            errors.append(
                OriginRequestError(
                    "invalid",
                    _("%(value)s is not one of the rule sets covering %(product)s.")
                    % {"value": value, "product": req["product"]},
                    f"answers.{key}",
                )
            )
    if errors:
        raise OriginRequestError.many(errors)


def _caution(row: Any) -> str:
    """What a user must know before relying on a scheme's data, in their language ("" when nothing)."""
    if row.by_operator and not (row.provisions or {}).get("verified", False):
        return str(_("Entered by an operator and not verified against the legal text."))
    if row.pk.startswith("eu-"):
        return str(
            _(
                "Older prototype data of the EU agreement (the modernised agreements may differ): check the rule "
                "in the EU's Access2Markets before relying on it."
            )
        )
    return ""


def _scheme_out(loaded: selectors.LoadedScheme) -> dict[str, Any]:
    row = loaded.row
    p = row.provisions or {}
    return {
        "id": row.pk,
        "name": row.name,
        "source": row.source,
        "vintage": row.vintage,
        "hs_version": row.hs_version,
        "notes": list(p.get("notes") or []),
        "caution": _caution(row),
        "proofs": list(p.get("proofs") or []),
        "links": list(p.get("links") or []),
    }


def _result(loaded: selectors.LoadedScheme, destination: str | None, req: dict[str, Any]) -> dict[str, Any]:
    a = engine.assess(
        req["product"],
        req["exporter"],
        req["inputs"],
        req["ex_works_price"],
        loaded.engine,
        req["processes"],
        scheme_answers(loaded, req["product"], req["answers"]),
    )
    out = a.as_dict()
    missing = out["questions"]
    for q in missing:
        if q["kind"] == "rule_set":
            q["key"] = f"{loaded.row.pk}:{q['key']}"
    return {
        "agreement": _scheme_out(loaded),
        "destination": destination,
        "status": a.status,
        "qualifies": a.qualifies,
        "rule": _rule_out(loaded, a),
        "inputs": out["inputs"],
        "figures": out["figures"],
        "missing": missing,
        "reasons": out["reasons"],
        "suggestions": out["suggestions"],
        "applied": out["applied"],
        "notes": out["notes"],
        "tariff": None,
    }


def _wanted(destination: str, wanted: list[str] | None) -> bool:
    """A result for `destination` (a country or "EU") is wanted when no list was given, when the list names
    it, or when it is the EU and the list names one of its members."""
    if wanted is None:
        return True
    if destination in wanted:
        return True
    return destination == "EU" and any(w in eu_member_states() for w in wanted)


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
    _check_rule_set_answers(req, schemes)
    party_somewhere = False
    try:
        for loaded in schemes.values():
            destinations = loaded.engine.provisions.destinations_for(exporter)
            if not destinations:
                continue
            party_somewhere = True
            chosen = [d for d in destinations if _wanted(d, wanted)]
            if not chosen:
                continue
            # The rules do not depend on the destination: one assessment, one result per destination.
            base = _result(loaded, None, req)
            for destination in chosen:
                covered.add(destination)
                if destination == "EU":
                    covered.update(eu_member_states())
                results.append({**copy.deepcopy(base), "destination": destination})
    except engine.OriginInputError as exc:
        raise _from_engine(exc) from None
    if schemes and not party_somewhere:
        notes.append(
            _("%(country)s is not a party of any agreement whose rules of origin are loaded here.")
            % {"country": country_name(exporter)}
        )
    uncovered = [d for d in wanted or [] if d not in covered]
    if schemes and uncovered:
        notes.append(
            _("No rules of origin are loaded here for exports from %(exporter)s to %(destinations)s.")
            % {"exporter": exporter, "destinations": ", ".join(dict.fromkeys(uncovered))}
        )
    results.sort(key=lambda r: (STATUS_ORDER.get(r["status"], 9), r["destination"] or "", r["agreement"]["name"]))
    for r in results:
        r["tariff"] = tariff_for(r["agreement"]["id"], r["destination"], req["product"])
    # The engine's texts in the request's language (the rules' legal texts stay as published, in English).
    results = [messages.translate_result(r) for r in results]
    return {"results": results, "notes": notes, "other_markets": other_markets(req, results)}


STATUS_ORDER = {engine.QUALIFIES: 0, engine.NEEDS: 1, engine.FAILS: 2}


# --- Tariffs ------------------------------------------------------------------------------------------------

# Destination -> the tariff market whose rates are loaded (ivcs.engines.tariffs); scheme -> its programme there.
TARIFF_MARKETS = {"GB": "GB", "EU": "EU", "JP": "JP", "US": "US"}
PROGRAMME_OF_SCHEME = {("cptpp", "JP"): "cptpp"}
# What users must know about each market's rates, in their language (the engine's detailed notes are English).
MARKET_NOTES = {
    "GB": gettext_lazy(
        "UK Global Tariff as launched in 2021: a baseline, amended since. No UK preferential rates are loaded."
    ),
    "EU": gettext_lazy(
        "EU common external tariff of 2020, a proxy for today's EU rates. No EU preferential rates are loaded."
    ),
    "JP": gettext_lazy("Japan's customs tariff schedule of 9 July 2026."),
    "US": gettext_lazy(
        "US tariff schedule 2026 (revision 10), without the additional duties of chapter 99 (Section 232, "
        "Section 301 and others), which may apply."
    ),
}


def _percent(value: Any) -> str:
    text = f"{Decimal(value):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _rates_text(rates: dict[str, Any] | None) -> str | None:
    """ "12%", "0%-12%", or the verbatim texts of specific and compound duties (never made into a %)."""
    if rates is None:
        return None
    if rates["low"] is not None:
        low, high = _percent(rates["low"]), _percent(rates["high"])
        return low if low == high else f"{low}\u2013{high}"
    texts = rates["texts"]
    return "; ".join(texts[:3]) + (" …" if len(texts) > 3 else "")


def _free(rates: dict[str, Any] | None) -> bool:
    """Every line duty-free at the MFN rate: no preference is needed."""
    return rates is not None and rates["high"] is not None and Decimal(rates["high"]) == 0


def tariff_out(answer: tariffs.TariffAnswer) -> dict[str, Any]:
    """A tariff answer as the API and the pages show it: the rates as text, the saving, source and date."""
    d = answer.as_dict()
    summary = d["summary"]
    saving = summary["saving_per_1000"]
    saving_text = None
    if saving is not None and d["programme"] is not None and summary["preferential"] is not None:
        saving_text = saving["min"] if saving["min"] == saving["max"] else f"{saving['min']}\u2013{saving['max']}"
    source = d["source"] or {}
    return {
        "market": d["market"],
        "programme": None if d["programme"] is None else {"id": d["programme"]["id"], "name": d["programme"]["name"]},
        "known": d["known"],
        "mfn": _rates_text(summary["mfn"]),
        "preferential": _rates_text(summary["preferential"]),
        "saving_per_1000": saving_text,
        "saving_note": summary["saving_note"],
        "free": _free(summary["mfn"]),
        "summary": summary,
        "lines": [
            {
                "code": line["code"],
                "description": line["description"],
                "mfn": line["mfn"]["text"],
                "preferential": None if line["preferential"] is None else line["preferential"]["text"],
            }
            for line in d["lines"][:50]
        ],
        "source": ", ".join(x for x in (source.get("publisher"), source.get("dataset")) if x),
        "date": source.get("date", ""),
        "licence": source.get("attribution") or source.get("licence", ""),
        "market_note": str(MARKET_NOTES.get(d["market"], "")),
        "notes": d["notes"],
    }


def tariff_for(scheme_id: str, destination: str | None, product: str) -> dict[str, Any] | None:
    """The loaded rates for the product in the destination, with the scheme's programme where one is loaded;
    None when no rates of that market are loaded here."""
    market = TARIFF_MARKETS.get(destination or "")
    if market is None:
        return None
    return tariff_out(tariffs.lookup(market, product, PROGRAMME_OF_SCHEME.get((scheme_id, market))))


def other_markets(req: dict[str, Any], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Programmes whose rates are loaded for the exporter but whose rules of origin are not (the US
    agreements, Japan's bilateral EPAs): the rates, and a plain statement that the tool cannot assess them."""
    used = {r["tariff"]["programme"]["id"] for r in results if r["tariff"] and r["tariff"]["programme"]}
    wanted = req["destinations"]
    out: list[dict[str, Any]] = []
    for market in ("US", "JP"):
        if wanted is not None and market not in wanted:
            continue
        for programme in tariffs.programmes_for(market, req["exporter"]):
            if programme.id in used:
                continue
            out.append(
                {
                    "market": market,
                    "programme": {"id": programme.id, "name": programme.name},
                    "tariff": tariff_out(tariffs.lookup(market, req["product"], programme.id)),
                    "note": _(
                        "Preferential rates are loaded, but this agreement's rules of origin are not: the tool "
                        "cannot say whether the product qualifies."
                    ),
                }
            )
    if not results and not out:
        # No agreement at all for this exporter here: what the product pays in the markets whose rates are loaded.
        for market in TARIFF_MARKETS:
            if not _wanted(market, wanted):
                continue
            answer = tariffs.lookup(market, req["product"])
            if answer.known:
                out.append(
                    {
                        "market": market,
                        "programme": None,
                        "mfn_only": True,
                        "tariff": tariff_out(answer),
                        "note": _("No preferential agreement is loaded here for this exporter: the MFN rate applies."),
                    }
                )
    return out
