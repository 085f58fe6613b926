"""Text analysis for HS search: folding, tokens, compounds, stopwords, fluff, stems, typo repair.

Every text (a nomenclature description or a user's query) becomes a list of `Token`s: the word as
written, its folded form (no accents, lower case) and the stems the index can look it up under.

Decisions, so that they can be argued with:

* **Folding first, then stemming.** Users type "algodon", "confeccao", "cafe" as often as the
  accented forms, so both documents and queries are folded (ivcs.engines.text.fold) before the
  Snowball stemmer of their language runs. Portuguese plurals in -ões/-ães lose their accent to
  "-oes"/"-aes" and would stem apart from the singular, so `_pt_singular` maps them back to "-ao".
  English nouns in -ing keep it (`_en_ing_noun`): Snowball made "paintings" "paint".
* **Documents are stemmed in their own language; queries in all three.** A query token is looked up
  under its folded form and its Spanish, Portuguese and English stems; the index keeps the best of
  them per token, so a misdetected language costs nothing and no token counts three times.
* **Three kinds of words.** Stopwords (function words, units, and SME boilerplate such as
  "empresa", "somos", "producimos", "exportamos", "we", "company", and the place of business and
  logistics words of SME sentences: "finca", "huerto", "fazenda", "orchard", "temporada", "safra",
  "shipped", "freight"; unknown to the nomenclature, these were otherwise "repaired" into products:
  huerto -> hierro, sitio -> litio, freight -> weight, located -> coated) are dropped. *Weak* words count
  at WEAK_WEIGHT of a normal word: marketing qualifiers ("calidad", "premium", "artesanal",
  "gourmet", "specialty"), certifications ("orgánico", "fair trade"; organic products are not
  classified apart in HS, and "organic" would otherwise pull towards chapter 29 "organic
  chemicals") and place names ("Michoacán", "Huila", "Minas Gerais"; "Brasil" stays meaningful in
  "nuez de Brasil", hence weak, not dropped). Everything else is a normal word. Negations that
  split subheadings ("sin cáscara", "sem casca", "without") are kept as normal words.
* **Compounds.** A hyphenated word ("castanha-do-pará", "t-shirts") yields the whole compound as one
  term, its joined stem ("sun-flower" also as "sunflow", like "sunflower"; "egg-plants" as
  "eggplant") and its non-stopword parts, so a user who writes it with or without hyphens, or as
  one word, meets it.
* **Typos.** A query token of at least TYPO_MIN_LENGTH characters that the index does not know is
  mapped to the closest known word by edit distance (optimal string alignment: swapping two letters
  is one edit; 1 edit up to 6 characters, 2 beyond), preferring the word that occurs in more
  documents; see `Vocabulary.correct`. A repaired word counts at search.TYPO_WEIGHT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ivcs.engines.text import fold

LANGS = ("es", "pt", "en")
WEAK_WEIGHT = 0.3
TYPO_MIN_LENGTH = 4
TYPO_ONE_EDIT_MAX = 6  # words up to this length get one edit of repair, longer ones two ("hotels" is not "hoses")

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_DIGITS = re.compile(r"^\d+([.,]\d+)?(%|kg|g|ml|l|cm|mm|m|t)?$")


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(text).split())


STOPWORDS: Mapping[str, frozenset[str]] = {
    "es": _words(
        """
        a al ante bajo cada como con contra de del desde durante e el ella ellas ellos en entre era es esa
        ese eso esta este esto estos estas etc fue ha han hasta hay la las le les lo los mas me mi mis muy
        nos o otra otras otro otros demas para pero por que quien se ser si sobre son su sus tambien tan
        te tiene tienen todo todos tu u un una unas uno unos y ya cual cuales donde cuando
        empresa empresas somos soy nosotros nuestra nuestras nuestro nuestros producimos produce producen
        fabricamos fabrica fabrican vendemos vende venden exportamos exporta exportan exportar exportacion
        hacemos hace elaboramos elabora cultivamos cultiva cosechamos comercializamos comercializa
        ofrecemos ofrece distribuimos distribuye importamos importar queremos quiero busco buscamos
        tenemos necesito necesitamos compradores comprador clientes mercado mercados venta ventas productos
        producto productores productor fabricante fabricantes proveedor proveedores marca familia familiar
        negocio cooperativa pyme sociedad sa sas ltda srl cia hola gracias codigo arancel partida
        tipo tipos clase kg kilo kilos gramos litro litros toneladas ton unidad unidades caja cajas
        huerto huertos finca fincas chacra chacras hacienda haciendas cosecha cosechas cosechamos temporada
        temporadas embarque embarques embarcamos envio envios enviamos mandamos despachamos despacho pedido
        pedidos lote lotes exportadora exportadoras exportador exportadores agroindustria
        agroindustrial agroexportadora emprendimiento emprendimientos mundo paises zona
        """
    ),
    "pt": _words(
        """
        a ao aos as ate com como da das de desde do dos e ela elas ele eles em entre era essa esse isso
        esta este isto foi ha isso la mais me meu minha muito na nas no nos nossa nossas nosso nossos o os
        ou outra outras outro outros demais para pela pelas pelo pelos por qual quais que quem se ser seu
        sua suas seus sao so sobre tambem tem tambem um uma umas uns voce ja onde quando etc
        empresa empresas somos sou nos produzimos produz produzem fabricamos fabrica fabricam vendemos
        vende vendem exportamos exporta exportam exportar exportacao fazemos faz elaboramos cultivamos
        cultiva colhemos comercializamos oferecemos distribuimos importamos importar queremos quero
        buscamos procuro procuramos temos preciso precisamos compradores comprador clientes mercado
        mercados venda vendas produtos produto produtores produtor fabricante fabricantes fornecedor
        fornecedores marca familia familiar negocio cooperativa ltda eireli me ola obrigado codigo
        tipo tipos kg quilo quilos gramas litro litros toneladas unidade unidades caixa caixas
        fazenda fazendas sitio sitios chacara chacaras safra safras colhida colhido embarque
        embarques enviamos mandamos despachamos pedido pedidos lote lotes exportadora exportadoras
        exportador exportadores agroindustria agroindustrial gente mundo paises zona
        """
    ),
    "en": _words(
        """
        a an and are as at be been but by do does for from had has have he her his i in into is it its
        of on or our ours she so than that the their them they this those to was we were which who will
        with you your other others etc also very all any some such not no
        company companies firm business family we're we've us make makes made manufacture manufactures
        manufacturing produce produces producing sell sells selling export exports exporting exporter
        exporters import importing grow grows growing supply supplies supplier suppliers offer offers
        distribute distributes want need looking buyer buyers customers market markets product products
        producer producers manufacturer manufacturers brand ltd inc llc co hello thanks code tariff
        type types kind kg kilo kilos grams litre litres liter liters tons tonnes unit units box boxes
        farm farms orchard orchards ranch ranches plantation plantations estate estates harvest harvests
        harvested season seasons shipped shipping freight shipment shipments order orders batch batches lot
        lots owned located startup cooperative coop worldwide
        """
    ),
}
ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())

# Kept as words, but at WEAK_WEIGHT: qualifiers that rarely decide the HS code (see module doc).
WEAK_WORDS: frozenset[str] = _words(
    """
    calidad premium artesanal artesanales artesano gourmet especial especiales especialidad selecto
    selecta fino finos fina finas excelente mejor mejores alta alto exportacion tradicional tradicionales
    natural naturales organico organicos organica organicas ecologico ecologicos sostenible sostenibles
    sustentable sustentables certificado certificados certificada comercio justo hecho hechos mano
    nuevo nueva nuevos nuevas diversos variedad variedades pequeno pequena pequenos pequenas mediano mediana
    qualidade artesanais especiais selecionado selecionados finos excelente melhor melhores alto alta
    tradicionais organicos organica organicas ecologicos sustentavel sustentaveis certificado certificada
    certificados justo feito feitos mao novo nova novos novas diversos variedade variedades
    quality handmade handcrafted artisanal artisan craft gourmet special specialty speciality fine finest
    best high premium traditional natural organic eco ecological sustainable certified fair trade
    new various variety varieties small medium
    grupo grupos taller talleres asociacion asociaciones tejedoras tejedores artesanas artesanos
    engenho atelie associacao associacoes artesaos artesas
    group groups workshop workshops team studio atelier artisans weavers
    mexico mexicano mexicana colombia colombiano colombiana peru peruano peruana chile chileno chilena
    argentina argentino ecuador ecuatoriano bolivia boliviano paraguay uruguay venezuela guatemala
    honduras salvador nicaragua costa rica panama dominicana brasil brasileiro brasileira brazil
    brazilian portugal espana europa europe usa eeuu estados unidos united states china asia
    michoacan jalisco oaxaca chiapas veracruz sinaloa sonora yucatan puebla guerrero huila antioquia
    narino cauca tolima santander caldas quindio valle cusco cajamarca junin piura ica arequipa
    mendoza salta tucuman cordoba bahia minas gerais sao paulo parana goias amazonas amazonia ceara
    pernambuco santa catarina rio grande sul espirito santo andes andino andina region regiones
    """
)


# US spellings -> the British ones the WCO English text uses (applied to documents and queries alike).
SPELLING: Mapping[str, str] = {
    "jewelry": "jewellery",
    "jewelries": "jewellery",
    "tire": "tyre",
    "tires": "tyres",
    "aluminum": "aluminium",
    "fiber": "fibre",
    "fibers": "fibres",
    "color": "colour",
    "colors": "colours",
    "colored": "coloured",
    "gray": "grey",
    "center": "centre",
    "liter": "litre",
    "meter": "metre",
    "sulfur": "sulphur",
    "sulfate": "sulphate",
    "sulfates": "sulphates",
    "flavored": "flavoured",
    "yogurt": "yoghurt",
    "mold": "mould",
    "molds": "moulds",
    "molded": "moulded",
    "catalog": "catalogue",
    "pajamas": "pyjamas",
    "plow": "plough",
    "plows": "ploughs",
    "licorice": "liquorice",
    "analyze": "analyse",
    "cozy": "cosy",
}


def _pt_singular(word: str) -> str:
    """Folded Portuguese plurals in -ões/-ães/-ãos -> -ão, so that they stem like the singular."""
    if len(word) > 4 and word.endswith(("oes", "aes")):
        return word[:-3] + "ao"
    return word


_STEMMERS = {
    "es": snowballstemmer.stemmer("spanish"),
    "pt": snowballstemmer.stemmer("portuguese"),
    "en": snowballstemmer.stemmer("english"),
}


# English nouns in -ing keep it: Snowball maps "paintings" to "paint", "coatings" to "coat", "herring" to
# "her" and "clothing" to "cloth", so a query for paint met works of art. The nomenclature's -ing words
# are nouns ("paintings", "bearings", "fittings", "casings", "linings", "fishing nets") or participles a
# query seldom uses ("containing", "exceeding"), so "-ing(s)" words of EN_ING_MIN_LENGTH letters or more
# are indexed as the singular word itself. Shorter ones ("ring", "string", "sing") are left to Snowball.
EN_ING_MIN_LENGTH = 6


def _en_ing_noun(word: str) -> str | None:
    """The singular of an English -ing(s) word long enough to be a noun in -ing, else None."""
    if word.endswith("ings") and len(word) > EN_ING_MIN_LENGTH:
        return word[:-1]
    if word.endswith("ing") and len(word) >= EN_ING_MIN_LENGTH:
        return word
    return None


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Snowball stem of a folded word in `lang` (es/pt/en); other languages fall back to English.

    Exceptions: Portuguese -ões/-ães plurals are singularised first (`_pt_singular`); English -ing
    nouns keep their ending (`_en_ing_noun`)."""
    if lang == "pt":
        word = _pt_singular(word)
    elif lang not in _STEMMERS or lang == "en":
        noun = _en_ing_noun(word)
        if noun is not None:
            return noun
    stemmer = _STEMMERS.get(lang, _STEMMERS["en"])
    return str(stemmer.stemWord(word))


