"""Places in a sentence: gazetteer matches, the role each one plays, and the country of ambiguous names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .gazetteer import SME_COUNTRIES, Gazetteer, GeoEntry
from .lexicon import (
    AGREEMENT_WORDS,
    ARTICLES,
    BETWEEN,
    BUY_VERBS,
    BUYER_WHO,
    COMPANY_WORDS,
    CONJUNCTIONS,
    DEST_PREPS,
    ENTRY_VERBS,
    FLUFF,
    FROM_PREPS,
    IN_PREPS,
    INPUT_AGENTS,
    INPUT_NOUNS,
    LIKE_WORDS,
    MARKET_AFTER,
    MARKET_VERBS,
    MARKET_WORDS,
    MATERIALS,
    ORIGIN_WORDS,
    PLACE_PRODUCTS,
    POSSESSIVES,
    PREDICATE_WORDS,
    SELLING_FROM,
    SOURCE_PREPS,
)
from .tokens import Tok, comma_break, strong_break

# Lower-case forms of capitalised-only names still count right after these ("exportar a chile" does not:
# "sabor a limón").
_LOWER_OK_AFTER = frozenset(
    (
        "desde",
        "hacia",
        "en",
        "para",
        "to",
        "from",
        "in",
        "into",
        "em",
        "no",
        "na",
        "ao",
        "pra",
        "pro",
        "entre",
        "between",
    )
)
_MARKET_STEMS = ("vend", "export", "sell", "comerci")
_MARKET_NOUNS = frozenset(("market", "markets", "mercado", "mercados", "mercado-alvo", "mercados-alvo"))
_UPPER_OK_AFTER = frozenset(("the", "la", "a", "o", "los", "na"))
_OWNED = frozenset(("owned", "based", "made", "grown", "run"))
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
        # Typed in lower case on a phone: "the us market", "to the uk", "na ue" only right after an article.
        return i > 0 and toks[i - 1].norm in _UPPER_OK_AFTER and not strong_break(toks[i].gap)
    if key in gaz.capitalized:
        sentence_start = i == 0 or strong_break(toks[i].gap)
        if words[0].text[:1].isupper():
            return not sentence_start or len(toks) == len(key)
        k = i - 1
        while k > 0 and toks[k].norm in ARTICLES:
            k -= 1  # "para o peru", "to the chile market"... the preposition before the article counts
        if k < 0:
            return False
        if toks[k].norm in _LOWER_OK_AFTER:
            return True
        # "somos de lima", "we are from lima": an origin phrase.
        return toks[k].norm in FROM_PREPS and k > 0 and toks[k - 1].norm in ORIGIN_WORDS | PREDICATE_WORDS
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
            if i + n < len(norms) and (key[-1], norms[i + n]) in PLACE_PRODUCTS:
                continue  # "Brazil nuts", "Panama hats"
            if entries and _acceptable(gaz, key, toks, i):
                text = "".join((tok.gap if k else "") + tok.text for k, tok in enumerate(toks[i : i + n]))
                mentions.append(Mention(i, i + n, text, entries))
                found = n
                break
        if not found:
            found = _hyphenated(gaz, toks, norms, i, mentions)
        if not found:
            found = _demonym(gaz, toks, norms, i, mentions)
        i += found or 1
    return mentions


def _hyphenated(gaz: Gazetteer, toks: Sequence[Tok], norms: Sequence[str], i: int, mentions: list[Mention]) -> int:
    """'US-based importers', 'Colombia-based company': the place before -based/-owned/-made."""
    head, _, suffix = norms[i].rpartition("-")
    if suffix not in _OWNED or not head:
        return 0
    key = tuple(head.split("-"))
    entries = gaz.lookup(key)
    written = toks[i].text.rpartition("-")[0]
    if not entries or (key in gaz.upper_only and not written.isupper()):
        return 0
    after = norms[i + 1] if i + 1 < len(norms) else ""
    if after in MARKET_AFTER or after in MARKET_WORDS - MARKET_VERBS:
        hint = "destination"  # "US-based importers"
    elif any(entry.country in SME_COUNTRIES for entry in entries):
        hint = "origin"  # "a Colombia-based coffee company"
    else:
        hint = "unknown"
    mentions.append(Mention(i, i + 1, written, entries, demonym=True, hint=hint))
    return 1


def _demonym(gaz: Gazetteer, toks: Sequence[Tok], norms: Sequence[str], i: int, mentions: list[Mention]) -> int:
    """A nationality adjective at i (one or two words): appends its mention when its role is clear; its length."""
    for n in (2, 1):
        if i + n > len(norms) or (n > 1 and strong_break(toks[i + 1].gap)):
            continue
        key = " ".join(norms[i : i + n])
        head, _, suffix = key.rpartition("-")
        owned = suffix in _OWNED and head in gaz.demonyms  # "Colombian-owned", "Peruvian-based"
        code = gaz.demonyms.get(head) if owned else gaz.demonyms.get(key)
        if code is None:
            continue
        role = ("origin" if code in SME_COUNTRIES else None) if owned else _demonym_role(toks, norms, i, i + n, code)
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
    if prev in ARTICLES:
        prev = ""  # "papas a la francesa": "la" is an article here, not Portuguese wool (lã)
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
    if (
        prev in INPUT_NOUNS
        or prev in INPUT_AGENTS
        or nxt in INPUT_NOUNS
        or any(w in INPUT_NOUNS for w in following[1:2])
    ):
        return "input"
    if prev in MATERIALS or nxt in MATERIALS:
        if code not in SME_COUNTRIES or _input_cue(norms, end):
            return "input"  # "algodón egipcio para nuestras camisas"
        return "origin"  # "camisetas de algodón peruano"
    if code in SME_COUNTRIES and (_content(prev) or prev in PREDICATE_WORDS or _content(nxt)):
        return "origin"
    companion = any(w in ("con", "com", "with") for w in norms[max(0, start - 3) : start])
    if (_content(prev) or _content(nxt)) and (companion or _input_cue(norms, end)):
        return "input"  # "chocolate made with Ecuadorian cocoa", "usamos cacao ecuatoriano"
    if _content(prev) or _content(nxt):
        return None  # it qualifies something else: "sell French fries", "un socio alemán"
    # A market or input word a little further left: "vender a los consumidores europeos".
    links = ARTICLES | DEST_PREPS | IN_PREPS | FROM_PREPS
    before = [w for w in norms[max(0, start - 4) : start] if w not in links]
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
        word in ("para", "pra", "for", "to")
        and k + 1 < len(window)
        and window[k + 1] in POSSESSIVES | {"make", "hacer"}
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


def _broken(gap: str) -> bool:
    return strong_break(gap) or comma_break(gap)


def _market_ahead(toks: Sequence[Tok], end: int) -> bool:
    """'the UK tea market', 'Japan is our target market': "market" a few words after the place, same phrase."""
    for k in range(end, min(len(toks), end + 5)):
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


WEAK_ORIGIN = "origin?"  # an SME-country place after a bare "en/in/no": origin, or a market if another origin is named
_PREP_FAMILIES = (DEST_PREPS, IN_PREPS, FROM_PREPS)


def _repeated_preposition(norms: Sequence[str], previous: Mention, start: int) -> bool:
    """A conjunction, then the preposition family that introduced the previous place: "en Chile y en Perú"."""
    between = [norms[k] for k in range(previous.end, start) if norms[k] not in ARTICLES or norms[k] in CONJUNCTIONS]
    if not between or between[0] not in CONJUNCTIONS or len(between) < 2:
        return False
    preps = between[1:]
    if not all(any(word in family for family in _PREP_FAMILIES) for word in preps):
        return False
    k = previous.start - 1
    while k >= 0 and norms[k] in ARTICLES:
        k -= 1
    if k < 0:
        return False
    return any(norms[k] in family and all(word in family for word in preps) for family in _PREP_FAMILIES)


def _between_partners(norms: Sequence[str], mention: Mention, previous: Mention | None) -> str | None:
    """'acuerdo entre Brasil e Israel': the first partner from the SME countries is the origin, the others
    destinations. None when the place is not a partner of an agreement named with entre/between."""
    i = mention.start
    if (
        previous is not None
        and previous.end <= i
        and _is_between_first(norms, previous.start)
        and all(norms[k] in CONJUNCTIONS or norms[k] in ARTICLES for k in range(previous.end, i))
    ):
        return "destination"
    if _is_between_first(norms, i):
        sme = any(entry.country in SME_COUNTRIES and entry.kind == "country" for entry in mention.entries)
        return "origin" if sme else "destination"
    return None


def _is_between_first(norms: Sequence[str], start: int) -> bool:
    k = start - 1
    while k >= 0 and norms[k] in ARTICLES:
        k -= 1
    if k < 0 or norms[k] not in BETWEEN:
        return False
    return any(
        norms[j] in AGREEMENT_WORDS or norms[j] in ("comercio", "comercial", "trade") for j in range(max(0, k - 4), k)
    )


def assign_role(toks: Sequence[Tok], mention: Mention, previous: Mention | None, previous_role: str | None) -> str:
    norms = [tok.norm for tok in toks]
    i = mention.start
    if mention.demonym:
        return mention.hint or "destination"
    partner = _between_partners(norms, mention, previous)
    if partner is not None:
        return partner
    after = norms[mention.end] if mention.end < len(norms) and not _broken(toks[mention.end].gap) else ""
    market_after = after in MARKET_AFTER or _market_ahead(toks, mention.end)
    foreign = all(entry.kind == "bloc" or entry.country not in SME_COUNTRIES for entry in mention.entries)
    # Coordination inherits: "a Japón, Corea y China", "Pitalito, Huila", "de Huila y Nariño".
    if previous is not None and previous_role is not None:
        between = range(previous.end, i)
        no_break = not any(strong_break(toks[k].gap) for k in range(previous.end, i + 1))
        only_links = all(norms[k] in CONJUNCTIONS or norms[k] in ARTICLES for k in between)
        if no_break and only_links and (len(between) > 0 or comma_break(toks[i].gap)):
            return previous_role
        if no_break and _repeated_preposition(norms, previous, i):
            return previous_role  # "no Chile e no Peru", "a Japón y a Corea"
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
    if prep in LIKE_WORDS and any(_is_market(norms[k]) for k in rest[:4]):
        return "destination"  # "markets like Japan", "exportar para países como Alemanha"
    if market_after and prep not in FROM_PREPS:  # "the US market", "in the Japanese market"
        return "destination"
    if prep in DEST_PREPS or prep in ENTRY_VERBS:
        return "destination"
    if prep in ("con", "com", "with") and any(norms[k] in AGREEMENT_WORDS for k in _window(toks, i, 0)):
        return "destination"  # "TLC con Corea"
    if prep in FROM_PREPS:
        if _is_market(adjacent) and adjacent not in SELLING_FROM:
            return "destination"  # "mercado de", "compradores de", "buyers from", "requisitos de la UE"
        if adjacent in INPUT_NOUNS or adjacent in INPUT_AGENTS or (foreign and adjacent in MATERIALS):
            return "input"  # "tela de Pakistán", "importamos de China", "algodão do Egito"
        if any(norms[k] in INPUT_AGENTS for k in rest[:4]) or (foreign and {norms[k] for k in rest[:3]} & INPUT_NOUNS):
            return "input"  # "importamos hilo de India"
        if any(norms[k] in ("con", "com", "with") for k in rest[1:3]):
            return "input"  # "chocolate con cacao de Ecuador"
        if foreign and any(_is_market(norms[k]) and norms[k] not in SELLING_FROM for k in rest[:3]):
            return "destination"  # "a taxa de importação do Japão", "um pedido grande da Holanda"
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
                if not foreign and all(entry.kind != "country" for entry in mention.entries):
                    return WEAK_ORIGIN  # "proveedores de cajas en Lima": local suppliers, where the SME is
                return "input"  # "proveedores en China"
            if word in ORIGIN_WORDS and (position == 0 or not foreign):
                return "origin"  # "producimos café en Huila"; abroad only right before: "based in Miami"
        if foreign:
            return "destination"  # "¿qué aranceles hay en la UE?": a foreign market
        return WEAK_ORIGIN  # "certificación en Perú": the SME's place unless the text names another origin
    if market_after:
        return "destination"
    if foreign and any(norms[k] in _MARKET_NOUNS for k in content[:4]):
        return "destination"  # "our target market is Japan", "o mercado-alvo é o Japão"
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
