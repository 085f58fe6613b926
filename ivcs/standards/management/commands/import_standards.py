"""`ivcs import-standards [folder] [--dry-run]`: validate and load data/standards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.standards.services import default_folder, import_catalogue


class Command(BaseCommand):
    help = (
        "Validate the standards catalogue (sectors, schemes, certifiers, costs, programmes, courses, buyers) "
        "and load it. Refused records are reported one per line; with any refusal nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", nargs="?", default=None, help="folder with the YAML files (default data/standards)"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"]) if options["folder"] else default_folder()
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        report = import_catalogue(folder, dry_run=options["dry_run"])
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:<13} {count:>4} valid")
        for refusal in report.refused:
            self.stderr.write(f"REFUSED {refusal}")
        if report.refused:
            raise CommandError(f"{len(report.refused)} record(s) refused; nothing was written.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Dry run: every record is valid; nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Standards catalogue loaded from {folder}."))
