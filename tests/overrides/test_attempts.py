"""The attempt's deadline (``_attempts``): how long an attempt may take, the time left of it, and the connection
trace that tells a connect from a request already written. No test waits for a deadline: they are set already
passed or far ahead, in integer nanoseconds."""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from binance_orderlist._attempts import (
    ATTEMPT_DEADLINE,
    Connecting,
    Timeouts,
    attempt_seconds,
    bounded,
    deadline_after,
    within_deadline,
)
from binance_orderlist._client_base import _timeout
from hypothesis import given
from hypothesis import strategies as st

from ..ports import refused_port
from ..reliability.hostile import hostile, respond

NS = 1_000_000_000
FAR_NS = 10**6 * NS
"""A deadline this far ahead (11 days) is not reached by any test, however busy the machine."""
limits = st.none() | st.integers(min_value=1, max_value=10**6).map(lambda millis: millis / 1000)
seconds = st.integers(min_value=1, max_value=10**8).map(lambda millis: millis / 1000)


class Expired(Exception):
    """Stands for the transport's timeout error, which ``bounded`` and ``within_deadline`` are told to raise."""


@contextmanager
def deadline(at_ns: int | None) -> Iterator[None]:
    """The current attempt's deadline, as the sync client sets it around each attempt."""
    token = ATTEMPT_DEADLINE.set(at_ns)
    try:
        yield
    finally:
        ATTEMPT_DEADLINE.reset(token)


@given(connect=limits, read=limits, write=limits, pool=limits)
def test_an_attempt_may_take_the_largest_timeout_and_is_unbounded_if_an_operation_is(
    connect: float | None, read: float | None, write: float | None, pool: float | None
) -> None:
    limit = attempt_seconds(Timeouts(connect=connect, read=read, write=write, pool=pool))
    if None in (connect, read, write):
        assert limit is None
    else:
        assert limit == max(value for value in (connect, read, write, pool) if value is not None)


def test_a_float_timeout_is_one_attempt_s_whole_limit() -> None:
    assert attempt_seconds(_timeout(7.5)) == 7.5
    assert attempt_seconds(_timeout(httpx.Timeout(7.5))) == 7.5
    assert attempt_seconds(_timeout(None)) is None


@given(limit=seconds)
def test_a_deadline_is_the_limit_after_now_in_integer_nanoseconds(limit: float) -> None:
    before_ns = time.monotonic_ns()
    at_ns = deadline_after(limit)
    after_ns = time.monotonic_ns()
    assert isinstance(at_ns, int)
    assert before_ns + int(limit * NS) <= at_ns <= after_ns + int(limit * NS)
    assert deadline_after(None) is None


@given(timeout=st.none() | seconds)
def test_without_a_deadline_a_timeout_is_left_as_it_is(timeout: float | None) -> None:
    with deadline(None):
        assert bounded(timeout, Expired) == timeout


@given(timeout=seconds)
def test_a_timeout_shorter_than_what_is_left_is_kept(timeout: float) -> None:
    with deadline(time.monotonic_ns() + FAR_NS):
        assert bounded(timeout, Expired) == timeout


@given(left_ns=st.integers(min_value=NS, max_value=FAR_NS), timeout=st.none() | seconds)
def test_an_operation_never_outlasts_the_attempt(left_ns: int, timeout: float | None) -> None:
    """What is left is the limit when it is shorter than the operation's own timeout, or when it has none."""
    set_at_ns = time.monotonic_ns()
    with deadline(set_at_ns + left_ns):
        limit = bounded(timeout, Expired)
    assert limit is not None
    assert 0 < limit <= left_ns / NS
    if timeout is not None:
        assert limit <= timeout


@given(overdue_ns=st.integers(min_value=0, max_value=FAR_NS))
def test_an_operation_past_the_deadline_raises_the_error_it_is_given(overdue_ns: int) -> None:
    with deadline(time.monotonic_ns() - overdue_ns), pytest.raises(Expired, match="longer than its timeout"):
        bounded(10.0, Expired)


@given(chunks=st.lists(st.binary(min_size=1), max_size=5))
def test_chunks_within_the_deadline_pass_unchanged(chunks: list[bytes]) -> None:
    with deadline(time.monotonic_ns() + FAR_NS):
        assert list(within_deadline(chunks, Expired)) == chunks
    with deadline(None):
        assert list(within_deadline(chunks, Expired)) == chunks


def test_a_trickling_body_stops_at_the_first_chunk_past_the_deadline() -> None:
    """The check comes after each chunk: an endless trickle is cut after the chunk that arrived too late."""

    def endless() -> Iterator[bytes]:
        while True:
            yield b"x"

    with deadline(time.monotonic_ns() - 1):
        chunks = within_deadline(endless(), Expired)
        assert next(chunks) == b"x"
        with pytest.raises(Expired):
            next(chunks)


@given(events=st.lists(st.sampled_from(["connection.connect_tcp", "connection.start_tls", "http11.send", "http2.x"])))
def test_an_attempt_is_connecting_exactly_while_httpcore_reports_connection_events(events: list[str]) -> None:
    connecting = Connecting(still=True)
    for event in events:
        asyncio.run(connecting.httpcore_trace(f"{event}.started", {}))
    assert connecting.still is (events[-1].startswith("connection.") if events else True)


async def test_httpcore_s_own_trace_tells_a_refused_connect_from_a_request_that_was_answered() -> None:
    """Against real sockets on 127.0.0.1: httpcore's events are the ones ``Connecting`` reads."""
    async with httpx.AsyncClient() as http:
        refused = Connecting(still=False)
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{refused_port()}/", extensions={"trace": refused.httpcore_trace})
        assert refused.still
        with hostile(respond()) as server:
            answered = Connecting(still=True)
            response = await http.get(server.base_url, extensions={"trace": answered.httpcore_trace})
        assert (response.status_code, answered.still) == (200, False)
