from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "ivcs.profiles"
    label = "profiles"
    verbose_name = _("SME business profiles")

    def ready(self) -> None:
        # Register the outbox handler of "profile.changed".
        from ivcs.profiles import handlers  # noqa: F401
