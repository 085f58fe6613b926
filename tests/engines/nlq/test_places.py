"""Places, their roles (origin / destination / input), blocs, aliases and the profile fallback."""

from __future__ import annotations

import pytest

from ivcs.engines.nlq import understand


def roles(text: str, **kwargs: object) -> list[tuple[str, str, str]]:
    result = understand(text, **kwargs)  # type: ignore[arg-type]
    return [(place.text, place.country, place.role) for place in result.places]


@pytest.mark.parametrize(
    ("text", "origin", "destinations", "inputs"),
    [
        ("Somos de Huila y buscamos compradores en Japón", "CO", ("JP",), ()),
        ("we grow coffee from Recife and sell to Canada", "BR", ("CA",), ()),
        ("producimos mole en Oaxaca para exportar a Estados Unidos", "MX", ("US",), ()),
        ("Exportamos desde Chile hacia Holanda y Alemania", "CL", ("NL", "DE"), ()),
        ("nossa fazenda no Pará produz cacau para o Japão", "BR", ("JP",), ()),
        ("palta hass de Michoacán para Europa", "MX", ("EU",), ()),
        ("compradores de Estados Unidos para panela de Cauca", "CO", ("US",), ()),
        ("mercado del Reino Unido para alpaca de Puno", "PE", ("GB",), ()),
        ("tela de Pakistán para confeccionar camisetas en Gamarra", "PE", (), ("PK",)),
        ("chocolate con cacao de Ecuador hecho en Medellín para Corea", "CO", ("KR",), ("EC",)),
        ("insumos de China para bolsos que vendemos en EE.UU.", None, ("US",), ("CN",)),
        ("importamos hilo de India y vendemos chompas al Japón", None, ("JP",), ("IN",)),
        ("Exportar a Japón, Corea del Sur y China desde Lima", "PE", ("JP", "KR", "CN"), ()),
        ("vender jeans en Monterrey", None, ("MX",), ()),
        ("We want to export tropical fruit from Guanacaste into the USA", "CR", ("US",), ()),
        ("café de Nariño para el mercado europeo", "CO", ("EU",), ()),
        ("compradores alemanes para nuestro café de Tarrazú", "CR", ("DE",), ()),
        ("¿Qué aranceles paga el vino del Maule en la Unión Europea?", "CL", ("EU",), ()),
        ("TLC con Corea para café de Pitalito, Huila", "CO", ("KR",), ()),
        ("requisitos de la UE para exportar mango de Piura", "PE", ("EU",), ()),
    ],
)
def test_roles(text: str, origin: str | None, destinations: tuple[str, ...], inputs: tuple[str, ...]) -> None:
    result = understand(text)
    assert result.origin_country == origin, (text, result.places)
    assert result.destination_countries == destinations, (text, result.places)
    assert result.input_countries == inputs, (text, result.places)


def test_own_country_as_origin_only_is_not_a_destination() -> None:
    result = understand("Somos de Colombia y producimos café")
    assert result.origin_country == "CO" and result.origin_source == "text"
    assert result.destination_countries == ()


def test_input_country_is_never_a_destination() -> None:
    result = understand("importamos hilo de India para tejer chompas de alpaca")
    assert "IN" in result.input_countries and "IN" not in result.destination_countries


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("EE.UU.", "US"),
        ("EEUU", "US"),
        ("USA", "US"),
        ("los Estados Unidos", "US"),
        ("Reino Unido", "GB"),
        ("Inglaterra", "GB"),
        ("Holanda", "NL"),
        ("Países Bajos", "NL"),
        ("Corea", "KR"),
        ("Corea del Sur", "KR"),
        ("China", "CN"),
        ("Japón", "JP"),
        ("Alemania", "DE"),
        ("Francia", "FR"),
        ("Emiratos Árabes Unidos", "AE"),
        ("Unión Europea", "EU"),
        ("la UE", "EU"),
        ("Europa", "EU"),
        ("Mercosur", "MERCOSUR"),
        ("la Alianza del Pacífico", "PACIFIC_ALLIANCE"),
        ("la Comunidad Andina", "CAN"),
        ("el CPTPP", "CPTPP"),
        ("el T-MEC", "USMCA"),
        ("la EFTA", "EFTA"),
        ("la ASEAN", "ASEAN"),
        ("CAFTA-DR", "CAFTA_DR"),
    ],
)
def test_spanish_aliases_and_blocs(alias: str, code: str) -> None:
    result = understand(f"Quiero exportar mermelada a {alias}")
    assert result.destination_countries == (code,), result.places


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Queremos vender para o Japão", "JP"),
        ("exportar para a Alemanha", "DE"),
        ("vender para os EUA", "US"),
        ("exportar para a União Europeia", "EU"),
        ("vender no Mercosul", "MERCOSUR"),
        ("selling to the United States", "US"),
        ("export to the UK", "GB"),
        ("buyers in South Korea", "KR"),
        ("export to the EU", "EU"),
        ("buyers in the Netherlands", "NL"),
    ],
)
def test_portuguese_and_english_aliases(text: str, code: str) -> None:
    assert understand(text).destination_countries == (code,)


def test_profile_fallback() -> None:
    result = understand("busco compradores de café en Japón", profile_country="co")
    assert result.origin_country == "CO" and result.origin_source == "profile"
    no_profile = understand("busco compradores de café en Japón")
    assert no_profile.origin_country is None and no_profile.origin_source is None


def test_text_origin_beats_profile() -> None:
    result = understand("somos de Arequipa", profile_country="CO")
    assert result.origin_country == "PE" and result.origin_source == "text"


@pytest.mark.parametrize(
    ("text", "lang", "profile", "origin"),
    [
        ("somos del Amazonas", None, "PE", "PE"),
        ("somos del Amazonas", None, "CO", "CO"),
        ("somos do Amazonas", "pt", None, "BR"),
        ("somos del Amazonas", "es", None, None),
        ("somos del Amazonas", "es", "MX", None),
        ("we are from Amazonas, Peru", "en", None, "PE"),
    ],
)
def test_ambiguous_amazonas(text: str, lang: str | None, profile: str | None, origin: str | None) -> None:
    result = understand(text, lang=lang, profile_country=profile)
    assert result.origin_country == origin, result.places


def test_common_words_are_not_places() -> None:
    result = understand("salsa de chile habanero y jugo de limón para exportar a Canadá")
    assert [place.country for place in result.places] == ["CA"]
    assert understand("Eu quero vender café").places == ()
    assert understand("para que sirve la certificación").places == ()
    assert understand("we can sell it to us").places == ()


def test_capitalised_common_words_are_places() -> None:
    result = understand("Somos de Lima y exportamos a Chile")
    assert result.origin_country == "PE" and result.destination_countries == ("CL",)


def test_places_keep_text_as_written_and_kind() -> None:
    result = understand("Desde São Paulo para a Alemanha")
    assert [(p.text, p.kind) for p in result.places] == [("São Paulo", "city"), ("Alemanha", "country")]


def test_producer_region_without_preposition_is_origin() -> None:
    result = understand("café Huila para Japón")
    assert result.origin_country == "CO"
