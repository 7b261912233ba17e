"""read_body, the one bounded-read routine every transport feeds (``_async_reading``, and its sync twin)."""

import asyncio
import gzip
import itertools
from collections.abc import AsyncIterator, Iterable

import pytest
from binance_orderlist import _async_reading, _sync_reading
from binance_orderlist._responses import Answer, BodyReader
from hypothesis import given
from hypothesis import strategies as st

LIMIT = 64


def read_both(headers: dict[str, str], chunks: list[bytes], whole: bytes | None) -> list[Answer]:
    """The answer of the sync routine and of the async one, fed the same chunks."""

    async def async_chunks() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def async_whole() -> bytes:
        assert whole is not None
        return whole

    sync_answer = _sync_reading.read_body(
        BodyReader(headers, LIMIT), 200, headers, iter(chunks), None if whole is None else lambda: whole
    )
    async_answer = asyncio.run(
        _async_reading.read_body(
            BodyReader(headers, LIMIT), 200, headers, async_chunks(), None if whole is None else async_whole
        )
    )
    return [sync_answer, async_answer]


def split(body: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    return [body[start:end] for start, end in itertools.pairwise(points)]


def test_a_plain_body_within_its_content_length_is_read_at_once() -> None:
    headers = {"Content-Length": "5"}
    for answer in read_both(headers, [b"never", b" read"], whole=b"whole"):
        assert answer == Answer(200, headers, b"whole")


@given(body=st.binary(max_size=3 * LIMIT), cuts=st.lists(st.integers(min_value=0), max_size=5), gzipped=st.booleans())
def test_any_body_is_decoded_chunk_by_chunk_and_refused_past_the_limit(
    body: bytes, cuts: list[int], gzipped: bool
) -> None:
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    sent = gzip.compress(body) if gzipped else body
    for answer in read_both(headers, split(sent, cuts), whole=None):
        assert answer.refused is (len(body) > LIMIT)
        assert answer.content == (body[:LIMIT] if answer.refused else body)


@pytest.mark.parametrize("whole", [None, b"x" * (LIMIT + 1)])
def test_a_body_announced_too_large_is_refused_unread(whole: bytes | None) -> None:
    headers = {"Content-Length": str(LIMIT + 1)}
    for answer in read_both(headers, [b"x" * (LIMIT + 1)], whole):
        assert answer.refused
        assert answer.content == b""