@dataclass(frozen=True)
class Token:
    surface: str  # as the user (or the document) wrote it
    folded: str  # fold(surface)
    weight: float  # 1.0, or WEAK_WEIGHT for qualifiers and place names
    compound: bool = False  # the whole of a hyphenated word (its parts follow as their own tokens)
    part: bool = False  # a part of the compound before it


def is_stopword(folded: str, lang: str | None = None) -> bool:
    if lang is None:
        return folded in ALL_STOPWORDS
    return folded in STOPWORDS.get(lang, ALL_STOPWORDS)


def tokens(text: str, lang: str | None = None) -> list[Token]:
    """Content tokens of `text`: stopwords and bare numbers dropped, compounds whole and split.

    For documents pass their language (only its stopwords apply); for queries pass None, which drops
    the stopwords of all three languages: short SME sentences often mix them.
    """
    out: list[Token] = []
    for match in _WORD.finditer(text):
        surface = match.group(0)
        folded = fold(surface)
        folded = SPELLING.get(folded, folded)
        if _DIGITS.match(folded):
            continue
        parts = [p for p in re.split(r"[-']", folded) if p]
        if len(parts) > 1:
            out.append(Token(surface, folded, _weight(folded), compound=True))
            surface_parts = re.split(r"[-']", surface)
            for part_surface, part in zip(surface_parts, parts, strict=False):
                if len(part) >= 2 and not is_stopword(part, lang) and not _DIGITS.match(part):
                    out.append(Token(part_surface, part, _weight(part), part=True))
            continue
        if len(folded) < 2 or is_stopword(folded, lang):
            continue
        out.append(Token(surface, folded, _weight(folded)))
    return out


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n(\"“])\s*$")


