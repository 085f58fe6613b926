"""Material words in rule texts -> HS 2022 code ranges: the explicit, documented table the parser uses.

"Manufacture from yarn" names no code; the table says which headings "yarn" means. Only words listed
here are understood; any other material word leaves the rule :class:`~ivcs.engines.origin.grammar.Unparsed`.
Keys are lower-case phrases as they appear in the (normalised) texts; the more specific phrases first.
"""

from __future__ import annotations

from .grammar import CodeSet

_YARN = CodeSet.of("5004-5006", "5106-5110", "5204-5207", "5306-5308", "5401-5406", "5508-5511", "5605-5606")
_NATURAL_FIBRES = CodeSet.of("5001-5003", "5101-5105", "5201-5203", "5301-5305")
_STAPLE_FIBRES = CodeSet.of("5501-5507")
_WOVEN = CodeSet.of("5007", "5111-5113", "5208-5212", "5309-5311", "5407-5408", "5512-5516")
_FABRIC = _WOVEN.union(CodeSet.of("5801-5811", "5901-5911", "6001-6006"))

MATERIAL_WORDS: dict[str, CodeSet] = {
    "yarn": _YARN,
    "single yarn": _YARN,
    "unbleached single yarn": _YARN,
    "coir yarn": CodeSet.of("5308"),
    "natural fibres": _NATURAL_FIBRES,
    "other natural fibres": _NATURAL_FIBRES,
    "man-made staple fibres": _STAPLE_FIBRES,
    "chemical materials or textile pulp": CodeSet.of("28-38", "4702"),
    "paper-making materials": CodeSet.of("4701-4707"),
    "paper": CodeSet.of("4801-4823"),
    "raw silk or silk waste": CodeSet.of("5002-5003"),
    "elastomeric yarns": CodeSet.of("5402", "5404"),
    "nylon yarn or elastomeric yarns": CodeSet.of("5402", "5404"),
    "fabric": _FABRIC,
    "unembroidered fabric": _FABRIC,
    "unembroidered fabric (other than knitted or crocheted)": _WOVEN.union(CodeSet.of("5801-5811", "5901-5911")),
    "embroidered fabric": CodeSet.of("5810"),
    "uncoated fabric": _FABRIC,
    "imprinted fabric": _FABRIC,
    "unprinted fabric": _FABRIC,
    "uncoated or unlaminated fabric": _FABRIC,
    "vegetable materials": CodeSet.of("06-14"),
    "fruit and nuts": CodeSet.of("08"),
    # "fruit" is read as chapter 8 (edible fruit and nuts), roots and tubers of heading 0714 are in chapter 7
    "cereals, edible vegetables, roots and tubers of heading 0714 or fruit": CodeSet.of("07-08", "10"),
    "citrus fruits": CodeSet.of("0805"),
    "materials": CodeSet.of("01-97"),  # "all the materials used are originating"
    "fruit, nuts or vegetables": CodeSet.of("07-08"),
    "vegetables, fruit or nuts": CodeSet.of("07-08"),
    "unworked precious or semi-precious stones": CodeSet.of("7102-7104"),
    "unwrought precious metals": CodeSet.of("7106", "7108", "7110"),
    "metals clad with precious metals, unwrought": CodeSet.of("7107", "7109", "7111"),
    "cereals": CodeSet.of("10"),
    "animals": CodeSet.of("01"),
    "sugar, molasses or milk": CodeSet.of("1701-1703", "0401-0402"),
    "grapes or materials derived from grapes": CodeSet.of("0806", "2009", "2204"),
    "grapes or any material derived from grapes": CodeSet.of("0806", "2009", "2204"),
    "maize": CodeSet.of("1005"),
    "cocoa": CodeSet.of("1801-1802"),
}


def lookup(phrase: str) -> CodeSet | None:
    """The codes of a material phrase, or None when the phrase is not in the table."""
    key = " ".join(phrase.lower().replace("non-originating ", "").split()).strip(" ,.;")
    return MATERIAL_WORDS.get(key)
