"""The assessor's messages through gettext (ivcs.origin.messages), the plain-words msgids, and the Spanish and
Portuguese texts waiting in messages_translations.json for the catalogues."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from ivcs.engines.origin.assess import LIST_KEY, Msg, message_templates, template_fields
from ivcs.engines.origin.schemes import OriginScheme, load_origin_schemes
from ivcs.origin import messages, plain
from ivcs.origin.messages import TEMPLATES, translate, translate_result
from tests.engines.origin.test_assess_messages import real_assessments

ORIGIN_APP = Path(messages.__file__).resolve().parent
TRANSLATIONS: dict[str, dict[str, str]] = json.loads(
    (ORIGIN_APP / "messages_translations.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def schemes() -> dict[str, OriginScheme]:
    return load_origin_schemes(names=["andean", "eu", "cptpp"])


@pytest.fixture(scope="module")
def assessments(schemes: dict[str, OriginScheme]) -> list[Any]:
    return real_assessments(schemes)


def _messages_in(value: Any) -> Iterator[Msg]:
    if isinstance(value, Msg):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _messages_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _messages_in(v)


def _catalogue(language: str) -> Callable[[str], str]:
    """gettext as it will be once the catalogues carry messages_translations.json."""
    return lambda msgid: TRANSLATIONS.get(msgid, {}).get(language) or msgid


# --- the table against the engine -------------------------------------------------------------------------


def test_every_engine_key_has_its_template() -> None:
    engine = message_templates()
    assert set(engine) == set(TEMPLATES), set(engine) ^ set(TEMPLATES)
    for key, template in engine.items():
        assert template_fields(TEMPLATES[key]) == template_fields(template), key
        assert TEMPLATES[key] == template, key  # the same msgid: English through gettext is the engine's text


def test_translate_in_english_gives_the_engine_text(assessments: list[Any]) -> None:
    count = 0
    with translation.override("en"):
        for a in assessments:
            data = a.as_dict()
            for msg in _messages_in(data):
                assert translate(msg) == str(msg), msg.key
                count += 1
            translated = translate_result(data)
            assert translated == data
            assert all(type(m) is not Msg for m in _messages_in(translated))
    assert count > 500


def test_translate_result_keeps_the_structure_and_reads_the_structured_form(assessments: list[Any]) -> None:
    a = next(a for a in assessments if a.questions and a.questions[0].key == "rule_set")
    data = a.as_dict()
    with translation.override("en"):
        out = translate_result(data)
        structured = translate_result(json.loads(json.dumps(a.as_dict(structured=True))))
    assert out.keys() == data.keys() and out["figures"] == data["figures"]
    assert [c["value"] for c in out["questions"][0]["choices"]] == [c["value"] for c in data["questions"][0]["choices"]]
    assert type(out["questions"][0]["text"]) is str
    assert structured == out  # a Msg.as_dict() translates like the Msg


def test_a_message_in_spanish_and_portuguese(assessments: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    a = next(a for a in assessments if any(r.key == "materials.fail" for r in a.reasons))
    reason = next(r for r in a.reasons if r.key == "materials.fail")
    with translation.override("es"):
        monkeypatch.setattr(messages, "gettext", _catalogue("es"))
        es = translate(reason)
    with translation.override("pt-br"):
        monkeypatch.setattr(messages, "gettext", _catalogue("pt_BR"))
        pt = translate(reason)
    assert "no la cumplen" in es and "materiales no originarios" in es
    assert "não a cumprem" in pt and "materiais não originários" in pt
    labels = reason.params["materials"]
    if isinstance(labels, Msg) and labels.key == LIST_KEY:  # a list: every item translated, joined by commas
        assert es.count("SA ") == len(labels.params)
    cumulated = next(m for x in assessments for m in x.applied if m.key == "cumulation.applied")
    with translation.override("es"):
        monkeypatch.setattr(messages, "gettext", _catalogue("es"))
        assert translate(cumulated).startswith("acumulación bilateral (")


def test_every_message_of_real_assessments_renders_in_both_languages(
    assessments: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for language in ("es", "pt_BR"):
        monkeypatch.setattr(messages, "gettext", _catalogue(language))
        for a in assessments:
            for msg in _messages_in(a.as_dict()):
                text = translate(msg)
                fields = template_fields(TEMPLATES.get(msg.key, ""))
                assert text and not any(f"{{{name}}}" in text for name in fields), (msg.key, text)


def test_the_active_catalogue_is_used() -> None:
    """A msgid the compiled catalogue already has ("yes" -> "sí") comes out translated."""
    yes = next(label for _, label in _scope_question().choices if label == "yes")
    with translation.override("es"):
        assert translate(yes) == translation.gettext("yes")
    with translation.override("en"):
        assert translate(yes) == "yes"


def _scope_question() -> Any:
    from ivcs.engines.origin.assess import assess_rule
    from ivcs.engines.origin.grammar import ProductScope, WhollyObtained

    return assess_rule(ProductScope("fillets", WhollyObtained()), "030444", "CO", [], 10).questions[0]


def test_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    q = _scope_question()
    assert translate("a plain string") == "a plain string"
    assert translate(42) == "42"
    unknown = {"key": "no.such.key", "params": {}, "text": "English as it was"}
    assert translate(unknown) == "English as it was"
    assert translate_result({"a": [unknown, "x", 1, None]}) == {"a": ["English as it was", "x", 1, None]}
    # a translation whose placeholders do not fit: the English template, with the parameters translated
    monkeypatch.setattr(messages, "gettext", lambda msgid: "¿Es el producto: {producto}?")
    assert translate(q.text) == str(q.text)


# --- the msgids and their translations --------------------------------------------------------------------


def _plain_msgids() -> set[str]:
    tree = ast.parse(Path(plain.__file__).read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
            (arg,) = node.args
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), ast.dump(node)
            out.add(arg.value)
    return out


def test_every_msgid_has_spanish_and_portuguese() -> None:
    msgids = set(TEMPLATES.values()) | _plain_msgids()
    assert len(_plain_msgids()) >= 40
    assert msgids == set(TRANSLATIONS), sorted(msgids ^ set(TRANSLATIONS))
    for msgid, texts in TRANSLATIONS.items():
        assert set(texts) == {"es", "pt_BR"}, msgid
        for language, text in texts.items():
            assert text.strip(), (msgid, language)
            assert template_fields(text) == template_fields(msgid), (msgid, language)
            text.format_map(dict.fromkeys(template_fields(msgid), "x"))  # well-formed


def test_the_trade_terms() -> None:
    es = " ".join(t["es"] for t in TRANSLATIONS.values())
    pt = " ".join(t["pt_BR"] for t in TRANSLATIONS.values())
    for term in ("partida arancelaria", "subpartida", "capítulo", "materiales no originarios", "precio franco fábrica"):
        assert term in es, term
    for term in ("valor de contenido regional", "acumulación", "tolerancia"):
        assert term in es, term
    for term in ("posição", "subposição", "capítulo", "materiais não originários", "preço à saída da fábrica"):
        assert term in pt, term
    for term in ("conteúdo regional", "acumulação", "tolerância"):
        assert term in pt, term


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_no_msgid_is_read_as_a_printf_format(tmp_path: Path) -> None:
    """A "30% of" in a brace-format msgid must carry no-python-format, or msgfmt -c would refuse translations."""
    out = tmp_path / "origin.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--keyword=gettext_noop",
            "--keyword=_",
            "--from-code=UTF-8",
            "--no-wrap",
            "-o",
            str(out),
            str(ORIGIN_APP / "messages.py"),
            str(ORIGIN_APP / "plain.py"),
        ],
        check=True,
    )
    pot = out.read_text(encoding="utf-8")
    assert pot.count("no-python-format") >= 20
    assert "#, python-format" not in pot
