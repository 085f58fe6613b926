from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "ivcs.library"
    label = "library"
    verbose_name = _("Library of studies")

    def ready(self) -> None:
        from ivcs.library import handlers  # noqa: F401 - registers the outbox handler
