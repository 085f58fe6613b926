"""Demo studies of the library: a dozen fictional studies (data/demo/library/studies.yaml) written as real
PDF and DOCX files and imported through the same path as `ivcs library-import`, so the demo exercises
extraction, passages, vectors and the full-text index. Idempotent: a study already loaded (same
publisher and title) is left alone."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ivcs.accounts.models import Organisation
from ivcs.library.models import Document

# The YAML names its publishers by role; these are the demo TPOs of data/demo/accounts.json.
PUBLISHERS = {"agencia-demo": "demo-promo-export", "procomex-demo": "demo-procomex-agencia"}


def load(created: dict[str, int]) -> None:
    from ivcs.engines.documents import load_demo_studies, write_demo_files
    from ivcs.library.services import import_file

    studies = load_demo_studies()
    publishers = {key: Organisation.objects.filter(slug=slug).first() for key, slug in PUBLISHERS.items()}
    todo = []
    for study in studies:
        publisher = publishers.get(study.publisher)
        if publisher is None:
            continue
        if Document.objects.filter(publisher=publisher, title=study.title).exists():
            continue
        todo.append((study, publisher))
    created.setdefault("studies", 0)
    if not todo:
        return
    with tempfile.TemporaryDirectory(prefix="ivcs-demo-library-") as folder:
        paths = write_demo_files([study for study, _ in todo], Path(folder))
        for (study, publisher), path in zip(todo, paths, strict=True):
            report = import_file(
                path,
                publisher,
                {
                    "title": study.title,
                    "language": study.language,
                    "year": study.year,
                    "doc_type": study.type,
                    "sectors": list(study.sectors),
                    "hs_codes": list(study.hs),
                    "markets": list(study.markets),
                    "origin_country": study.origin_country,
                    "licence": study.licence,
                    "summary": study.summary,
                },
                is_demo=True,
                suggest=False,  # curated metadata: no need to read products and places from the text
            )
            created["studies"] += int(report.ok)
