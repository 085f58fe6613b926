"""Input-product chains over HS 2022 codes: which products go into which, as plain data.

Modules (no Django; plain data in, plain data out):

* graph.py - `ChainGraph`: input -> product `Link`s (curated, derived, rules of origin, user) indexed
  both ways; `inputs_of` / `used_in` (HS4 and HS6 merged, one `Node` per related code with the
  merged evidence, filters, trees to depth 4), `paths` from an input to a product, `end_use_of`.
* files.py - `load_links(derived_csv, curated_yaml)` and `load_end_use(csv)`: the data files under
  data/input_output read into links and an end-use table (missing files give empty results).
* reference.py - a naive linear scan over the links with the same semantics: the test oracle and
  the benchmark baseline of graph.py.
* derive.py - candidate input -> product links between headings derived from public data (US BEA
  input-output tables through HS/NAICS concordances, narrowed by rules of origin); writes
  data/input_output/derived_links.csv (method in data/input_output/DERIVATION.md).
* roo_materials.py - the headings a product-specific rule of origin names as materials (used or
  excluded), read from the rule's text.
"""
