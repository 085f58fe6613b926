"""Bills of materials: checked whole, versioned, permission-checked, never half-saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ivcs.chains import services
from ivcs.chains.models import BillOfMaterials, BomInput, BomVersion
from ivcs.core.models import AuditLog, OutboxEvent
from tests.chains.conftest import good_bom

pytestmark = pytest.mark.django_db


def _fields(error: services.ChainError) -> dict[str | None, str]:
    return {e.field: e.code for e in error.errors}


def test_create_normalises_codes_and_keeps_a_version(sme: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    assert bom.product_id == "180690" and bom.version == 1
    rows = list(BomInput.objects.filter(bom=bom).order_by("position"))
    assert [r.hs_code_id for r in rows] == ["1803", "170199", "4819"]
    assert rows[1].value_share == Decimal("10.50") and rows[0].originating == "yes" and rows[2].originating == "unknown"
    version = BomVersion.objects.get(bom=bom)
    assert version.version == 1 and version.content["inputs"][0]["hs"] == "1803"
    assert AuditLog.objects.filter(action="bom.created", object_id=str(bom.pk)).exists()
    assert OutboxEvent.objects.filter(topic=services.BOM_CHANGED).count() == 1


def test_update_raises_the_version_and_keeps_the_old_content(sme: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    changed = good_bom(inputs=[{"hs": "1801", "origin": "EC", "value_share": 35}])
    bom = services.update_bom(sme.editor, bom, changed, expected_version=1)
    assert bom.version == 2
    assert list(BomInput.objects.filter(bom=bom).values_list("hs_code_id", flat=True)) == ["1801"]
    contents = {v.version: v.content for v in BomVersion.objects.filter(bom=bom)}
    assert [r["hs"] for r in contents[1]["inputs"]] == ["1803", "170199", "4819"]
    assert [r["hs"] for r in contents[2]["inputs"]] == ["1801"]


def test_a_stale_version_is_refused_and_nothing_changes(sme: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    services.update_bom(sme.owner, bom, good_bom(name="v2"), expected_version=1)
    with pytest.raises(services.ChainError) as caught:
        services.update_bom(sme.editor, bom, good_bom(name="stale"), expected_version=1)
    assert caught.value.code == "version_conflict"
    bom.refresh_from_db()
    assert bom.name == "v2" and bom.version == 2


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"product": "9999.99"}, "product", "unknown_hs"),
        ({"product": "12"}, "product", "malformed_hs"),
        ({"product": ""}, "product", "required"),
        ({"inputs": [{"hs": "18o3"}]}, "inputs[0].hs", "malformed_hs"),
        ({"inputs": [{"hs": "1803", "origin": "XX"}]}, "inputs[0].origin", "unknown_country"),
        ({"inputs": [{"hs": "1803", "value_share": 101}]}, "inputs[0].value_share", "out_of_range"),
        ({"inputs": [{"hs": "1803", "value_share": "abc"}]}, "inputs[0].value_share", "invalid"),
        ({"inputs": [{"hs": "1803", "originating_declared": "maybe"}]}, "inputs[0].originating_declared", "invalid"),
        ({"inputs": [{"hs": "180690"}]}, "inputs[0].hs", "cycle"),
        (
            {"inputs": [{"hs": "1803", "value_share": 60}, {"hs": "1804", "value_share": 50}]},
            "inputs",
            "shares_over_100",
        ),
        ({"inputs": [{"hs": "1803", "origin": "PE"}, {"hs": "1803", "origin": "PE"}]}, "inputs[1].hs", "duplicate"),
        ({"name": "x" * 201}, "name", "too_long"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(sme: Any, change: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(services.ChainError) as caught:
        services.create_bom(sme.owner, sme.org, good_bom(**change))
    assert _fields(caught.value).get(field) == code, caught.value.as_details()
    assert not BillOfMaterials.objects.exists() and not BomInput.objects.exists()


def test_every_bad_field_is_reported_at_once(sme: Any) -> None:
    data = good_bom(product="0000", inputs=[{"hs": "1803", "origin": "ZZ"}, {"hs": "12345"}])
    with pytest.raises(services.ChainError) as caught:
        services.clean_bom(data)
    assert set(_fields(caught.value)) == {"product", "inputs[0].origin", "inputs[1].hs"}


def test_same_input_from_two_origins_is_allowed_and_shares_up_to_100(sme: Any) -> None:
    data = good_bom(
        inputs=[{"hs": "1803", "origin": "PE", "value_share": 50}, {"hs": "1803", "origin": "EC", "value_share": 50}]
    )
    bom = services.create_bom(sme.owner, sme.org, data)
    assert BomInput.objects.filter(bom=bom).count() == 2


def test_a_cycle_through_the_smes_other_bills_is_refused(sme: Any) -> None:
    services.create_bom(sme.owner, sme.org, {"product": "1803", "inputs": [{"hs": "1801"}]})
    services.create_bom(sme.owner, sme.org, {"product": "180690", "inputs": [{"hs": "1803"}]})
    # Cocoa beans made from chocolate would close 1801 -> 1803 -> 180690 -> 1801.
    with pytest.raises(services.ChainError) as caught:
        services.create_bom(sme.owner, sme.org, {"product": "1801", "inputs": [{"hs": "180690"}]})
    assert caught.value.code == "cycle" and "1803" in caught.value.message
    assert BillOfMaterials.objects.filter(product_id="1801").count() == 0


def test_another_smes_bills_make_no_cycle(sme: Any, make_org: Any, make_user: Any) -> None:
    owner = make_user()
    other = make_org(owner=owner, slug="otra")
    services.create_bom(owner, other, {"product": "1803", "inputs": [{"hs": "1801"}]})
    services.create_bom(sme.owner, sme.org, {"product": "1801", "inputs": [{"hs": "1803"}]})


def test_find_cycle_returns_the_path() -> None:
    edges = {"B": {"C"}, "C": {"A"}}
    assert services.find_cycle("A", ["B"], edges) == ["A", "B", "C", "A"]
    assert services.find_cycle("A", ["C"], {"C": {"D"}}) is None


def test_viewers_and_strangers_may_not_write(sme: Any, make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.create_bom(sme.viewer, sme.org, good_bom())
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    with pytest.raises(PermissionDenied):
        services.update_bom(make_user(), bom, good_bom())
    with pytest.raises(PermissionDenied):
        services.delete_bom(sme.viewer, bom)
    assert BillOfMaterials.objects.filter(pk=bom.pk).exists()


def test_only_smes_keep_bills(make_org: Any, make_user: Any, hs_loaded: Any) -> None:
    owner = make_user()
    buyer = make_org(owner=owner, kind="buyer", slug="comprador")
    with pytest.raises(services.ChainError) as caught:
        services.create_bom(owner, buyer, good_bom())
    assert caught.value.code == "not_sme"


def test_delete_removes_versions_and_records_it(sme: Any) -> None:
    bom = services.create_bom(sme.owner, sme.org, good_bom())
    services.delete_bom(sme.owner, bom)
    assert not BomVersion.objects.exists() and not BomInput.objects.exists()
    assert AuditLog.objects.filter(action="bom.deleted").exists()
