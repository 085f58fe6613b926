"""The demo profiles and opportunities (data/demo) as matching-engine rows, without Django.

Used by bench/matching_eval.py. Certificates are resolved as the standards app resolves them:
valid certificates (expires_in_days >= 0 on the evaluation day), the schemes they satisfy through
data/standards/equivalences.yaml (SatisfactionGraph), and the recognitions of all those schemes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
STANDARDS = ROOT / "data" / "standards"
FREQUENCY = {"once": 1, "weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}
EXPIRY_HORIZON_DAYS = 180


def _catalogue() -> tuple[Any, dict[str, set[str]]]:
    from ivcs.engines.standards.gap import SatisfactionGraph
    from ivcs.standards.dataformat import read_catalogue

    cat = read_catalogue(STANDARDS)
    graph = SatisfactionGraph((e.scheme, e.other, e.relation) for _, e in cat.records["equivalences"])
    recognitions = {s.id: {r.by for r in s.recognitions} for _, s in cat.records["schemes"]}
    return graph, recognitions


def load(today: date) -> tuple[list[Any], list[Any], dict[str, int], dict[str, int]]:
    """(profile rows, opportunity rows, profile slug -> id, opportunity key -> id)."""
    from ivcs.engines.matching.data import CertificationAsk, OpportunityRow, ProfileRow

    graph, recognitions = _catalogue()
    profiles_raw = json.loads((DEMO / "profiles.json").read_text(encoding="utf-8"))["profiles"]
    opps_raw = json.loads((DEMO / "opportunities.json").read_text(encoding="utf-8"))
    buyers = {b["slug"]: i for i, b in enumerate(opps_raw["buyers"], start=1)}

    profile_ids: dict[str, int] = {}
    profiles = []
    for pid, p in enumerate(profiles_raw, start=1):
        profile_ids[p["slug"]] = pid
        valid = [c["scheme"] for c in p.get("certifications", []) if c["expires_in_days"] >= 0]
        satisfied = set().union(*(graph.satisfied_by(s) for s in valid)) if valid else set()
        recognised = set().union(*(recognitions.get(s, set()) for s in satisfied)) if satisfied else set()
        expiring = {c["scheme"] for c in p.get("certifications", []) if 0 <= c["expires_in_days"] < EXPIRY_HORIZON_DAYS}
        text = " ".join([p.get("description", ""), *(x.get("text", "") for x in p.get("products", []))])
        profiles.append(
            ProfileRow(
                id=pid,
                organisation_id=pid,
                country=p["country"],
                sectors=frozenset(p.get("sectors", [])),
                hs=tuple(x["hs"] for x in p.get("products", []) if x.get("hs")),
                text=text,
                capacity=float(p["capacity_volume"]) if p.get("capacity_volume") else None,
                unit=p.get("capacity_unit"),
                employees=p.get("employees"),
                years_exporting=int(p.get("years_exporting") or 0),
                markets=frozenset(p.get("markets_served", [])),
                languages=frozenset(p.get("languages", [])),
                certificates=frozenset(satisfied),
                recognitions=frozenset(recognised),
                expiring=frozenset(expiring),
                interests=frozenset(p.get("interest_countries", [])),
            )
        )

    opportunity_ids: dict[str, int] = {}
    opportunities = []
    for oid, o in enumerate(opps_raw["opportunities"], start=1):
        opportunity_ids[o["key"]] = oid
        per_year = FREQUENCY.get(o.get("frequency") or "yearly", 1)
        quantity = float(o["quantity"]) * per_year if o.get("quantity") else None
        asks = tuple(
            CertificationAsk(frozenset(c.get("any_of", [])), c.get("recognised_by"), c["level"])
            for c in o.get("certifications", [])
        )
        text = " ".join([o["title"], o.get("description", ""), *(x.get("text", "") for x in o.get("products", []))])
        opportunities.append(
            OpportunityRow(
                id=oid,
                buyer_id=buyers.get(o["buyer"], 0),
                title=o["title"],
                text=text,
                language=o["language"],
                hs=tuple(x["hs"] for x in o.get("products", []) if x.get("hs")),
                sectors=frozenset(o.get("sectors", [])),
                services=bool(o.get("services_allowed")),
                eligible_countries=frozenset(o.get("eligible_countries", [])),
                delivery_country=o.get("delivery_country"),
                quantity=quantity,
                unit=o.get("unit"),
                deadline=today + timedelta(days=int(o.get("deadline_in_days", 60))),
                open=o.get("status") == "published",
                certifications=asks,
            )
        )
    return profiles, opportunities, profile_ids, opportunity_ids
