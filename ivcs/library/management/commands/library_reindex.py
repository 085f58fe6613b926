"""`ivcs library-reindex [--vectors] [--extract]`: rebuild the library's search index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ivcs.library.services import reindex


class Command(BaseCommand):
    help = (
        "Rebuild the full-text index of every passage and embed the passages that have no vector "
        "(--vectors: all of them again; --extract: read every stored file again first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--vectors", action="store_true", help="embed every passage again")
        parser.add_argument("--extract", action="store_true", help="read every stored file again first")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reindex(vectors=options["vectors"], extract_again=options["extract"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['documents']} studies, {counts['passages']} passages indexed, {counts['embedded']} embedded, "
                f"{counts['extracted']} files read again."
            )
        )
