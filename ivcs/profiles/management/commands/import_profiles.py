"""`ivcs import-profiles <file.csv|file.json> --tenant <slug> [--dry-run] [--atomic]`: load SME profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.profiles.services import ProfileError, import_profiles, read_import_file
from ivcs.tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Create or update SME profiles (and their organisations) on a partner site from a CSV or JSON file "
        "(columns in docs/profiles.md). Each row is reported: created, updated or refused with its reasons; "
        "a refused row writes nothing, and with --atomic any refused row writes nothing at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .csv or .json file, UTF-8, at most 5 MB")
        parser.add_argument("--tenant", required=True, help="slug of the partner site the SMEs belong to")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--atomic", action="store_true", help="write nothing if any row is refused")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        tenant = Tenant.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"no partner site with the slug {options['tenant']!r}")
        try:
            records = read_import_file(path)
        except ProfileError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        report = import_profiles(records, tenant=tenant, dry_run=options["dry_run"], atomic=options["atomic"])
        for row in report.rows:
            line = str(row)
            if row.status == "refused":
                self.stderr.write(f"REFUSED {line}")
            else:
                self.stdout.write(f"  {line}")
        summary = (
            f"{report.count('created')} created, {report.count('updated')} updated, {report.count('refused')} refused"
        )
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"Dry run ({summary}); nothing was written."))
        elif report.atomic and report.refused:
            raise CommandError(f"{summary}; --atomic: nothing was written.")
        elif report.refused:
            self.stdout.write(self.style.WARNING(f"{summary}; the refused rows were not written."))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