def proper_names(text: str) -> frozenset[str]:
    """Words of a sentence written as proper names: capitalised, not all capitals, not where a sentence
    starts, in a text that also has lower-case words ("engenho em Areia, na Paraíba", "taller en
    Gamarra, Lima"). Places, brands and people rarely name the product: the search counts them as weak
    words, never repairs them as typos, and does not take a part of a sentence naming only them for a
    product of its own. Title Case or capitals say nothing this way and give none; nor do acronyms."""
    words = list(_WORD.finditer(text))
    if not any(m.group(0)[:1].islower() for m in words):
        return frozenset()
    out = set()
    for m in words:
        word = m.group(0)
        if word[:1].isupper() and not word.isupper() and not _SENTENCE_START.search(text[: m.start()]):
            out.add(word)
    return frozenset(out)


def _weight(folded: str) -> float:
    return WEAK_WEIGHT if folded in WEAK_WORDS else 1.0


def doc_terms(text: str, lang: str) -> list[str]:
    """The index terms of a document text in `lang`: stems, whole compounds, and bigrams of
    neighbouring words ("sin_tost", "brazil_nut"; stopwords in between are skipped)."""
    out: list[str] = []
    previous: str | None = None
    for token in tokens(text, lang):
        term = token.folded if token.compound else stem(token.folded, lang)
        out.append(term)
        if token.compound:
            out.append(stem(joined(token.folded), lang))  # "sun-flower" also as "sunflower"
        if token.part:
            continue
        if previous is not None:
            out.append(f"{previous}_{term}")
        previous = term
    return out


