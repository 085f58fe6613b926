"""Places in a sentence: gazetteer matches, the role each one plays, and the country of ambiguous names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .gazetteer import SME_COUNTRIES, Gazetteer, GeoEntry
from .lexicon import (
    AGREEMENT_WORDS,
    ARTICLES,
    BUY_VERBS,
    BUYER_WHO,
    COMPANY_WORDS,
    CONJUNCTIONS,
    DEST_PREPS,
    FLUFF,
    FROM_PREPS,
    IN_PREPS,
    INPUT_AGENTS,
    INPUT_NOUNS,
    MARKET_AFTER,
    MARKET_VERBS,
    MARKET_WORDS,
    MATERIALS,
    ORIGIN_WORDS,
    POSSESSIVES,
    PREDICATE_WORDS,
    SOURCE_PREPS,
)
from .tokens import Tok, comma_break, strong_break

# Lower-case forms of capitalised-only names still count right after these ("exportar a chile" does not:
# "sabor a limón").
_LOWER_OK_AFTER = frozenset(
    ("desde", "hacia", "en", "para", "to", "from", "in", "into", "em", "no", "na", "ao", "pra", "pro")
)
_MARKET_STEMS = ("vend", "export", "sell", "comerci")
_WINDOW = 8
# Skipped between a preposition and its place: "a toda la Alianza del Pacífico", "to all of the EU".
_SKIP = ARTICLES | frozenset(
    ("toda", "todo", "todos", "todas", "all", "whole", "entire", "otros", "otras", "outros", "outras", "other")
)


@dataclass(frozen=True)
class Mention:
    start: int  # token index
    end: int  # exclusive
    text: str  # as written
    entries: tuple[GeoEntry, ...]
    demonym: bool = False
    hint: str = ""  # the role of a demonym, decided from its neighbours when it was found


def _acceptable(gaz: Gazetteer, key: tuple[str, ...], toks: Sequence[Tok], i: int) -> bool:
    words = toks[i : i + len(key)]
    if key in gaz.upper_only and not all(tok.text.isupper() for tok in words):
        return False
    if key in gaz.capitalized:
        sentence_start = i == 0 or strong_break(toks[i].gap)
        if words[0].text[:1].isupper():
            return not sentence_start or len(toks) == len(key)
        return i > 0 and toks[i - 1].norm in _LOWER_OK_AFTER
    return True


def find_mentions(gaz: Gazetteer, toks: Sequence[Tok]) -> list[Mention]:
    mentions: list[Mention] = []
    norms = [tok.norm for tok in toks]
    i = 0
    while i < len(toks):
        found = 0
        for n in range(min(gaz.max_len, len(toks) - i), 0, -1):
            key = tuple(norms[i : i + n])
            entries = gaz.lookup(key)
            if entries and _acceptable(gaz, key, toks, i):
                text = "".join((tok.gap if k else "") + tok.text for k, tok in enumerate(toks[i : i + n]))
                mentions.append(Mention(i, i + n, text, entries))
                found = n
                break
        if not found:
            found = _demonym(gaz, toks, norms, i, mentions)
        i += found or 1
    return mentions


def _demonym(gaz: Gazetteer, toks: Sequence[Tok], norms: Sequence[str], i: int, mentions: list[Mention]) -> int:
    """A nationality adjective at i (one or two words): appends its mention when its role is clear; its length."""
    for n in (2, 1):
        if i + n > len(norms) or (n > 1 and strong_break(toks[i + 1].gap)):
            continue
        code = gaz.demonyms.get(" ".join(norms[i : i + n]))
        if code is None:
            continue
        role = _demonym_role(toks, norms, i, i + n, code)
        if role is None:
            role = _coordinated_demonym(toks, norms, i, mentions)
        if role is None:
            return 0
        kind = "bloc" if code in gaz.bloc_members else "country"
        text = "".join((tok.gap if k else "") + tok.text for k, tok in enumerate(toks[i : i + n]))
        mentions.append(Mention(i, i + n, text, (GeoEntry(text, code, kind),), demonym=True, hint=role))
        return n
    return 0


def _coordinated_demonym(toks: Sequence[Tok], norms: Sequence[str], i: int, mentions: Sequence[Mention]) -> str | None:
    """'compradores alemanes y franceses': a demonym joined to the previous one takes its role."""
    if not mentions or not mentions[-1].demonym:
        return None
    between = range(mentions[-1].end, i)
    if any(strong_break(toks[k].gap) for k in range(mentions[-1].end, i + 1)):
        return None
    if all(norms[k] in CONJUNCTIONS for k in between) and (len(between) > 0 or comma_break(toks[i].gap)):
        return mentions[-1].hint
    return None


def _content(word: str) -> bool:
    """A word that can be the noun a nationality qualifies: "café", "quinoa", "grower", "empresa"."""
    if word in COMPANY_WORDS:
        return True
    return len(word) > 2 and word.isalpha() and word not in FLUFF and word not in CONJUNCTIONS


def _demonym_role(toks: Sequence[Tok], norms: Sequence[str], start: int, end: int, code: str) -> str | None:
    """Destination next to a market ("compradores alemanes", "the Japanese market"), input next to a material
    ("algodón egipcio", "Egyptian cotton yarn"), origin of the SME next to its product or company ("café
    colombiano", "Peruvian quinoa", "somos una empresa mexicana"); None when it qualifies nothing we know."""
    prev = norms[start - 1] if start > 0 and not strong_break(toks[start].gap) else ""
    following: list[str] = []
    for k in range(end, min(len(norms), end + 3)):
        if strong_break(toks[k].gap) or comma_break(toks[k].gap) or norms[k] in FROM_PREPS | DEST_PREPS | IN_PREPS:
            break
        following.append(norms[k])
    nxt = following[0] if following else ""
    market_nouns = MARKET_WORDS - MARKET_VERBS
    if prev in market_nouns or nxt in market_nouns or nxt in MARKET_AFTER:
        return "destination"
    if any(word in ("market", "markets", "mercado", "mercados") for word in following):
        return "destination"  # "the UK tea market", "the Japanese coffee market"
    if prev in INPUT_NOUNS or prev in INPUT_AGENTS or nxt in INPUT_NOUNS or any(w in INPUT_NOUNS for w in following[1:2]):
        return "input"
    if prev in MATERIALS or nxt in MATERIALS:
        if code not in SME_COUNTRIES or _input_cue(norms, end):
            return "input"  # "algodón egipcio para nuestras camisas"
        return "origin"  # "camisetas de algodón peruano"
    if code in SME_COUNTRIES and (_content(prev) or prev in PREDICATE_WORDS or _content(nxt)):
        return "origin"
    # A market or input word a little further left: "vender a los consumidores europeos".
    before = [w for w in norms[max(0, start - 3) : start] if w not in ARTICLES]
    near = before[-1] if before else ""
    if near in INPUT_NOUNS:
        return "input"
    if near in MARKET_WORDS:
        return "destination"
    return None


def _input_cue(norms: Sequence[str], end: int) -> bool:
    """The sentence buys inputs, or the material is for the SME's own product ("para nuestras camisas")."""
    if any(word in INPUT_AGENTS for word in norms):
        return True
    window = norms[end : end + 4]
    return any(
        word in ("para", "pra", "for", "to") and k + 1 < len(window) and window[k + 1] in POSSESSIVES | {"make", "hacer"}
        for k, word in enumerate(window)
    )


def _window(toks: Sequence[Tok], start: int, floor: int) -> list[int]:
    """Token indexes left of `start`, nearest first, inside the clause and after the previous mention."""
    out: list[int] = []
    k = start - 1
    while k >= max(floor, start - _WINDOW):
        if strong_break(toks[k + 1].gap):
            break
        out.append(k)
        k -= 1
    return out


def _is_market(word: str) -> bool:
    if word.startswith(("exportador", "exporter", "vendedor", "seller")):
        return False  # "exportadores en Costa Rica" are the SMEs themselves
    return word in MARKET_WORDS or word.startswith(_MARKET_STEMS)


def _market_ahead(toks: Sequence[Tok], end: int) -> bool:
    """'the UK tea market', 'o mercado': a market noun within three words after the place, same phrase."""
    for k in range(end, min(len(toks), end + 3)):
        if strong_break(toks[k].gap) or comma_break(toks[k].gap):
            return False
        word = toks[k].norm
        if word in ("market", "markets"):
            return True
        if word in FROM_PREPS | DEST_PREPS | IN_PREPS | CONJUNCTIONS:
            return False
    return False


def _who_buys(norms: Sequence[str], k: int) -> bool:
    """'quién compra', 'who would buy': buying by the market, not by the SME."""
    return norms[k] in BUY_VERBS and any(word in BUYER_WHO for word in norms[max(0, k - 3) : k])


def assign_role(toks: Sequence[Tok], mention: Mention, previous: Mention | None, previous_role: str | None) -> str:
    norms = [tok.norm for tok in toks]
    i = mention.start
    if mention.demonym:
        return mention.hint or "destination"
    after = norms[mention.end] if mention.end < len(norms) else ""
    market_after = after in MARKET_AFTER or _market_ahead(toks, mention.end)
    foreign = all(entry.kind == "bloc" or entry.country not in SME_COUNTRIES for entry in mention.entries)
    # Coordination inherits: "a Japón, Corea y China", "Pitalito, Huila", "de Huila y Nariño".
    if previous is not None and previous_role is not None:
        between = range(previous.end, i)
        no_break = not any(strong_break(toks[k].gap) for k in range(previous.end, i + 1))
        only_links = all(norms[k] in CONJUNCTIONS or norms[k] in ARTICLES for k in between)
        if no_break and only_links and (len(between) > 0 or comma_break(toks[i].gap)):
            return previous_role
    floor = previous.end if previous is not None else 0
    window = _window(toks, i, floor)
    content = [k for k in window if norms[k] not in _SKIP]
    # Portuguese "para a Alemanha": the "a" after a preposition is an article.
    if len(content) > 1 and norms[content[0]] == "a" and norms[content[1]] in DEST_PREPS | FROM_PREPS | IN_PREPS:
        content = content[1:]
    if not content:
        return "destination" if market_after else "unknown"
    prep_index = content[0]
    prep = norms[prep_index]
    rest = content[1:]
    adjacent = norms[rest[0]] if rest else ""
    if prep in INPUT_NOUNS:  # "tela China"
        return "input"
    if market_after and prep not in FROM_PREPS:  # "the US market", "in the Japanese market"
        return "destination"
    if prep in DEST_PREPS:
        return "destination"
    if prep in ("con", "com", "with") and any(norms[k] in AGREEMENT_WORDS for k in rest[:3]):
        return "destination"  # "TLC con Corea"
    if prep in FROM_PREPS:
        if _is_market(adjacent) and adjacent not in ("exportamos", "exporto", "vendemos", "vendo"):
            return "destination"  # "mercado de", "compradores de", "buyers from", "requisitos de la UE"
        if adjacent in INPUT_NOUNS or adjacent in INPUT_AGENTS:
            return "input"  # "tela de Pakistán", "importamos de China"
        if any(norms[k] in INPUT_AGENTS for k in rest[:4]):
            return "input"  # "importamos hilo de India"
        if any(norms[k] in ("con", "com", "with") for k in rest[1:3]):
            return "input"  # "chocolate con cacao de Ecuador"
        if all(entry.kind == "bloc" for entry in mention.entries):
            return "destination"  # "reglas de origen del T-MEC": a bloc is a market, never the SME's home
        if prep in SOURCE_PREPS or adjacent in ORIGIN_WORDS:
            return "origin"
        return "origin"  # "palta hass de Michoacán", "somos de Huila"
    if prep in IN_PREPS:
        for position, k in enumerate(rest):
            word = norms[k]
            if _is_market(word) or _who_buys(norms, k):
                return "destination"  # "compradores en", "vender café en Japón", "who would buy it in Australia"
            if word in INPUT_AGENTS:
                return "input"  # "proveedores en China"
            if word in ORIGIN_WORDS and (position == 0 or not foreign):
                return "origin"  # "producimos café en Huila"; abroad only right before: "based in Miami"
        if foreign:
            return "destination"  # "¿qué aranceles hay en la UE?": a foreign market
        return "origin"  # "nossa fazenda no Pará", "estamos en Medellín"
    if market_after:
        return "destination"
    return "unknown"


def resolve_country(
    mention: Mention, context_countries: set[str], profile_country: str | None, language: str, role: str
) -> GeoEntry | None:
    """One entry for the mention, or None when the name stays ambiguous (Amazonas without any hint)."""
    entries = mention.entries
    national = [entry for entry in entries if entry.kind in ("country", "bloc")]
    if national:
        return national[0]
    countries = list(dict.fromkeys(entry.country for entry in entries))
    if len(countries) == 1:
        return entries[0]

    def pick(country: str) -> GeoEntry:
        return next(entry for entry in entries if entry.country == country)

    for country in countries:
        if country in context_countries:
            return pick(country)
    if profile_country in countries:
        return pick(profile_country)
    if language == "pt" and "BR" in countries:
        return pick("BR")
    if role == "destination":
        foreign = [country for country in countries if country not in SME_COUNTRIES]
        if len(foreign) == 1:
            return pick(foreign[0])
    return None
