"""Product phrases: what is left of the sentence once intent words, places and fluff are taken out."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .lexicon import CONJUNCTIONS, CONNECTORS, FLUFF, MATERIALS, MODIFIERS
from .tokens import CODE, Tok, comma_break, strong_break

MAX_PHRASES = 6
_YEAR_WORDS = frozenset(
    ("en", "in", "em", "desde", "since", "ano", "year", "para", "de", "del", "hasta", "until", "by", "antes", "before")
)
_COMPANION = frozenset(("con", "com", "with"))
_VALID_CHAPTERS = frozenset(range(1, 98)) - {77}


@dataclass(frozen=True)
class _Run:
    indexes: tuple[int, ...]
    link: str  # how it joins the previous run: "conj" (y/and/comma) or "hard"
    conj: str  # the conjunction as written ("y", ",")


def find_codes(text: str) -> list[tuple[int, int, str]]:
    """HS codes typed directly ("0901.21", "6109", "090121"), as (start, end, code as written)."""
    out: list[tuple[int, int, str]] = []
    for match in CODE.finditer(text):
        code = match.group(0)
        digits = code.replace(".", "")
        if int(digits[:2]) not in _VALID_CHAPTERS:
            continue
        if len(code) == 4 and 1950 <= int(code) <= 2099:
            before = re.findall(r"[^\W\d_]+", text[max(0, match.start() - 12) : match.start()].casefold())
            if before and before[-1] in _YEAR_WORDS:
                continue
        out.append((match.start(), match.end(), code))
    return out


def _strip(indexes: list[int], norms: Sequence[str]) -> list[int]:
    while indexes and norms[indexes[-1]] in CONNECTORS:
        indexes.pop()
    while indexes and norms[indexes[0]] in CONNECTORS:
        indexes.pop(0)
    return indexes


def product_phrases(
    text: str,
    toks: Sequence[Tok],
    blocked: Collection[int],
    input_followers: Collection[int],
) -> tuple[str, ...]:
    """Phrases in order of mention. `blocked` are token indexes of places and intent words;
    `input_followers` are token indexes where an input place starts (its prepositions excluded)."""
    norms = [tok.norm for tok in toks]
    codes = find_codes(text)
    in_code = {k for k, tok in enumerate(toks) for start, end, _ in codes if start <= tok.start < end}
    runs: list[_Run] = []
    current: list[int] = []
    state, conj, link, link_conj = "hard", "", "hard", ""

    def flush() -> None:
        nonlocal current, state
        kept = _strip(current, norms)
        if kept:
            runs.append(_Run(tuple(kept), link, link_conj))
            state = "run"
        current = []

    def hard() -> None:
        nonlocal state
        flush()
        state = "hard"

    def conjunction(written: str) -> None:
        nonlocal state, conj
        flush()
        state = "conj" if state in ("run", "conj") else "hard"
        conj = written

    for k, tok in enumerate(toks):
        word = tok.norm
        if strong_break(tok.gap):
            hard()
        elif comma_break(tok.gap):
            conjunction(",")
        if k in in_code or k in blocked or word.isdigit():
            hard()
        elif word in CONJUNCTIONS:
            conjunction(tok.text)
        elif word in CONNECTORS:
            if current:
                current.append(k)
        elif word in FLUFF or len(word) < 2:
            hard()
        else:
            if not current:
                link, link_conj = ("conj", conj) if state == "conj" else ("hard", "")
            current.append(k)
    flush()

    # Companions and inputs: "chocolate con cacao de Ecuador" keeps "chocolate", "tela de Pakistán" is an input.
    phrases: list[tuple[list[int], str, str, bool]] = []
    for run in runs:
        indexes = list(run.indexes)
        nxt = indexes[-1] + 1
        while nxt < len(toks) and norms[nxt] in CONNECTORS | {"el", "la", "los", "las", "the", "o", "a", "os", "as"}:
            nxt += 1
        is_input = nxt in input_followers
        if is_input:
            cut = [position for position, k in enumerate(indexes) if norms[k] in _COMPANION]
            if cut:
                head = _strip(indexes[: cut[-1]], norms)
                if head:
                    phrases.append((head, run.link, run.conj, False))
                continue
        phrases.append((indexes, run.link, run.conj, is_input))

    # Merge a conjunct of modifiers only back into its neighbour: "café tostado y molido".
    merged: list[tuple[list[int], bool, str]] = []
    for indexes, run_link, run_conj, is_input in phrases:
        only_modifiers = all(norms[k] in MODIFIERS for k in indexes)
        if merged and run_link == "conj" and only_modifiers:
            previous, previous_input, _ = merged[-1]
            merged[-1] = ([*previous, -1, *indexes], previous_input, run_conj)
            continue
        merged.append((indexes, is_input, run_link))

    texts: list[tuple[str, bool]] = []
    for position, (indexes, is_input, _) in enumerate(merged):
        words = [toks[k].text if k >= 0 else "" for k in indexes]
        phrase = " ".join(word for word in words if word)
        # A bare first conjunct inherits the material of the next one: "camisetas y pantalones de algodón".
        if position + 1 < len(merged) and merged[position + 1][2] == "conj":
            following = merged[position + 1][0]
            if not any(norms[k] in CONNECTORS for k in indexes if k >= 0):
                for offset, k in enumerate(following[:-1]):
                    if k >= 0 and norms[k] in ("de", "of", "da", "do") and norms[following[offset + 1]] in MATERIALS:
                        phrase += " " + " ".join(toks[j].text for j in following[offset:] if j >= 0)
                        break
        if -1 in indexes:
            phrase = _join_with_conjunctions(toks, indexes)
        texts.append((phrase, is_input))

    products = [phrase for phrase, is_input in texts if not is_input]
    chosen = products or [phrase for phrase, _ in texts]
    ordered: list[tuple[int, str]] = [(start, code) for start, _, code in codes]
    position_of = {phrase: toks[merged[n][0][0]].start for n, (phrase, _) in enumerate(texts)}
    ordered += [(position_of[phrase], phrase) for phrase in chosen]
    ordered.sort(key=lambda item: item[0])
    return tuple(dict.fromkeys(phrase for _, phrase in ordered if phrase))[:MAX_PHRASES]


def _join_with_conjunctions(toks: Sequence[Tok], indexes: list[int]) -> str:
    """Rebuild "café tostado y molido" from its pieces (-1 marks where the conjunction was)."""
    out: list[str] = []
    for position, k in enumerate(indexes):
        if k >= 0:
            out.append(toks[k].text)
            continue
        nxt = indexes[position + 1] if position + 1 < len(indexes) else -1
        if nxt > 0 and toks[nxt - 1].norm in CONJUNCTIONS:
            out.append(toks[nxt - 1].text)
        else:
            out[-1] = out[-1] + ","
    return " ".join(out)
