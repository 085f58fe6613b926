"""`ivcs import-chains [folder] [--dry-run]`: validate and load data/input_output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.chains import selectors
from ivcs.chains.services import default_folder, import_chains


class Command(BaseCommand):
    help = (
        "Validate the input-product links (curated_chains.yaml, derived_links.csv, end_use.csv) and load "
        "them. Refused rows are reported one per line; with any refusal nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=None, help="default data/input_output")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument(
            "--if-changed", action="store_true", help="do nothing when the files are those of the last import"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"]) if options["folder"] else default_folder()
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        report = import_chains(folder, dry_run=options["dry_run"], if_changed=options["if_changed"])
        if report.unchanged:
            self.stdout.write("Chain links: the files have not changed since the last import.")
            return
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:<16} {count:>6} valid")
        for refusal in report.refused[:200]:
            self.stderr.write(f"REFUSED {refusal}")
        if len(report.refused) > 200:
            self.stderr.write(f"... and {len(report.refused) - 200} more")
        if report.refused:
            raise CommandError(f"{len(report.refused)} row(s) refused; nothing was written.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Dry run: every row is valid; nothing was written."))
        else:
            selectors.forget()
            self.stdout.write(self.style.SUCCESS(f"Chain links loaded from {folder}."))
