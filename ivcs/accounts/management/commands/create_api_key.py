"""`ivcs create-api-key --org <slug> --scope org:read [--scope ...] [--name ...]`: print a new key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled

from ivcs.accounts import services
from ivcs.accounts.models import Organisation
from ivcs.accounts.scopes import SCOPES


class Command(BaseCommand):
    help = "Create an API key for an organisation and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument(
            "--scope", action="append", required=True, choices=sorted(SCOPES), help="repeat for several scopes"
        )
        parser.add_argument("--name", default="command line", help="what the key is for")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"no organisation with slug {options['org']!r}")
            try:
                created = services.create_api_key(None, organisation, name=options["name"], scopes=options["scope"])
            except services.AccountError as error:
                raise CommandError(error.message) from error
        self.stderr.write(
            f"API key for {organisation.name} ({', '.join(created.key.scopes)}); store it now, it is not shown again:"
        )
        self.stdout.write(created.secret)
