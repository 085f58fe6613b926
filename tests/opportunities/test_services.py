"""Services of the opportunities domain: lifecycle, revisions, validation, permissions, engagement,
the value chain indicator, audit rows and outbox events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ivcs.accounts import services as accounts
from ivcs.accounts.models import Organisation
from ivcs.core import outbox
from ivcs.core.models import AuditLog, OutboxEvent
from ivcs.opportunities import selectors, services
from ivcs.opportunities.handlers import opportunity_published
from ivcs.opportunities.models import Engagement, Opportunity, OpportunityRevision
from ivcs.opportunities.services import OpportunityError

pytestmark = pytest.mark.django_db


def _topics() -> list[str]:
    return list(OutboxEvent.objects.order_by("id").values_list("topic", flat=True))


def _refused(call: Any, *args: Any, **kwargs: Any) -> OpportunityError:
    with pytest.raises(OpportunityError) as info:
        call(*args, **kwargs)
    return info.value


# --- Lifecycle ------------------------------------------------------------------------------------


def test_a_draft_is_created_with_its_products_and_requirements(draft: Opportunity, buyer_owner: Any) -> None:
    assert draft.status == Opportunity.Status.DRAFT and draft.published_at is None
    assert draft.quantity == Decimal("2.5") and draft.unit == "t" and draft.incoterm == "FOB"
    assert draft.eligible_countries == ["CO", "PE"] and draft.created_by == buyer_owner
    assert [(p.hs_code_id, p.text) for p in draft.products.all()] == [("090111", "Green coffee, washed")]
    asks = [(sorted(s.pk for s in r.schemes.all()), r.level) for r in draft.requirements.all()]
    assert asks == [(["brcgs_food", "fssc_22000"], "mandatory"), (["organic_eu"], "preferred")]
    assert AuditLog.objects.filter(action="opportunity.created", object_id=str(draft.pk)).exists()
    [event] = OutboxEvent.objects.all()  # announced as a draft: alerts ignore drafts
    assert (event.topic, event.payload) == (
        "opportunity.changed",
        {"opportunity_id": draft.pk, "status": "draft", "change": "created"},
    )


def test_publish_close_and_award(draft: Opportunity, buyer_owner: Any) -> None:
    published = services.publish_opportunity(buyer_owner, draft)
    assert published.status == "published" and published.published_at is not None
    assert _topics() == ["opportunity.changed", "opportunity.published"]
    event = OutboxEvent.objects.get(topic="opportunity.published")
    assert event.payload == {"opportunity_id": draft.pk, "status": "published"}
    assert event.tenant_id == draft.buyer.tenant_id
    assert _refused(services.publish_opportunity, buyer_owner, published).code == "invalid_transition"

    closed = services.close_opportunity(buyer_owner, published)
    assert closed.status == "closed" and closed.closed_at is not None
    assert _refused(services.close_opportunity, buyer_owner, closed).code == "invalid_transition"
    awarded = services.award_opportunity(buyer_owner, closed)
    assert awarded.status == "awarded"
    assert _topics() == ["opportunity.changed", "opportunity.published", "opportunity.changed", "opportunity.changed"]
    assert [e.payload["change"] for e in OutboxEvent.objects.order_by("id")[2:]] == ["closed", "awarded"]
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {
        "opportunity.published",
        "opportunity.closed",
        "opportunity.awarded",
    }
    # Finished opportunities cannot be edited or awarded again.
    assert _refused(services.update_opportunity, buyer_owner, awarded, {"title": "x"}).code == "not_editable"
    assert _refused(services.award_opportunity, buyer_owner, awarded).code == "invalid_transition"


def test_a_published_opportunity_may_be_awarded_directly(published: Opportunity, buyer_owner: Any) -> None:
    assert services.award_opportunity(buyer_owner, published).status == "awarded"


def test_publishing_needs_a_title_a_product_or_services_and_a_deadline(
    catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_owner: Any, soon: dt.date
) -> None:
    empty = services.create_opportunity(buyer_owner, buyer, {})
    error = _refused(services.publish_opportunity, buyer_owner, empty)
    assert {e.field for e in error.errors} == {"title", "products", "deadline"}
    assert Opportunity.objects.get(pk=empty.pk).status == "draft" and "opportunity.published" not in _topics()

    services.update_opportunity(
        buyer_owner, empty, {"title": "Consultoría", "services_allowed": True, "deadline": soon}
    )
    assert services.publish_opportunity(buyer_owner, empty).status == "published"


def test_a_deadline_that_passed_while_in_draft_blocks_publication(
    draft: Opportunity, buyer_owner: Any, soon: dt.date
) -> None:
    error = _refused(services.publish_opportunity, buyer_owner, draft, today=soon + dt.timedelta(days=1))
    assert error.field == "deadline" and error.code == "deadline_past"


def test_edits_after_publication_are_kept_as_revisions(published: Opportunity, buyer_owner: Any, soon: dt.date) -> None:
    later = soon + dt.timedelta(days=10)
    services.update_opportunity(
        buyer_owner,
        published,
        {"quantity": "3", "deadline": later, "products": [{"hs": "0901.11", "text": "Green coffee"}]},
    )
    revision = OpportunityRevision.objects.get()
    assert revision.changed_by == buyer_owner
    assert revision.changes == {
        "quantity": ["2.5", "3"],
        "deadline": [soon.isoformat(), later.isoformat()],
        "products": [[{"hs": "090111", "text": "Green coffee, washed"}], [{"hs": "090111", "text": "Green coffee"}]],
    }
    assert _topics() == ["opportunity.changed", "opportunity.published", "opportunity.changed"]
    assert OutboxEvent.objects.last().payload["fields"] == ["deadline", "products", "quantity"]  # type: ignore[union-attr]
    # An edit that changes nothing records nothing.
    services.update_opportunity(buyer_owner, published, {"quantity": Decimal("3.000")})
    assert OpportunityRevision.objects.count() == 1 and len(_topics()) == 3


def test_a_published_opportunity_keeps_what_publishing_needed(published: Opportunity, buyer_owner: Any) -> None:
    error = _refused(
        services.update_opportunity, buyer_owner, published, {"title": "", "products": [], "deadline": None}
    )
    assert {e.field for e in error.errors} == {"title", "products", "deadline"}
    fresh = Opportunity.objects.get(pk=published.pk)
    assert fresh.title and fresh.deadline and fresh.products.count() == 1  # rolled back, products too
    assert OpportunityRevision.objects.count() == 0


def test_edits_of_a_draft_are_not_revisions(draft: Opportunity, buyer_owner: Any) -> None:
    services.update_opportunity(buyer_owner, draft, {"title": "Café verde"})
    assert OpportunityRevision.objects.count() == 0
    assert _topics() == ["opportunity.changed", "opportunity.changed"]  # created, edited: no revision
    assert Opportunity.objects.get(pk=draft.pk).title == "Café verde"


def test_the_published_handler_is_idempotent(published: Opportunity) -> None:
    event = OutboxEvent.objects.get(topic="opportunity.published")
    assert "opportunity.published" in outbox.registered_topics()
    plain = outbox.Event(event.pk, event.topic, event.payload, event.tenant_id, 1)
    opportunity_published(plain)
    opportunity_published(plain)  # delivered twice: no error, nothing sent twice
    assert outbox.drain().delivered == 2
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {OutboxEvent.Status.DELIVERED}


# --- Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"products": [{"hs": "999999"}]}, "products.0.hs", "unknown_hs_code"),
        ({"products": [{"hs": "09x1"}]}, "products.0.hs", "invalid_hs_code"),
        ({"products": [{"hs": "", "text": ""}]}, "products.0", "required"),
        ({"products": [{"text": "x" * 501}]}, "products.0.text", "too_long"),
        ({"delivery_country": "ZZ"}, "delivery_country", "unknown_country"),
        ({"eligible_countries": ["PE", "Peru"]}, "eligible_countries.1", "unknown_country"),
        ({"requirements": [{"schemes": ["iso_9999"]}]}, "requirements.0.schemes", "unknown_scheme"),
        ({"requirements": [{"recognised_by": "nobody"}]}, "requirements.0.recognised_by", "unknown_recognition"),
        ({"requirements": [{"schemes": []}]}, "requirements.0", "required"),
        ({"requirements": [{"schemes": ["gots"], "level": "nice"}]}, "requirements.0.level", "invalid_choice"),
        ({"deadline": dt.date(2000, 1, 1)}, "deadline", "deadline_past"),
        ({"deadline": "someday"}, "deadline", "invalid"),
        ({"quantity": "0"}, "quantity", "not_positive"),
        ({"quantity": "-5"}, "quantity", "not_positive"),
        ({"quantity": "lots"}, "quantity", "invalid"),
        ({"quantity": "1e20"}, "quantity", "out_of_range"),
        ({"quantity": 10, "unit": "bags"}, "unit", "invalid_choice"),
        ({"quantity": 10}, "unit", "required"),
        ({"frequency": "daily"}, "frequency", "invalid_choice"),
        ({"incoterm": "XYZ"}, "incoterm", "invalid_choice"),
        ({"language": "fr"}, "language", "invalid_choice"),
        ({"title": "t" * 201}, "title", "too_long"),
        ({"description": "d" * 8001}, "description", "too_long"),
        ({"other_requirements": "o" * 8001}, "other_requirements", "too_long"),
        ({"contact_method": "c" * 501}, "contact_method", "too_long"),
        ({"services_allowed": "yes"}, "services_allowed", "invalid"),
        ({"status": "published"}, "status", "not_editable"),
    ],
)
def test_each_bad_input_is_named_and_nothing_is_written(
    catalogue: Any,
    hs_loaded: Any,
    buyer: Organisation,
    buyer_owner: Any,
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    error = _refused(services.create_opportunity, buyer_owner, buyer, {"title": "Ok", **changes})
    assert (error.field, error.code) == (field, code), error.errors
    assert error.message
    assert Opportunity.objects.count() == 0 and AuditLog.objects.filter(action__startswith="opportunity").count() == 0
    assert not OutboxEvent.objects.exists()


def test_every_bad_field_is_reported_at_once(
    catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_owner: Any
) -> None:
    error = _refused(
        services.create_opportunity,
        buyer_owner,
        buyer,
        {"delivery_country": "XX", "quantity": -1, "products": [{"hs": "999999"}]},
    )
    assert {e.field for e in error.errors} == {"delivery_country", "quantity", "products.0.hs"}


def test_a_failed_edit_changes_nothing(published: Opportunity, buyer_owner: Any) -> None:
    error = _refused(
        services.update_opportunity, buyer_owner, published, {"title": "Nuevo", "requirements": [{"schemes": ["nope"]}]}
    )
    assert error.field == "requirements.0.schemes"
    fresh = Opportunity.objects.get(pk=published.pk)
    assert fresh.title == published.title and fresh.requirements.count() == 2
    assert OpportunityRevision.objects.count() == 0


def test_language_is_detected_when_not_given(
    catalogue: Any, hs_loaded: Any, buyer: Organisation, buyer_owner: Any
) -> None:
    opp = services.create_opportunity(
        buyer_owner, buyer, {"title": "Compramos castanha-do-pará orgânica", "description": "Não é para exportação"}
    )
    assert opp.language == "pt"


# --- Permissions ----------------------------------------------------------------------------------


def test_only_the_buyers_owners_and_editors_write(
    draft: Opportunity,
    buyer: Organisation,
    buyer_owner: Any,
    buyer_viewer: Any,
    other_buyer_owner: Any,
    sme_owner: Any,
    make_user: Any,
    coffee: dict[str, Any],
) -> None:
    for stranger in (buyer_viewer, other_buyer_owner, sme_owner):
        with pytest.raises(PermissionDenied):
            services.update_opportunity(stranger, draft, {"title": "Mine now"})
        with pytest.raises(PermissionDenied):
            services.publish_opportunity(stranger, draft)
        with pytest.raises(PermissionDenied):
            services.create_opportunity(stranger, buyer, coffee)
    assert _topics() == ["opportunity.changed"] and Opportunity.objects.get().title == draft.title  # the draft's own
    editor = make_user()
    accounts.add_member(buyer_owner, buyer, email=editor.email, role="editor")
    assert services.update_opportunity(editor, draft, {"title": "Café"}).title == "Café"


def test_an_api_key_with_org_write_acts_for_its_buyer(
    draft: Opportunity, buyer: Organisation, other_buyer: Organisation
) -> None:
    writer = accounts.create_api_key(None, buyer, name="erp", scopes=["org:write"]).key
    reader = accounts.create_api_key(None, buyer, name="bi", scopes=["org:read"]).key
    foreign = accounts.create_api_key(None, other_buyer, name="x", scopes=["org:write"]).key
    assert services.publish_opportunity(writer, draft).status == "published"
    for key in (reader, foreign):
        with pytest.raises(PermissionDenied):
            services.close_opportunity(key, draft)


def test_an_sme_cannot_publish_opportunities(
    catalogue: Any, hs_loaded: Any, sme: Organisation, sme_owner: Any, coffee: dict[str, Any]
) -> None:
    error = _refused(services.create_opportunity, sme_owner, sme, coffee)
    assert (error.code, error.field) == ("not_a_buyer", "buyer")


# --- Engagement -----------------------------------------------------------------------------------


def test_an_sme_saves_dismisses_and_expresses_interest(
    published: Opportunity, sme: Organisation, sme_owner: Any
) -> None:
    saved = services.save_opportunity(sme_owner, sme, published)
    assert saved.state == "saved"
    assert services.save_opportunity(sme_owner, sme, published).pk == saved.pk  # again: no change
    interested = services.express_interest(sme_owner, sme, published, message="Tenemos 3 t al mes, orgánico.")
    assert interested.pk == saved.pk and interested.state == "interested" and interested.interested_at
    assert Engagement.objects.count() == 1
    assert _topics()[-2:] == ["engagement.changed", "engagement.changed"] and len(_topics()) == 4
    event = OutboxEvent.objects.last()
    assert event is not None and event.payload["state"] == "interested" and event.payload["by"] == "sme"
    dismissed = services.dismiss_opportunity(sme_owner, sme, published)
    assert dismissed.state == "dismissed" and dismissed.message == "" and dismissed.interested_at is None
    assert AuditLog.objects.filter(action="engagement.interested").count() == 1


def test_engagement_needs_an_open_opportunity(
    draft: Opportunity, sme: Organisation, sme_owner: Any, buyer_owner: Any, soon: dt.date
) -> None:
    assert _refused(services.save_opportunity, sme_owner, sme, draft).code == "not_open"
    services.publish_opportunity(buyer_owner, draft)
    late = soon + dt.timedelta(days=1)
    assert _refused(services.engage, sme_owner, sme, draft, state="saved", today=late).code == "not_open"
    assert services.engage(sme_owner, sme, draft, state="saved", today=soon).state == "saved"  # the last day counts
    services.close_opportunity(buyer_owner, draft)
    assert _refused(services.express_interest, sme_owner, sme, draft).code == "not_open"
    assert Engagement.objects.get().state == "saved"


def test_engagement_is_for_sme_owners_and_editors(
    published: Opportunity, sme: Organisation, sme_viewer: Any, buyer: Organisation, buyer_owner: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.save_opportunity(sme_viewer, sme, published)
    assert _refused(services.save_opportunity, buyer_owner, buyer, published).code == "not_an_sme"
    with pytest.raises(PermissionDenied):
        services.express_interest(None, sme, published)
    owner = sme.memberships.get(role="owner").user
    long = _refused(services.express_interest, owner, sme, published, message="m" * 2001)
    assert (long.code, long.field) == ("too_long", "message")
    assert Engagement.objects.count() == 0


def test_buyer_answers_interested_smes_and_awards_count_in_the_indicator(
    published: Opportunity,
    sme: Organisation,
    sme_owner: Any,
    buyer_owner: Any,
    buyer_viewer: Any,
    make_org: Any,
    make_user: Any,
    default_tenant: Any,
) -> None:
    saved_only_owner = make_user()
    other_sme = make_org(owner=saved_only_owner, kind="sme", country="CO")
    only_saved = services.save_opportunity(saved_only_owner, other_sme, published)
    assert _refused(services.shortlist_supplier, buyer_owner, only_saved).code == "not_interested"

    engagement = services.express_interest(sme_owner, sme, published, message="Hola")
    with pytest.raises(PermissionDenied):
        services.award_supplier(buyer_viewer, engagement)
    with pytest.raises(PermissionDenied):
        services.award_supplier(sme_owner, engagement)
    assert selectors.value_chain_indicator(default_tenant) == selectors.ValueChainIndicator(0, 0)

    assert services.shortlist_supplier(buyer_owner, engagement).buyer_status == "shortlisted"
    assert services.award_supplier(buyer_owner, engagement).buyer_status == "awarded"
    assert selectors.value_chain_indicator(default_tenant) == selectors.ValueChainIndicator(awarded=1, smes=1)
    assert AuditLog.objects.filter(action="engagement.buyer_awarded").exists()
    # The awarded SME cannot withdraw; the buyer can still decline (which the indicator then drops).
    assert _refused(services.dismiss_opportunity, sme_owner, sme, published).code == "already_awarded"
    services.decline_supplier(buyer_owner, engagement)
    assert selectors.value_chain_indicator(default_tenant).awarded == 0
    assert _refused(services.answer_interest, buyer_owner, engagement, status="maybe").field == "status"


def test_the_indicator_counts_per_tenant(
    published: Opportunity, sme: Organisation, sme_owner: Any, buyer_owner: Any, default_tenant: Any, other_tenant: Any
) -> None:
    engagement = services.express_interest(sme_owner, sme, published)
    services.award_supplier(buyer_owner, engagement)
    assert selectors.value_chain_indicator(default_tenant).awarded == 1
    assert selectors.value_chain_indicator(other_tenant).awarded == 0
