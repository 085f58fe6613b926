"""understand(): one SME sentence in, an Understanding out. Never raises on any text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ivcs.engines.text import LANGUAGES, detect_language

from .gazetteer import SME_COUNTRIES, Gazetteer, load_gazetteer
from .intent import EXPLORE, score_intent
from .model import Place, ProductHit, Understanding
from .places import WEAK_ORIGIN, Mention, assign_role, find_mentions, resolve_country
from .products import product_phrases
from .sectors import sector_for_code, sector_from_words
from .tokens import MAX_CHARS, clean, tokens

ProductFinder = Callable[[str, str], Sequence[ProductHit]]
INPUT_PLACE_WEIGHT = 1.0  # intent evidence of a place that supplies inputs


def _language(text: str, lang: str | None, profile_country: str | None) -> str:
    if lang:
        short = lang.strip().lower()[:2]
        if short in LANGUAGES:
            return short
    return detect_language(text, default="pt" if profile_country == "BR" else "es")


def _merge(hit_lists: Sequence[Sequence[ProductHit]]) -> tuple[ProductHit, ...]:
    best: dict[str, tuple[ProductHit, int]] = {}
    order = 0
    for hits in hit_lists:
        for hit in hits:
            if not isinstance(hit, ProductHit) or not hit.code:
                continue
            score = min(1.0, max(0.0, float(hit.score)))
            clean_hit = hit if score == hit.score else ProductHit(hit.code, hit.description, score)
            if hit.code not in best or best[hit.code][0].score < score:
                best[hit.code] = (clean_hit, best[hit.code][1] if hit.code in best else order)
            order += 1
    return tuple(hit for hit, _ in sorted(best.values(), key=lambda item: (-item[0].score, item[1])))


def _call(find_products: ProductFinder, phrase: str, language: str) -> Sequence[ProductHit]:
    try:
        return tuple(find_products(phrase, language))
    except Exception:  # an injected finder's failure must not break understanding
        return ()


def understand(
    text: str,
    *,
    lang: str | None = None,
    profile_country: str | None = None,
    find_products: ProductFinder | None = None,
    gazetteer: Gazetteer | None = None,
) -> Understanding:
    raw = text if isinstance(text, str) else ""
    cleaned = clean(raw[: MAX_CHARS * 2])
    profile = profile_country.strip().upper() if isinstance(profile_country, str) and profile_country.strip() else None
    language = _language(cleaned, lang, profile)
    gaz = gazetteer or load_gazetteer()
    if profile is not None and not gaz.is_valid_code(profile):
        profile = None
    toks = tokens(cleaned)
    norms = [tok.norm for tok in toks]

    # Places and their roles.
    mentions = find_mentions(gaz, toks)
    roles: list[str] = []
    previous: Mention | None = None
    for mention in mentions:
        role = assign_role(toks, mention, previous, roles[-1] if roles else None)
        roles.append(role)
        previous = mention
    context = {entry.country for m in mentions if len(m.entries) == 1 for entry in m.entries}
    context |= {e.country for m in mentions for e in m.entries if e.kind == "country"}
    places: list[Place] = []
    place_tokens: set[int] = set()
    input_starts: set[int] = set()
    unresolved = 0
    origin: str | None = None
    weak: list[int] = []  # indexes in `places` of SME-country places whose origin role is only a guess
    for mention, role in zip(mentions, roles, strict=True):
        place_tokens.update(range(mention.start, mention.end))
        entry = resolve_country(mention, context, profile, language, "origin" if role == WEAK_ORIGIN else role)
        if entry is None:
            unresolved += 1
            continue
        if role == "unknown" and entry.kind in ("subdivision", "city") and entry.country in SME_COUNTRIES:
            role = WEAK_ORIGIN  # "café Huila": a producer region with no preposition is where the SME is
        kind = entry.kind if entry.kind in ("country", "subdivision", "city", "bloc") else "city"
        if role == WEAK_ORIGIN:
            weak.append(len(places))
        places.append(Place(mention.text, entry.country, kind, role))
        if role == "input":
            input_starts.add(mention.start)
        if role == "origin" and origin is None and kind != "bloc":
            origin = entry.country
    # "o Brasil tem acordo com o Chile": an SME country with no preposition, next to a market, is the SME's own.
    has_market = any(place.role == "destination" for place in places)
    if origin is None and not weak and has_market:
        subject = next(
            (
                k
                for k, p in enumerate(places)
                if p.role == "unknown" and p.kind == "country" and p.country in SME_COUNTRIES
            ),
            None,
        )
        if subject is not None:
            weak.append(subject)
    # A guessed origin stands when nothing better was named; a country other than the named origin is a market.
    for index in weak:
        place = places[index]
        if origin is None:
            origin = place.country
        role = "origin" if place.country == origin else "destination"
        places[index] = Place(place.text, place.country, place.kind, role)

    # An input country named in the text is evidence of a question about inputs ("algodón egipcio para...").
    # Place names are not intent words: masked, "Estados" cannot pass for a misspelt "estudos".
    intent_words = ["@place" if i in place_tokens else word for i, word in enumerate(norms)]
    intent = score_intent(intent_words, language, {"inputs": INPUT_PLACE_WEIGHT} if input_starts else None)

    # A place's preposition and articles belong to the place, not to a product.
    blocked = set(place_tokens) | set(intent.trigger_positions)
    product_input_starts: set[int] = set()
    for start in input_starts:
        k = start - 1
        while k >= 0 and norms[k] in (
            "de",
            "del",
            "da",
            "do",
            "das",
            "dos",
            "from",
            "desde",
            "en",
            "in",
            "em",
            "el",
            "la",
            "los",
            "las",
            "o",
            "a",
            "os",
            "as",
            "the",
            "no",
            "na",
        ):
            k -= 1
        product_input_starts.add(k + 1)
    phrases = product_phrases(cleaned, toks, blocked, product_input_starts | input_starts)

    hits: tuple[ProductHit, ...] = ()
    if find_products is not None and phrases:
        hits = _merge([_call(find_products, phrase, language) for phrase in phrases])

    destinations = tuple(dict.fromkeys(p.country for p in places if p.role == "destination"))
    origin_source = "text" if origin else None
    if (
        origin is None
        and profile is not None
        and profile not in gaz.bloc_members
        and not unresolved_origin(mentions, roles, unresolved)
    ):
        origin, origin_source = profile, "profile"
    inputs = tuple(
        dict.fromkeys(
            p.country for p in places if p.role == "input" and p.country not in destinations and p.country != origin
        )
    )

    sector = None
    if hits:
        sector = sector_for_code(hits[0].code)
    if sector is None:
        sector = sector_from_words(norms, [tok.text for tok in toks])

    confidence = _overall(
        intent.intent,
        intent.confidence,
        phrases,
        hits,
        find_products is not None,
        origin_source,
        unresolved,
        bool(places),
    )
    return Understanding(
        text=raw,
        language=language,
        intent=intent.intent,
        intent_confidence=intent.confidence,
        confidence=confidence,
        product_phrases=phrases,
        products=hits,
        origin_country=origin,
        origin_source=origin_source,
        destination_countries=destinations,
        input_countries=inputs,
        places=tuple(places),
        sector=sector,
    )


def unresolved_origin(mentions: Sequence[Mention], roles: Sequence[str], unresolved: int) -> bool:
    """True when the text named an origin we could not place (Amazonas without a hint): leave origin empty."""
    if not unresolved:
        return False
    return any(
        role in ("origin", WEAK_ORIGIN) and len({e.country for e in m.entries}) > 1
        for m, role in zip(mentions, roles, strict=True)
    )


def _overall(
    intent: str,
    intent_confidence: float,
    phrases: Sequence[str],
    hits: Sequence[ProductHit],
    has_finder: bool,
    origin_source: str | None,
    unresolved: int,
    has_places: bool,
) -> float:
    if hits:
        product = hits[0].score
    elif phrases:
        product = 0.2 if has_finder else 0.5
    else:
        product = 0.3
    place = {"text": 1.0, "profile": 0.8}.get(origin_source or "", 0.4)
    if unresolved:
        place = max(0.0, place - 0.3)
    score = 0.45 * intent_confidence + 0.35 * product + 0.2 * place
    if intent == EXPLORE and not phrases and not has_places:
        score = min(score, 0.2)
    return round(max(0.0, min(1.0, score)), 3)
