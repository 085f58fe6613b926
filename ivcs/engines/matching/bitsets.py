"""Name registries and uint64 bitsets: sets of names (schemes, sectors, countries, languages) as rows of
uint64 words, so that "shares a sector" or "holds one of the asked schemes" is an AND over a few words
per row, vectorised over millions of rows."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

WordArray = npt.NDArray[np.uint64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Registry:
    """Names -> dense bit numbers, assigned in order of first sight (never reused)."""

    def __init__(self) -> None:
        self._bit: dict[str, int] = {}
        self.names: list[str] = []
        self._decoded: dict[tuple[int, ...], list[str]] = {}

    def __len__(self) -> int:
        return len(self.names)

    @property
    def words(self) -> int:
        return max(1, (len(self.names) + 63) // 64)

    def add(self, name: str) -> int:
        bit = self._bit.get(name)
        if bit is None:
            bit = len(self.names)
            self._bit[name] = bit
            self.names.append(name)
        return bit

    def get(self, name: str | None) -> int:
        """The bit of `name`, -1 when unknown or None."""
        if name is None:
            return -1
        return self._bit.get(name, -1)

    def mask(self, names: Iterable[str]) -> int:
        """A Python int with the bits of `names` set (names are registered)."""
        value = 0
        for name in names:
            value |= 1 << self.add(name)
        return value

    def decode(self, words: npt.NDArray[np.uint64] | tuple[int, ...]) -> list[str]:
        """The names whose bits are set in one row of words (memoised: bits never change meaning)."""
        key = tuple(words.tolist()) if isinstance(words, np.ndarray) else words
        cached = self._decoded.get(key)
        if cached is not None:
            return cached
        out = []
        for w, word in enumerate(key):
            while word:
                low = word & -word
                out.append(self.names[64 * w + low.bit_length() - 1])
                word ^= low
        if len(self._decoded) > 100_000:
            self._decoded.clear()
        self._decoded[key] = out
        return out


def to_words(value: int, width: int) -> list[int]:
    return [(value >> (64 * w)) & 0xFFFFFFFFFFFFFFFF for w in range(width)]


def has_bit(bits: WordArray, index: IntArray) -> BoolArray:
    """Row-wise test of bit `index` in `bits` (rows broadcast: one of the two may have length 1);
    index -1 (unknown) or beyond the width is False."""
    width = bits.shape[1]
    word = index >> 6
    valid = (index >= 0) & (word < width)
    safe_word = np.where(valid, word, 0)
    shift = (np.where(valid, index, 0) & 63).astype(np.uint64)
    if len(bits) == 1:
        picked = bits[0, safe_word]
    elif len(index) == 1:
        picked = bits[:, int(safe_word[0])]
    else:
        picked = bits[np.arange(len(bits)), safe_word]
    out: BoolArray = valid & (((picked >> shift) & np.uint64(1)) != 0)
    return out


def nonzero_words(bits: WordArray) -> IntArray:
    """Indices of the words that are non-zero in any row (to AND only those)."""
    return np.flatnonzero(bits.reshape(-1, bits.shape[-1]).any(axis=0)).astype(np.int64)
