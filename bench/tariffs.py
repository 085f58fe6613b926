"""Tariff rates: load time, memory and lookup speed of ivcs.engines.tariffs on the real copied schedules, no Django.

* ``load_s``: one cold ``load_schedules()`` (read the four files in data/tariffs/, parse every rate text, build the
  indexes), in a fresh subprocess so nothing is cached and nothing else is in memory.
* ``rss_mb``: resident memory of that subprocess after the load (``rss_before_load_mb`` is the interpreter with
  the engine imported, ``rss_peak_mb`` the peak).
* ``lookups_per_s``: ``lookup(market, hs6, programme)`` calls per second, single-threaded, over a seeded shuffle of
  every (market, HS 2022 subheading, programme or none) loaded -- 72,919 queries -- median of 3 passes after one
  warm-up pass; ``as_dict_per_s`` the same with ``as_dict()`` on each answer.
* ``baseline``: reading the same files with ``csv.DictReader`` and doing nothing else (``read_only_s``);
  ``ratio`` = load_s / read_only_s, i.e. what parsing and indexing add over merely reading the data.

Targets: load_s <= 2 s, rss_mb <= 200, lookups_per_s >= 5,000.

Run: ``python -m bench.tariffs``. No Django.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"load_s": 2.0, "rss_mb": 200.0, "lookups_per_s": 5000.0}
PASSES = 3


def _rss_mb() -> float:
    """Current resident memory of this process (Linux /proc; falls back to the peak elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _read_only(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        with (
            gzip.open(path, "rt", encoding="utf-8", newline="")
            if path.suffix == ".gz"
            else path.open(encoding="utf-8", newline="")
        ) as handle:
            for _ in csv.DictReader(handle):
                pass
    return time.perf_counter() - started


def child() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from ivcs.engines.tariffs import schedule

    before = _rss_mb()
    started = time.perf_counter()
    schedules = schedule.load_schedules()
    load_s = time.perf_counter() - started
    after = _rss_mb()
    read_only_s = _read_only([schedule.US_FILE, schedule.JP_FILE, schedule.UK_FILE, schedule.CORRELATION_FILE])

    queries = [
        (market.id, hs6, programme)
        for market in schedule.markets()
        for hs6 in schedules.lines[market.id]
        for programme in (None, *market.programmes)
    ]
    random.Random(7).shuffle(queries)
    lookup = schedule.lookup

    def one_pass(with_dict: bool) -> float:
        t = time.perf_counter()
        for market, hs6, programme in queries:
            answer = lookup(market, hs6, programme)
            if with_dict:
                answer.as_dict()
        return time.perf_counter() - t

    one_pass(False)
    plain = [one_pass(False) for _ in range(PASSES)]
    with_dict = [one_pass(True) for _ in range(PASSES)]
    lines = {market: sum(len(v) for v in by_hs6.values()) for market, by_hs6 in schedules.lines.items()}
    return {
        "load_s": round(load_s, 3),
        "rss_mb": round(after, 1),
        "rss_before_load_mb": round(before, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "lookups_per_s": round(len(queries) / statistics.median(plain), 1),
        "as_dict_per_s": round(len(queries) / statistics.median(with_dict), 1),
        "queries": len(queries),
        "lines": lines,
        "subheadings": {market: len(by_hs6) for market, by_hs6 in schedules.lines.items()},
        "read_only_s": round(read_only_s, 3),
    }


def run() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.tariffs", "--child"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    figures = json.loads(done.stdout)
    read_only_s = figures.pop("read_only_s")
    return {
        "name": "tariffs",
        "load_s": figures["load_s"],
        "lookups_per_s": figures["lookups_per_s"],
        "rss_mb": figures["rss_mb"],
        "figures": figures,
        "baseline": {
            "what": "read the same files with csv.DictReader, nothing else",
            "read_only_s": read_only_s,
            "ratio": round(figures["load_s"] / read_only_s, 2) if read_only_s else None,
        },
        "targets": TARGETS,
        "targets_met": {
            "load_s": figures["load_s"] <= TARGETS["load_s"],
            "rss_mb": figures["rss_mb"] <= TARGETS["rss_mb"],
            "lookups_per_s": figures["lookups_per_s"] >= TARGETS["lookups_per_s"],
        },
        "environment": {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()},
    }


def main() -> int:
    result = child() if "--child" in sys.argv[1:] else run()
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
