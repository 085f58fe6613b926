"""Cleaning and tokenising with character spans, so that places keep the text "as written"."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ivcs.engines.text import fold

MAX_CHARS = 1000

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_SCRIPT = re.compile(r"(?is)<(script|style)\b.*?(?:</\1\s*>|$)")
_TAG = re.compile(r"(?s)<[^<>]{0,300}>")
_SQL_HINT = re.compile(r"(?i)\b(select|insert|update|delete|drop|union|alter|truncate|exec)\b")
_SQL_SHAPE = re.compile(r"(?i)(--|;|/\*|\*/|\bfrom\b|\btable\b|\binto\b|\bwhere\b|=|\bset\b)")
_SQL_STATEMENT = re.compile(
    r"(?is)\b(select|insert|update|delete|drop|union|alter|truncate|exec)\b.*?(?:;|--|$)|"
    r"'\s*(?:or|and)\s*'?\w*'?\s*=\s*'?\w*'?|--.*$"
)
_CODE_CALL = re.compile(r"\b[A-Za-z_$][\w$.]*\([^()]{0,200}\)")
# HS codes typed directly: 0901, 0901.21, 090121, 0901.21.00, 09012100 (10 digits only with dots).
CODE = re.compile(r"(?<![\w.])(\d{4}(?:\.\d{2}){1,3}|\d{4}|\d{6}|\d{8})(?![\w]|\.\d)")
# Clause breakers found between two tokens.
_STRONG_PUNCT = re.compile(r"[.;:!?¿¡()\[\]{}|\n]")
_COMMA = re.compile(r"[,/]")


@dataclass(frozen=True)
class Tok:
    text: str  # as written
    norm: str  # folded
    start: int
    end: int
    gap: str  # characters between the previous token and this one


def clean(text: str) -> str:
    """Truncate, unescape and strip HTML/SQL/code fragments; what remains is prose."""
    text = text[:MAX_CHARS]
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _TAG.sub(" ", text)
    if _SQL_HINT.search(text) and _SQL_SHAPE.search(text):
        text = _SQL_STATEMENT.sub(" ", text)
    if "(" in text:
        text = _CODE_CALL.sub(lambda m: " " if not re.search(r"\s", m.group(0)) else m.group(0), text)
    return text


def tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        word, end = match.group(0), match.end()
        if len(word) > 3 and word[-2:] in ("'s", "'S"):
            word, end = word[:-2], end - 2  # "Japan's market": the possessive 's is not part of the name
        out.append(Tok(word, fold(word), match.start(), end, text[previous_end : match.start()]))
        previous_end = match.end()
    return out


def strong_break(gap: str) -> bool:
    return bool(_STRONG_PUNCT.search(gap))


def comma_break(gap: str) -> bool:
    return bool(_COMMA.search(gap))
