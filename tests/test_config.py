"""Configuration from the environment: defaults, parsing errors, the SQLite and huey choices."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ivcs import config


def test_booleans_accept_common_spellings_and_reject_others() -> None:
    assert config.env_bool("X", False, {"X": "Yes"}) is True
    assert config.env_bool("X", True, {"X": "off"}) is False
    assert config.env_bool("X", True, {}) is True
    with pytest.raises(config.ConfigError, match="X must be one of"):
        config.env_bool("X", False, {"X": "maybe"})


def test_integers_and_lists() -> None:
    assert config.env_int("N", 5, {"N": "12"}) == 12
    assert config.env_int("N", 5, {"N": ""}) == 5
    with pytest.raises(config.ConfigError, match="N must be an integer"):
        config.env_int("N", 5, {"N": "twelve"})
    assert config.env_list("H", ["a"], {"H": " x.org, ,y.org "}) == ["x.org", "y.org"]
    assert config.env_list("H", ["a"], {}) == ["a"]


def test_secret_key_is_generated_once_into_a_private_file(tmp_path: Path) -> None:
    first = config.secret_key(tmp_path, {})
    second = config.secret_key(tmp_path, {})
    assert first == second and len(first) >= 50
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert config.secret_key(tmp_path, {"SECRET_KEY": "from-env"}) == "from-env"


def test_sqlite_gets_wal_immediate_transactions_and_foreign_keys(tmp_path: Path) -> None:
    db = config.database_config(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "foreign_keys=ON" in db["OPTIONS"]["init_command"]


def test_postgres_urls_get_health_checked_persistent_connections() -> None:
    db = config.database_config("postgres://postgres@127.0.0.1:5432/test")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "test" and db["CONN_HEALTH_CHECKS"] is True and db["CONN_MAX_AGE"] == 60


def test_unknown_database_schemes_are_refused_clearly() -> None:
    with pytest.raises(config.ConfigError, match="sqlite:/// or postgres://"):
        config.database_config("mysql://root@localhost/x")


def test_huey_uses_sqlite_by_default_and_redis_when_configured(tmp_path: Path) -> None:
    sqlite = config.huey_config(tmp_path, "", immediate=False)
    assert sqlite["huey_class"] == "huey.SqliteHuey"
    assert sqlite["filename"] == str(tmp_path / "huey.sqlite3")
    assert sqlite["immediate"] is False
    redis = config.huey_config(tmp_path, "redis://127.0.0.1:6379/0", immediate=False)
    assert redis["huey_class"] == "huey.RedisHuey" and redis["url"] == "redis://127.0.0.1:6379/0"


def test_production_defaults_are_safe_when_nothing_is_set(tmp_path: Path) -> None:
    """Import the real settings in a clean environment: DEBUG off, secure cookies, argon2 first."""
    import os
    import subprocess
    import sys

    code = (
        "import ivcs.settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_SAMESITE,"
        " s.X_FRAME_OPTIONS, s.SECURE_HSTS_SECONDS > 0, s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'),"
        " s.HUEY['immediate'], s.DATABASES['default']['ENGINE'])"
    )
    env = {"PATH": os.environ.get("PATH", ""), "IVCS_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "False",
        "True",
        "True",
        "Strict",
        "DENY",
        "True",
        "True",
        "False",
        "django.db.backends.sqlite3",
    ]
