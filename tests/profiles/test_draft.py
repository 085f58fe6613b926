"""The guided builder: one sentence in Spanish or Portuguese becomes a draft profile (never saved)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ivcs.profiles import services
from ivcs.profiles.models import Profile
from ivcs.profiles.services import ProfileError
from ivcs.profiles.validation import clean_profile

pytestmark = pytest.mark.django_db


def test_a_spanish_sentence_gives_products_origin_sectors_and_markets(hs_loaded: Any, catalogue: Any) -> None:
    draft = services.profile_from_sentence(
        "Somos una pyme del Huila, Colombia, que exporta café tostado a Europa", "es"
    )
    profile = draft["profile"]
    assert draft["language"] == "es" and draft["nomenclature_loaded"] is True
    assert profile["country"] == "CO" and profile["region"] == "Huila"
    codes = [p["hs"] for p in profile["products"]]
    assert codes and codes[0].startswith("0901")
    assert profile["products"][0]["description"]  # the HS description, in Spanish
    assert {"food_beverage", "food_beverage.coffee_cocoa"} <= set(profile["sectors"])
    assert "EU" in profile["interest_countries"]
    assert profile["description"].startswith("Somos una pyme") and profile["description_language"] == "es"
    # The draft is valid input for save_profile as it stands, and nothing was saved.
    clean_profile(profile)
    assert not Profile.objects.exists()


def test_a_portuguese_sentence_gives_a_brazilian_draft(hs_loaded: Any, catalogue: Any) -> None:
    draft = services.profile_from_sentence("Somos uma empresa de Minas Gerais que produz café torrado para exportação")
    profile = draft["profile"]
    assert draft["language"] == "pt" and profile["country"] == "BR" and profile["region"] == "Minas Gerais"
    assert profile["products"] and profile["products"][0]["hs"].startswith("0901")
    assert "food_beverage" in profile["sectors"] and profile["languages"] == ["pt"]
    clean_profile(profile)


def test_the_draft_endpoint_returns_the_builders_draft(client: Client, hs_loaded: Any, catalogue: Any) -> None:
    response = client.post(
        "/api/v1/profiles/draft",
        {"text": "Fabricamos camisetas de algodón en Lima, Perú", "lang": "es"},
        "application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["profile"]["country"] == "PE"
    assert body["profile"]["products"] and body["profile"]["products"][0]["hs"].startswith("61")


def test_an_empty_sentence_is_refused() -> None:
    with pytest.raises(ProfileError) as caught:
        services.profile_from_sentence("  ")
    assert caught.value.field == "text"
