"""`ivcs import-profiles`: CSV and JSON, a report per row, dry runs, atomic files, size and encoding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ivcs.accounts.models import Organisation
from ivcs.core.models import AuditLog, OutboxEvent
from ivcs.profiles import services
from ivcs.profiles.models import Profile, ProfileProduct
from ivcs.standards.models import HeldCertification
from tests.profiles.conftest import Sme, good_profile

pytestmark = pytest.mark.django_db

HEADER = (
    "slug,name,country,region,sectors,hs,description,capacity_volume,capacity_unit,employees,revenue_band,"
    "years_exporting,markets_served,languages,interest_countries,certifications"
)
GOOD_NEW = (
    "cacao-tumbes,Cacao Tumbes,PE,Tumbes,food_beverage;food_beverage.coffee_cocoa,1801;1806.32,"
    '"Cacao fino de aroma, en grano",30,t,12,micro,3,US;DE,es;en,EU,fssc_22000:2031-05-01;organic_eu'
)
GOOD_EXISTING = "cafe-huila,,CO,Huila,,0901.21,Café especial,,,,,0,,es,,"
BAD = "malo-sa,Malo SA,XX,,nope,999999,,-5,t,,,,,,,"


def _csv(tmp_path: Path, *lines: str, name: str = "profiles.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, Any]]:
    return services.read_import_file(path)


def test_a_csv_creates_new_smes_updates_existing_ones_and_refuses_bad_rows(
    tmp_path: Path, sme: Sme, default_tenant: Any
) -> None:
    report = services.import_profiles(_rows(_csv(tmp_path, GOOD_NEW, GOOD_EXISTING, BAD)), tenant=default_tenant)
    assert [(r.row, r.slug, r.status) for r in report.rows] == [
        (1, "cacao-tumbes", "created"),
        (2, "cafe-huila", "created"),  # the organisation existed, its profile did not
        (3, "malo-sa", "refused"),
    ]
    reasons = " | ".join(report.rows[2].reasons)
    for field in ("country", "sectors", "products.0.hs", "capacity_volume"):
        assert field in reasons
    assert report.written

    org = Organisation.objects.get(slug="cacao-tumbes")
    assert (org.kind, org.tenant_id, org.country, org.name) == ("sme", default_tenant.pk, "PE", "Cacao Tumbes")
    profile = Profile.objects.get(organisation=org)
    assert profile.description == "Cacao fino de aroma, en grano" and profile.markets_served == ["US", "DE"]
    assert list(ProfileProduct.objects.filter(profile=profile).values_list("hs_code_id", flat=True)) == [
        "1801",
        "180632",
    ]
    held = dict(HeldCertification.objects.filter(organisation=org).values_list("scheme_id", "expires"))
    assert set(held) == {"fssc_22000", "organic_eu"} and held["organic_eu"] is None
    assert not Organisation.objects.filter(slug="malo-sa").exists()
    assert Profile.objects.get(organisation=sme.org).region == "Huila"
    assert OutboxEvent.objects.filter(topic="profile.changed").count() == 2
    assert AuditLog.objects.filter(action="organisation.created", object_id=str(org.pk)).exists()

    again = services.import_profiles(_rows(_csv(tmp_path, GOOD_NEW)), tenant=default_tenant)
    assert again.rows[0].status == "updated"


def test_a_json_file_takes_lists_as_lists(tmp_path: Path, catalogue: Any, default_tenant: Any) -> None:
    record = {
        "slug": "mate-curitiba",
        "name": "Mate Curitiba",
        "country": "BR",
        "sectors": ["food_beverage"],
        "hs": ["0903"],
        "description": "Erva-mate orgânica para exportação.",
        "languages": ["pt"],
        "interest_countries": ["EU", "US"],
        "certifications": [{"standard": "organic_eu", "expires": "2030-12-31"}],
        "years_exporting": 7,
    }
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps([record, {"slug": "sem-nome"}]), encoding="utf-8")
    report = services.import_profiles(_rows(path), tenant=default_tenant)
    assert [(r.slug, r.status) for r in report.rows] == [("mate-curitiba", "created"), ("sem-nome", "refused")]
    assert any("name" in reason for reason in report.rows[1].reasons)
    profile = Profile.objects.get(organisation__slug="mate-curitiba")
    assert profile.description_language == "pt" and profile.years_exporting == 7
    assert profile.interest_countries == ["EU", "US"]


def test_a_dry_run_writes_nothing(tmp_path: Path, sme: Sme, default_tenant: Any) -> None:
    report = services.import_profiles(_rows(_csv(tmp_path, GOOD_NEW, BAD)), tenant=default_tenant, dry_run=True)
    assert [r.status for r in report.rows] == ["created", "refused"] and not report.written
    assert not Organisation.objects.filter(slug="cacao-tumbes").exists()
    assert not Profile.objects.exists() and not OutboxEvent.objects.filter(topic="profile.changed").exists()


def test_an_atomic_import_writes_nothing_when_a_row_is_refused(tmp_path: Path, sme: Sme, default_tenant: Any) -> None:
    report = services.import_profiles(
        _rows(_csv(tmp_path, GOOD_NEW, GOOD_EXISTING, BAD)), tenant=default_tenant, atomic=True
    )
    assert [r.status for r in report.rows] == ["created", "created", "refused"] and not report.written
    assert not Organisation.objects.filter(slug="cacao-tumbes").exists() and not Profile.objects.exists()

    report = services.import_profiles(
        _rows(_csv(tmp_path, GOOD_NEW, GOOD_EXISTING)), tenant=default_tenant, atomic=True
    )
    assert report.written and Profile.objects.count() == 2


def test_rows_that_clash_are_refused(
    tmp_path: Path, sme: Sme, make_org: Any, default_tenant: Any, other_tenant: Any
) -> None:
    make_org(slug="comprador", kind="buyer")
    make_org(slug="de-otro-sitio", tenant=other_tenant)
    lines = [
        GOOD_NEW,
        GOOD_NEW,  # twice in one file
        "comprador,,CO,,,,,,,,,,,,,",
        "de-otro-sitio,,CO,,,,,,,,,,,,,",
        "Not A Slug,X,CO,,,,,,,,,,,,,",
    ]
    report = services.import_profiles(_rows(_csv(tmp_path, *lines)), tenant=default_tenant)
    assert [r.status for r in report.rows] == ["created", "refused", "refused", "refused", "refused"]
    assert all(r.reasons for r in report.rows[1:])
    assert not Profile.objects.filter(organisation__slug__in=["comprador", "de-otro-sitio"]).exists()


def test_the_import_creates_organisations_on_the_given_tenant_only(
    tmp_path: Path, catalogue: Any, other_tenant: Any
) -> None:
    services.import_profiles(_rows(_csv(tmp_path, GOOD_NEW)), tenant=other_tenant)
    assert Organisation.objects.get(slug="cacao-tumbes").tenant_id == other_tenant.pk
    from django_scopes import scope

    with scope(tenant=other_tenant.pk):
        assert Profile.objects.filter(organisation__slug="cacao-tumbes").exists()
    with scope(tenant=Organisation._meta.get_field("tenant").related_model.objects.get(slug="ivcs").pk):
        assert not Profile.objects.exists()


def test_the_command_reports_each_row(tmp_path: Path, sme: Sme, capsys: Any) -> None:
    path = _csv(tmp_path, GOOD_NEW, BAD)
    call_command("import_profiles", str(path), tenant="ivcs", dry_run=True)
    out, err = capsys.readouterr()
    assert "row 1 cacao-tumbes created" in out and "nothing was written" in out
    assert "REFUSED row 2 malo-sa refused" in err and "country" in err
    assert not Profile.objects.exists()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_profiles", str(path), tenant="ivcs", atomic=True)
    assert not Profile.objects.exists()

    call_command("import_profiles", str(path), tenant="ivcs")
    assert Profile.objects.filter(organisation__slug="cacao-tumbes").exists()
    with pytest.raises(CommandError, match="no partner site"):
        call_command("import_profiles", str(path), tenant="nowhere")


def test_files_too_large_not_utf8_or_malformed_are_refused_clearly(tmp_path: Path, sme: Sme) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(HEADER.encode() + b"\n" + b"x" * (5 * 1024 * 1024))
    with translation.override("en"), pytest.raises(CommandError, match="5 MB"):
        call_command("import_profiles", str(big), tenant="ivcs")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\ncafe-huila,Café,CO,,,,,,,,,,,,,\n").encode("latin-1"))
    with translation.override("en"), pytest.raises(CommandError, match="UTF-8"):
        call_command("import_profiles", str(latin), tenant="ivcs")
    for name, content, message in [
        ("bad.json", "{not json", "not valid JSON"),
        ("obj.json", '{"slug": "x"}', "list of objects"),
        ("cols.csv", "slug,colour\nx,red\n", "Unknown columns: colour"),
        ("profiles.xlsx", "x", ".csv"),
    ]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        with translation.override("en"), pytest.raises(CommandError, match=message):
            call_command("import_profiles", str(path), tenant="ivcs")
    assert not Profile.objects.exists()


def test_good_profile_fixture_round_trips_through_json_import(tmp_path: Path, sme: Sme, default_tenant: Any) -> None:
    record = {"slug": "cafe-huila", **good_profile()}
    path = tmp_path / "one.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    report = services.import_profiles(_rows(path), tenant=default_tenant)
    assert report.rows[0].status == "created", report.rows[0].reasons
    assert Profile.objects.get(organisation=sme.org).contact_email == "ana@cafehuila.example"
