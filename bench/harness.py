"""What every benchmark shares: a throw-away Django set-up, timing, statistics and the JSON shape.

`setup_django()` points IVCS at a fresh temporary directory (its own SQLite database, secret key and
huey file), uses the test settings (huey in immediate mode, e-mail in memory), migrates and creates
the cache table. It never touches var/ or the database named by DATABASE_URL: set
IVCS_BENCH_DATABASE_URL to a scratch PostgreSQL database to measure on PostgreSQL instead.
"""

from __future__ import annotations

import atexit
import math
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT / "var" / "bench" / "results.json"

_var_dir: Path | None = None


def setup_django() -> Path:
    """Configure and migrate a throw-away IVCS once per process; return its var directory."""
    global _var_dir
    if _var_dir is not None:
        return _var_dir
    var_dir = Path(tempfile.mkdtemp(prefix="ivcs-bench-"))
    atexit.register(shutil.rmtree, var_dir, True)
    os.environ["IVCS_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ivcs.settings_test"
    os.environ["DEBUG"] = "0"  # DEBUG on would record every SQL query in memory and skew the figures
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    scratch = os.environ.get("IVCS_BENCH_DATABASE_URL", "")
    if scratch:
        os.environ["DATABASE_URL"] = scratch
    else:
        os.environ.pop("DATABASE_URL", None)  # SQLite under the temporary directory

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    _var_dir = var_dir
    return var_dir


def environment() -> dict[str, Any]:
    import django
    from django.db import connection

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }


def timed(func: Callable[[], Any]) -> float:
    """Seconds one call of `func` takes (time.perf_counter)."""
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def sample(func: Callable[[], Any], count: int) -> list[float]:
    """Per-call seconds of `count` consecutive calls."""
    clock = time.perf_counter
    out = []
    for _ in range(count):
        started = clock()
        func()
        out.append(clock() - started)
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float], *, scale: float = 1.0, digits: int = 3) -> dict[str, float]:
    """Median and p95 of `values` (times `scale`), rounded."""
    return {
        "median": round(statistics.median(values) * scale, digits),
        "p95": round(percentile(values, 95) * scale, digits),
    }


def rate_summary(seconds_per_rep: list[float], ops_per_rep: int) -> dict[str, float]:
    """Operations per second over repetitions: the median rep and the p95 (slow) rep."""
    rates = [ops_per_rep / s for s in seconds_per_rep]
    return {"median": round(statistics.median(rates), 1), "p95_slow": round(percentile(rates, 5), 1)}


def paired_ratio(subject: list[float], baseline: list[float]) -> float:
    """Median of subject/baseline over repetitions measured side by side (robust to drift)."""
    return round(statistics.median(s / b for s, b in zip(subject, baseline, strict=True)), 2)


def result(
    name: str,
    *,
    parameters: dict[str, Any],
    figures: dict[str, Any],
    baseline: dict[str, Any],
    ratio: dict[str, float],
    ratio_meaning: str,
) -> dict[str, Any]:
    return {
        "name": name,
        "parameters": parameters,
        "figures": figures,
        "baseline": baseline,
        "ratio": ratio,
        "ratio_meaning": ratio_meaning,
        "environment": environment(),
    }
