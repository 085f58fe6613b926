"""Reading configuration from the environment: typed, with safe defaults and clear errors.

Settings (ivcs/settings.py) call these helpers; every variable the system reads is documented in
docs/operations.md. Nothing here imports Django, so the parsing is unit-tested on its own.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """An environment variable has a value the system cannot use."""


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {environ[name]!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    if name not in environ or environ[name].strip() == "":
        return default
    try:
        return int(environ[name])
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer; got {environ[name]!r}") from exc


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return list(default)
    return [item.strip() for item in environ[name].split(",") if item.strip()]


def secret_key(var_dir: Path, environ: Mapping[str, str] | None = None) -> str:
    """SECRET_KEY from the environment, else from var/secret_key, generated there on first run.

    The file is created with mode 0600 so that a shared machine does not leak it.
    """
    environ = os.environ if environ is None else environ
    if environ.get("SECRET_KEY"):
        return environ["SECRET_KEY"]
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_config(url: str, *, conn_max_age: int = 60) -> dict[str, Any]:
    """Django DATABASES['default'] from a database URL, with the SQLite defaults we rely on.

    SQLite gets WAL, a busy timeout, IMMEDIATE transactions (writers queue instead of failing with
    'database is locked' half-way through) and foreign keys; PostgreSQL gets persistent
    connections with health checks.
    """
    import dj_database_url  # a plain library, not Django itself

    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(f"DATABASE_URL must be sqlite:/// or postgres://; got scheme {scheme!r}")
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
            ),
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


def huey_config(var_dir: Path, redis_url: str, *, immediate: bool, name: str = "ivcs") -> dict[str, Any]:
    """Settings for huey.contrib.djhuey: RedisHuey when REDIS_URL is set, else SqliteHuey in var/."""
    common: dict[str, Any] = {
        "name": name,
        "immediate": immediate,  # set explicitly: huey defaults it to DEBUG
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
    }
    if redis_url:
        return {**common, "huey_class": "huey.RedisHuey", "url": redis_url}
    var_dir.mkdir(parents=True, exist_ok=True)
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(var_dir / "huey.sqlite3")}
