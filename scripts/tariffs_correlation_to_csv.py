"""Convert UNSD's HS 2022 <-> HS 2017 correlation workbook to the CSV that ivcs.engines.tariffs reads.

One-off, run by hand when the workbook changes; NOT a runtime dependency (openpyxl is not in the project's
requirements). Run it from a throw-away virtualenv::

    python3 -m venv /tmp/xl && /tmp/xl/bin/pip install openpyxl
    /tmp/xl/bin/python scripts/tariffs_correlation_to_csv.py \
        ../shared/data/tariffs/unsd_hs2022_hs2017_correlation/HS2022toHS2017ConversionAndCorrelationTables.xlsx \
        data/tariffs/unsd_hs2022_hs2017_correlation/hs2022_hs2017_correlations.csv

What it does, and nothing else: reads the sheet "HS2022-HS2017 Correlations", skips its two header lines
("Between" and "HS2022, HS2017, Relationship"), strips surrounding spaces from each cell, checks that both
codes are six digits and the relationship is one of 1:1, 1:n, n:1, n:n, and writes ``hs2022,hs2017,relationship``
(UTF-8, LF line ends, rows in the workbook's order). It prints the row count and the count per relationship.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

SHEET = "HS2022-HS2017 Correlations"
RELATIONSHIPS = {"1:1", "1:n", "n:1", "n:n"}
SIX_DIGITS = re.compile(r"\d{6}")


def convert(source: Path, target: Path) -> Counter[str]:
    import openpyxl  # only in the throw-away virtualenv

    sheet = openpyxl.load_workbook(source, read_only=True)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = tuple(str(cell or "").strip() for cell in rows[1][:3])
    if header != ("HS2022", "HS2017", "Relationship"):
        raise SystemExit(f"unexpected header {header!r}")
    counts: Counter[str] = Counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["hs2022", "hs2017", "relationship"])
        for row in rows[2:]:
            if not any(row):
                continue
            hs2022, hs2017, relationship = (str(cell or "").strip() for cell in row[:3])
            if not (SIX_DIGITS.fullmatch(hs2022) and SIX_DIGITS.fullmatch(hs2017) and relationship in RELATIONSHIPS):
                raise SystemExit(f"unexpected row {row!r}")
            writer.writerow([hs2022, hs2017, relationship])
            counts[relationship] += 1
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.stderr.write(__doc__ or "")
        return 2
    counts = convert(Path(argv[1]), Path(argv[2]))
    sys.stdout.write(f"{sum(counts.values())} rows: {dict(sorted(counts.items()))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
