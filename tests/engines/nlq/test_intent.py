def test_place_names_are_not_read_as_misspelt_intent_words() -> None:
    from ivcs.engines.nlq import understand

    # "Estados" is one letter from Portuguese "estudos" (studies); as part of a place it must not count.
    result = understand("Producimos palta hass en Michoacán y queremos exportar a Estados Unidos")
    assert result.intent == "find_buyers"
    assert result.destination_countries == ("US",)
