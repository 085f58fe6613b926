"""`ivcs import-origin [folder] [--dry-run]`: load the rules of origin of every scheme the engine reads.

`ivcs import-origin --scheme-file F [--dry-run]` loads (or replaces) one scheme an operator wrote in the
documented format (docs/origin.md, "Adding an agreement"); `--remove-scheme ID` deletes one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.origin import selectors
from ivcs.origin.services import default_folder, import_operator_scheme, import_origin, remove_operator_scheme


class Command(BaseCommand):
    help = (
        "Read the product-specific rules of origin of every scheme (data/rules_of_origin: UK schemes, EU agreements) "
        "with the origin engine and store them; operators' hand-written forms are kept by key. Any file "
        "that cannot be read refuses the whole import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=None, help="default data/rules_of_origin")
        parser.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
        parser.add_argument("--scheme-file", help="one operator scheme file (JSON or YAML, ivcs-origin-scheme/1)")
        parser.add_argument("--remove-scheme", help="delete a scheme an operator entered")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["remove_scheme"]:
            if not remove_operator_scheme(options["remove_scheme"]):
                raise CommandError(f"no scheme {options['remove_scheme']!r} entered by an operator")
            self.stdout.write(self.style.SUCCESS(f"Scheme {options['remove_scheme']} removed."))
            return
        if options["scheme_file"]:
            folder = Path(options["scheme_file"])
            if not folder.is_file():
                raise CommandError(f"{folder} is not a file")
            report = import_operator_scheme(folder, dry_run=options["dry_run"])
        else:
            folder = Path(options["folder"]) if options["folder"] else default_folder()
            if not folder.is_dir():
                raise CommandError(f"{folder} is not a folder")
            report = import_origin(folder, dry_run=options["dry_run"])
        for s in report.schemes:
            self.stdout.write(
                f"  {s.id:<20} {s.rule_sets:>5} rule sets {s.rules:>5} rules "
                f"{s.structured_rule_sets:>5} structured ({s.structured_share:.1%}) "
                f"{s.unparsed_rules:>4} unparsed rules"
            )
            if s.missing:
                self.stdout.write(f"  {'':<16} not in the data: {', '.join(s.missing)}")
        for refusal in report.refused:
            self.stderr.write(f"REFUSED {refusal}")
        if report.refused:
            raise CommandError(f"{len(report.refused)} problem(s); nothing was written.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Dry run: every scheme was read; nothing was written."))
            return
        selectors.forget()
        self.stdout.write(f"  hand-written forms kept: {report.hand_written_kept}")
        for dropped in report.hand_written_dropped:
            self.stderr.write(f"DROPPED hand-written form of {dropped}: its rule set is no longer in the data")
        self.stdout.write(
            self.style.SUCCESS(f"Rules of origin of {len(report.schemes)} scheme(s) loaded from {folder}.")
        )
