"""`ivcs library-import <folder-or-file> --publisher <org-slug> [--create-publisher "<name>"]`.

Adds studies to the library with a line per file: read (pages, passages), kept as a record without text
(scanned, encrypted, damaged) or refused (not a document, too large, already there). Metadata can sit
beside the files in metadata.yaml (file name -> title, year, language, type, sectors, hs_codes,
markets, origin_country, licence, summary); what it leaves out comes from the file itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from ivcs.accounts.models import Organisation
from ivcs.core.i18n import is_country_code
from ivcs.library.services import PUBLISHER_KINDS, import_files
from ivcs.tenants.models import Tenant
from ivcs.tenants.selectors import default_tenant


class Command(BaseCommand):
    help = "Import study files (PDF, DOCX, HTML, text) into the library for a publisher, with a report per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="a file, or a folder (read recursively)")
        parser.add_argument("--publisher", required=True, help="slug of the publishing organisation")
        parser.add_argument(
            "--create-publisher",
            metavar="NAME",
            help="create the publisher (a trade promotion organisation) when the slug does not exist",
        )
        parser.add_argument("--country", default="", help="ISO alpha-2 country of a publisher created here")
        parser.add_argument("--site", default="", help="site (tenant slug) of a publisher created here; default site")
        parser.add_argument("--draft", action="store_true", help="leave the studies as drafts for review")
        parser.add_argument("--language", choices=["es", "pt", "en", "other"], help="language of every file")
        parser.add_argument("--year", type=int, help="year of every file")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["target"])
        if not target.exists():
            raise CommandError(f"{target} does not exist")
        slug = options["publisher"]
        publisher = Organisation.objects.filter(slug=slug).first()
        if publisher is None:
            if not options["create_publisher"]:
                raise CommandError(f'no organisation {slug!r}; add --create-publisher "<name>" to create it')
            publisher = self._create_publisher(slug, options)
        elif publisher.kind not in PUBLISHER_KINDS:
            raise CommandError(f"{slug!r} is a {publisher.kind}, not a trade promotion organisation")
        defaults: dict[str, Any] = {}
        if options["language"]:
            defaults["language"] = options["language"]
        if options["year"]:
            defaults["year"] = options["year"]
        report = import_files(target, publisher, publish=not options["draft"], defaults=defaults)
        for f in report.files:
            if f.ok:
                self.stdout.write(
                    f"  OK      #{f.document_id:<6} {f.path}: {f.status}, {f.pages} page(s), "
                    f"{f.passages} passage(s){'' if f.message == 'read' else ' - ' + f.message}"
                )
            else:
                self.stderr.write(f"  REFUSED {f.path}: {f.message}")
        if not report.files:
            raise CommandError(f"no PDF, DOCX, HTML or text file under {target}")
        summary = f"{report.imported} imported, {report.refused} refused, publisher {publisher.slug}"
        if report.imported:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            raise CommandError(summary)

    def _create_publisher(self, slug: str, options: dict[str, Any]) -> Organisation:
        if slugify(slug) != slug:
            raise CommandError(f"{slug!r} is not a valid slug (lower-case letters, digits and hyphens)")
        country = (options["country"] or "").upper()
        if not country or not is_country_code(country):
            raise CommandError("give the new publisher's country with --country (ISO alpha-2, e.g. CO)")
        tenant = Tenant.objects.filter(slug=options["site"]).first() if options["site"] else default_tenant()
        if tenant is None:
            raise CommandError(f"no site {options['site']!r}")
        with transaction.atomic():
            org = Organisation.objects.create(
                tenant=tenant,
                slug=slug,
                name=options["create_publisher"][:200],
                kind=Organisation.Kind.TPO,
                country=country,
            )
        self.stdout.write(f"Created the trade promotion organisation {org.name} ({org.slug}) on {tenant.slug}.")
        return org
