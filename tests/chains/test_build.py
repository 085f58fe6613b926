"""The shipped derived links are reproducible from the copied sources, byte for byte."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def test_build_chains_reproduces_the_committed_files() -> None:
    out = StringIO()
    call_command("build_chains", "--check", stdout=out)
    assert "byte for byte" in out.getvalue()


def test_check_fails_when_a_file_differs(tmp_path: Path, settings: object) -> None:
    (tmp_path / "derived_links.csv").write_text("input,product\n", encoding="utf-8")
    (tmp_path / "end_use.csv").write_text("hs6,end_use\n", encoding="utf-8")
    with pytest.raises(CommandError, match="does not reproduce"):
        call_command("build_chains", "--check", "--out", str(tmp_path), stdout=StringIO())
