"""The curated files (trade names, labelled evaluation sets) pass their own consistency checks:
every code exists in HS 2022 at its level, languages and country codes are valid, coverage targets
of the labelled sets hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "script",
    [
        "data/hs/check_trade_names.py",
        "tests/data/check_labelled.py",
        "tests/data/check_chains_pairs.py",
    ],
)
def test_curated_file_checks_pass(script: str) -> None:
    out = subprocess.run([sys.executable, script], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "OK" in out.stdout
