"""WSGI entry point (gunicorn ivcs.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivcs.settings")
application = get_wsgi_application()
