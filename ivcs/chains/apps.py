from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "ivcs.chains"
    label = "chains"
    verbose_name = _("Input-product chains")

    def ready(self) -> None:
        from ivcs.chains import handlers  # noqa: F401 - registers the outbox handler
