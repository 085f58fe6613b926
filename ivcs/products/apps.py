import os
import sys
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "ivcs.products"
    label = "products"
    verbose_name = _("Products and HS codes")

    def ready(self) -> None:
        # With IVCS_WARM_HS=1 a web process builds the HS search index in the background as it starts,
        # so that the first visitor does not wait for it (make run sets it; see docs/operations.md).
        if os.environ.get("IVCS_WARM_HS") != "1":
            return
        if "runserver" in sys.argv and os.environ.get("RUN_MAIN") != "true":
            return  # the autoreloader's supervising process serves nothing
        threading.Thread(target=_warm_hs_index, name="warm-hs-index", daemon=True).start()


def _warm_hs_index() -> None:
    import logging

    from django.db import connection

    try:
        from ivcs.products.adapters import search_index

        search_index()
    except Exception:  # a cold index is built on the first search instead
        logging.getLogger(__name__).exception("could not warm the HS search index")
    finally:
        connection.close()
