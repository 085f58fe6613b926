"""Intent per language, with my own sentences."""

from __future__ import annotations

import pytest

from ivcs.engines.nlq import INTENTS, understand

CASES = [
    # es
    ("Busco compradores para mi café de especialidad", "find_buyers"),
    ("¿Quién compra mermelada de mora en Canadá?", "find_buyers"),
    ("Queremos encontrar distribuidores de nuestros quesos en México", "find_buyers"),
    ("¿Qué certificación necesito para vender miel en Alemania?", "certifications"),
    ("requisitos sanitarios y registro para exportar salsa picante", "certifications"),
    ("¿Necesito GlobalGAP para exportar arándanos?", "certifications"),
    ("¿Cuánto arancel paga el aguacate en Corea?", "rules_of_origin"),
    ("¿El TLC con la Unión Europea me deja entrar sin arancel?", "rules_of_origin"),
    ("¿Cómo saco el certificado de origen para exportar a Perú?", "rules_of_origin"),
    ("¿Dónde consigo insumos para fabricar jabones artesanales?", "inputs"),
    ("Necesito proveedores de materia prima para mis helados", "inputs"),
    ("Quiero un estudio de mercado de pisco en China", "studies"),
    ("tendencias del mercado de snacks saludables en Estados Unidos", "studies"),
    ("¿Hay financiamiento o créditos para exportadores pymes?", "financing"),
    ("Buscamos un préstamo para comprar maquinaria", "financing"),
    ("Hola, somos una empresa de Cali", "explore"),
    # pt
    ("Procuramos compradores de castanha-do-pará nos Estados Unidos", "find_buyers"),
    ("Quais certificações preciso para exportar mel orgânico?", "certifications"),
    ("Qual é a tarifa de importação do café no Japão? Temos acordo comercial?", "rules_of_origin"),
    ("Onde comprar insumos para a nossa confecção?", "inputs"),
    ("Preciso de um estudo de mercado sobre cachaça na Alemanha", "studies"),
    ("Existe financiamento do BNDES para exportar?", "financing"),
    # en
    ("We are looking for buyers of dried mango in Japan", "find_buyers"),
    ("Which certifications do I need to sell organic cocoa in the EU?", "certifications"),
    ("What tariff does Chilean wine pay in Korea under the free trade agreement?", "rules_of_origin"),
    ("Where can we source raw materials for our cosmetics?", "inputs"),
    ("Is there a market study on quinoa in Germany?", "studies"),
    ("We need working capital financing to fill a large order", "financing"),
    ("hello", "explore"),
]


@pytest.mark.parametrize(("text", "intent"), CASES)
def test_intent(text: str, intent: str) -> None:
    result = understand(text)
    assert result.intent == intent, (text, result.intent)
    assert 0.0 <= result.intent_confidence <= 1.0


def test_all_intents_covered() -> None:
    assert {intent for _, intent in CASES} == set(INTENTS)


def test_strongest_intent_wins_over_export_context() -> None:
    result = understand("Quiero exportar café a Europa, ¿qué certificación necesito?")
    assert result.intent == "certifications"


def test_negated_need_is_ignored() -> None:
    result = understand("No necesito financiamiento, busco compradores de cacao")
    assert result.intent == "find_buyers"


def test_confidence_is_higher_with_a_clear_margin() -> None:
    clear = understand("Necesito un crédito, un préstamo o financiamiento")
    mixed = understand("Necesito un crédito y la certificación HACCP")
    assert clear.intent_confidence > mixed.intent_confidence


def test_explicit_language_wins_over_detection() -> None:
    assert understand("café", lang="pt").language == "pt"
    assert understand("café", lang="xx").language in {"es", "pt", "en"}
