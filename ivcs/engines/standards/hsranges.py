"""HS prefixes and ranges as the standards data writes them: "09", "0901", "090121", "1801-1806", "61-63".

A range's two ends have the same number of digits and are inclusive at that level: "1801-1806"
holds every code whose first four digits lie between 1801 and 1806 (so 180100 and 1806.90 too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPEC = re.compile(r"^(\d{2}|\d{4}|\d{6})(?:-(\d{2}|\d{4}|\d{6}))?$")


class HsRangeError(ValueError):
    """A range that does not parse; the message names it."""


@dataclass(frozen=True, order=True)
class HsRange:
    low: str
    high: str

    @property
    def digits(self) -> int:
        return len(self.low)

    def contains(self, code: str) -> bool:
        """True when `code` (2, 4 or 6 digits) lies inside, or when the range lies inside `code`."""
        n = min(self.digits, len(code))
        head = code[:n]
        return self.low[:n] <= head <= self.high[:n] if n < self.digits else self.low <= head <= self.high

    def __str__(self) -> str:
        return self.low if self.low == self.high else f"{self.low}-{self.high}"


def parse_range(spec: str) -> HsRange:
    text = str(spec).strip().replace(".", "").replace(" ", "")
    match = _SPEC.match(text)
    if not match:
        raise HsRangeError(f"not an HS prefix or range: {spec!r} (use 2, 4 or 6 digits, e.g. '0901' or '1801-1806')")
    low, high = match.group(1), match.group(2) or match.group(1)
    if len(low) != len(high):
        raise HsRangeError(f"both ends of {spec!r} must have the same number of digits")
    if low > high:
        raise HsRangeError(f"range {spec!r} runs backwards")
    return HsRange(low, high)


def parse_ranges(specs: Iterable[str]) -> list[HsRange]:
    return [parse_range(spec) for spec in specs]


def matches(ranges: Iterable[HsRange], code: str) -> bool:
    """Whether an HS code (2, 4 or 6 digits) overlaps any of the ranges."""
    return any(r.contains(code) for r in ranges)
