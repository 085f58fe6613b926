"""`python -m bench [name ...]` (or `make bench`): run the benchmarks, print a JSON list, save it.

Names: outbox, requests, apikeys, gap, matching, matching_eval, hs_eval, nlq_eval, chains, chains_eval,
origin, tariffs, library (default: all). hs_eval, nlq_eval, matching, matching_eval, chains, chains_eval, origin and
tariffs need no Django (hs_eval and matching run in their own subprocess); when only they are chosen, no
database is set up.
The list goes to stdout and to var/bench/results.json; progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import (
    apikeys,
    chains,
    chains_eval,
    gap,
    harness,
    hs_eval,
    library,
    matching,
    matching_eval,
    nlq_eval,
    origin,
    outbox,
    requests,
    tariffs,
)

BENCHMARKS: dict[str, Callable[[], dict[str, Any]]] = {
    "outbox": outbox.run,
    "requests": requests.run,
    "apikeys": apikeys.run,
    "gap": gap.run,
    "hs_eval": hs_eval.run,
    "nlq_eval": nlq_eval.run,
    "matching": matching.run_small,
    "matching_eval": matching_eval.run,
    "chains": chains.run,
    "chains_eval": chains_eval.run,
    "origin": origin.run,
    "tariffs": tariffs.run,
    "library": library.run,
}
WITHOUT_DJANGO = {"hs_eval", "nlq_eval", "matching", "matching_eval", "chains", "chains_eval", "origin", "tariffs"}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.stderr.write(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}\n")
        return 2
    started = time.perf_counter()
    if set(names) - WITHOUT_DJANGO:
        sys.stderr.write("bench: setting up a throw-away database...\n")
        harness.setup_django()
    results = []
    for name in names:
        sys.stderr.write(f"bench: {name}...\n")
        one_started = time.perf_counter()
        results.append(BENCHMARKS[name]())
        sys.stderr.write(f"bench: {name} took {time.perf_counter() - one_started:.1f} s\n")
    text = json.dumps(results, indent=2)
    sys.stdout.write(text + "\n")
    harness.RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    harness.RESULTS_FILE.write_text(text + "\n", encoding="utf-8")
    sys.stderr.write(
        f"bench: done in {time.perf_counter() - started:.1f} s; results in "
        f"{harness.RESULTS_FILE.relative_to(harness.ROOT)}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
