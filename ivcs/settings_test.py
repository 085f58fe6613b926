"""Settings for the test suite: the real settings, with huey running tasks in-process.

The database is whatever DATABASE_URL says (SQLite under var/ by default; CI runs the suite again on
PostgreSQL). E-mail goes to Django's in-memory outbox unless a test points it at its own SMTP server.
"""

from ivcs.settings import *  # noqa: F403
from ivcs.settings import HUEY

HUEY = {**HUEY, "immediate": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
