from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ivcs.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Register the periodic outbox sweep with huey.
        from ivcs.core import tasks  # noqa: F401
