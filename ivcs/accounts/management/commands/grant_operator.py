"""`ivcs grant-operator --email <address>`: let a registered user into the operator area."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.accounts import services
from ivcs.accounts.models import User


class Command(BaseCommand):
    help = "Make a registered user an operator: staff, in the 'Operators' group with its permissions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"no account uses {options['email']!r}; sign up first")
        services.grant_operator(user)
        self.stdout.write(self.style.SUCCESS(f"{user.email} is now an operator (group '{services.OPERATOR_GROUP}')."))
