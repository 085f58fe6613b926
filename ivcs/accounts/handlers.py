"""Outbox handlers of the accounts domain: the e-mails that sign-up and password reset send.

Tokens are made at delivery time, so the outbox never stores a secret. Each message carries a
Message-ID derived from the outbox event id, so a re-delivery (at-least-once) is recognisable as the
same message by mail servers and clients.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ivcs.accounts.models import User
from ivcs.accounts.services import SEND_PASSWORD_RESET, SEND_VERIFICATION
from ivcs.accounts.tokens import email_verification_token
from ivcs.core.http import absolute_url
from ivcs.core.outbox import Event, handles


def _send(event: Event, user: User, template: str, context: dict[str, object]) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=body,
        to=[user.email],
        headers={"Message-ID": f"<outbox-{event.id}@ivcs>"},
    )
    message.send()


@handles(SEND_VERIFICATION)
def send_verification_email(event: Event) -> None:
    user = User.objects.filter(pk=event.payload["user_id"]).first()
    if user is None or user.email_verified:
        return  # nothing to do: deleted, or verified since (idempotent)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    link = absolute_url(event.payload["base_url"], "accounts:verify_email", uidb64=uid, token=token)
    _send(event, user, "verify", {"user": user, "link": link})


@handles(SEND_PASSWORD_RESET)
def send_password_reset_email(event: Event) -> None:
    user = User.objects.filter(pk=event.payload["user_id"], is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = absolute_url(event.payload["base_url"], "accounts:password_reset_confirm", uidb64=uid, token=token)
    _send(event, user, "password_reset", {"user": user, "link": link})
