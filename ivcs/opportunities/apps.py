from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "ivcs.opportunities"
    label = "opportunities"
    verbose_name = _("Purchasing opportunities")

    def ready(self) -> None:
        # Register the outbox handlers of opportunity and engagement events.
        from ivcs.opportunities import handlers  # noqa: F401
