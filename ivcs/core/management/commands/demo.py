"""`ivcs demo`: load the fictional demo data and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the fictional demo organisations and users (idempotent) and print their logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (demo passwords are public: never on a real site).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: demo users have published passwords. Pass --allow-production to load anyway."
            )
        report = load_demo()
        created = ", ".join(f"{n} {what}" for what, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (new: {created}). All of it is fictional."))
        self.stdout.write("Demo logins (password for all: shown below):")
        for login in report.logins:
            self.stdout.write(f"  {login['email']:<28} {login['password']}  {login['what']}")
        self.stdout.write("Partner-site demo: http://127.0.0.1:8000/t/procomex-demo/")