# Everyday words -> the words the nomenclature uses for the same thing (folded; any language). A query
# token is also looked up under the stems of these, as variants of the same token (the best counts,
# so a token never counts twice). General vocabulary only: words SMEs say that the WCO/NCM/TIGIE
# texts do not ("canned" vs "preserved", "shoes" vs "footwear").
CONCEPTS: Mapping[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("canned", "tinned", "enlatado", "enlatada", "enlatados", "enlatadas", "enlatado"),
        ("preserved", "conservados", "conservadas"),
    ),
    **dict.fromkeys(
        ("dehydrated", "deshidratado", "deshidratada", "deshidratados", "deshidratadas"),
        ("dried", "secos", "secas"),
    ),
    **dict.fromkeys(("desidratado", "desidratada", "desidratados", "desidratadas"), ("dried", "secos", "secas")),
    **dict.fromkeys(("zumo", "zumos", "jugo", "jugos", "suco", "sucos", "juice"), ("juices", "jugos", "sucos")),
    **dict.fromkeys(("shoes", "shoe", "zapatos", "zapato", "sapatos", "sapato"), ("footwear", "calzado", "calcados")),
    **dict.fromkeys(("sweets", "dulces", "golosinas", "doces", "guloseimas"), ("confectionery", "confiteria")),
    **dict.fromkeys(("drinks", "drink", "bebida"), ("beverages", "bebidas")),
    **dict.fromkeys(("clothes", "clothing", "ropa", "roupa", "roupas"), ("apparel", "vestir", "vestuario")),
    **dict.fromkeys(("car", "cars", "auto", "autos", "carro", "carros", "coche", "coches"), ("automoviles",)),
    **dict.fromkeys(("phone", "phones", "telefono", "telefone"), ("telephones", "telefonos", "telefones")),
    **dict.fromkeys(("laptop", "laptops", "notebook", "notebooks"), ("portable", "portatiles", "portateis")),
    **dict.fromkeys(
        ("cake", "cakes", "torta", "tortas", "pastel", "pasteles", "bolo", "bolos"), ("pastry", "pasteleria")
    ),
    **dict.fromkeys(("pulp", "pulpa", "pulpas", "polpa", "polpas"), ("puree", "pures", "pure")),
    **dict.fromkeys(("furniture", "muebles", "mueble", "moveis", "movel"), ("furniture", "muebles", "moveis")),
    **dict.fromkeys(
        ("appliance", "appliances", "electrodomesticos", "eletrodomesticos"), ("domestic", "domestico", "domesticos")
    ),
}


