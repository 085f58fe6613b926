"""House rules that keep the architecture honest."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import ivcs.engines

ROOT = Path(__file__).resolve().parents[1]


def test_engines_import_without_django() -> None:
    """Import every engine module in a fresh interpreter and check Django was never loaded."""
    modules = ["ivcs.engines"] + [m.name for m in pkgutil.walk_packages(ivcs.engines.__path__, "ivcs.engines.")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'ninja', 'huey')))\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_no_django_signals_for_our_own_logic() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "ivcs").rglob("*.py")
        if "@receiver" in path.read_text(encoding="utf-8") or ".connect(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_every_migration_is_committed() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ivcs", "makemigrations", "--check", "--dry-run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "IVCS_VAR_DIR": str(ROOT / "var" / "makemigrations-check")},
    )
    assert out.returncode == 0, out.stdout + out.stderr