def joined(folded: str) -> str:
    """A compound without its hyphens and apostrophes: "sun-flower" -> "sunflower"."""
    return re.sub(r"[-']", "", folded)


def query_variants(token: Token) -> tuple[str, ...]:
    """The terms a query token may be indexed under: its folded form, its stem in each language, and
    the stems of its CONCEPTS words. A compound: its whole form, and the stems of its joined form (a
    document's "egg-plants" is also indexed as "eggplant", so "eggplants" and "egg-plants" meet)."""
    if token.compound:
        whole = joined(token.folded)
        return tuple(dict.fromkeys((token.folded, *(stem(whole, lang) for lang in LANGS))))
    words = (token.folded, *CONCEPTS.get(token.folded, ()))
    return tuple(dict.fromkeys(v for word in words for v in (word, *(stem(word, lang) for lang in LANGS))))


def bigram_variants(first: Token, second: Token) -> tuple[str, ...]:
    """The bigram terms of two neighbouring query tokens, stemmed alike in each language."""

    def one(token: Token, lang: str) -> str:
        return token.folded if token.compound else stem(token.folded, lang)

    return tuple(dict.fromkeys(f"{one(first, lang)}_{one(second, lang)}" for lang in LANGS))


class Vocabulary:
    """Folded words seen in the documents, with document frequencies, for typo repair."""

    def __init__(self, word_df: Mapping[str, int]) -> None:
        self._df = dict(word_df)
        self._words = [w for w in self._df if len(w) >= TYPO_MIN_LENGTH - 1 and "-" not in w]
        self._cache: dict[str, str | None] = {}

    def __contains__(self, word: object) -> bool:
        return word in self._df

    def __len__(self) -> int:
        return len(self._df)

    def correct(self, word: str) -> str | None:
        """The closest known word within the edit budget, or None (unknown words stay unknown)."""
        if len(word) < TYPO_MIN_LENGTH or word in self._df:
            return None
        if word in self._cache:
            return self._cache[word]
        budget = 1 if len(word) <= TYPO_ONE_EDIT_MAX else 2
        candidates = process.extract(word, self._words, scorer=OSA.distance, score_cutoff=budget, limit=20)
        best: str | None = None
        if candidates:
            nearest = min(distance for _, distance, _ in candidates)
            # Among the nearest, the word most documents use; ties by alphabetical order (deterministic).
            pool = sorted(w for w, distance, _ in candidates if distance == nearest)
            best = max(pool, key=lambda w: self._df[w])
        if len(self._cache) < 50_000:
            self._cache[word] = best
        return best


def word_frequencies(texts: Iterable[str]) -> dict[str, int]:
    """Folded words (and hyphen parts) -> number of texts that contain them."""
    df: dict[str, int] = {}
    for text in texts:
        seen = set()
        for match in _WORD.finditer(fold(text)):
            word = match.group(0)
            seen.add(word)
            seen.update(p for p in re.split(r"[-']", word) if p)
        for word in seen:
            df[word] = df.get(word, 0) + 1
    return df
