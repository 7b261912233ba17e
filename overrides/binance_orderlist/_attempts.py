"""Deadlines and bounded reading for every attempt, whatever carries it.

httpx's timeouts are per operation: a server that trickles a byte a second never trips a read
timeout, so ``timeout`` alone does not bound a call. Each attempt gets a deadline (``timeout``
seconds from its start). The sync client's own httpcore pool applies it to every connect, write and
read through ``DeadlineBackend`` (``_own_connections``, imported with the first sync client: nothing
needs httpcore before); async attempts run under ``asyncio.timeout``, or on the async client's own aiohttp
session under aiohttp's ``total`` timeout set to the same deadline (``_aiohttp``). A caller's ``httpx.Client`` is
only sent requests through its public ``send()``, never changed: there the deadline is checked between
body chunks (``within_deadline``), while connecting, writing and reading the head are bounded by the call's
timeout per operation, as httpx applies it. A body whose size is not known to be within
``max_response_bytes`` is read chunk by chunk through ``BodyReader`` (``read_body``, one routine for every
transport)."""

import time
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _async_reading as async_reading
from . import _sync_reading as sync_reading
from ._responses import Answer, BodyReader

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ATTEMPT_DEADLINE",
    "Connecting",
    "Timeouts",
    "attempt_seconds",
    "bounded",
    "deadline_after",
    "read_async",
    "read_sync",
    "within_deadline",
]

_NS = 1_000_000_000


class Timeouts(NamedTuple):
    """A call's timeouts as ``httpx.Timeout`` holds them (seconds, None: no limit), without importing httpx: the
    sync client's own connections never need it."""

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None

    def as_dict(self) -> dict[str, float | None]:
        """As ``httpx.Timeout.as_dict()``: what httpcore's ``timeout`` extension and ``httpx.Timeout(**...)`` take."""
        return {"connect": self.connect, "read": self.read, "write": self.write, "pool": self.pool}


def attempt_seconds(timeout: Timeouts) -> float | None:
    """How long one attempt may take: the largest of the timeouts, or None when connect, write or read is
    unlimited."""
    limits = (timeout.connect, timeout.write, timeout.read)
    if any(limit is None for limit in limits):
        return None
    return max(limit for limit in (*limits, timeout.pool) if limit is not None)


ATTEMPT_DEADLINE: ContextVar[int | None] = ContextVar("binance_orderlist_attempt_deadline", default=None)
"""When the attempt this thread is making must end, in integer nanoseconds of the monotonic clock (None: no
limit); set by the sync client around each attempt, read by ``DeadlineBackend`` and ``within_deadline``."""


def deadline_after(seconds: float | None) -> int | None:
    return None if seconds is None else time.monotonic_ns() + int(seconds * _NS)


def bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` cut to what is left of the current attempt; raises ``expired`` when nothing is left."""
    deadline_ns = ATTEMPT_DEADLINE.get()
    if deadline_ns is None:
        return timeout
    left_ns = deadline_ns - time.monotonic_ns()
    if left_ns <= 0:
        raise expired("the attempt took longer than its timeout")
    return left_ns / _NS if timeout is None else min(timeout, left_ns / _NS)


class Connecting:
    """Whether an async attempt is still getting its connection (resolving, connecting, TLS handshake): until it has
    one, no byte of the request was written. The attempt's deadline (as long as the connect timeout, or longer)
    would otherwise turn a connect that never ends into an outcome unknown. Told by our aiohttp connector
    (``_aiohttp``; ``still`` from the start, until it has one), or by httpcore's ``trace`` request extension
    through an ``httpx.AsyncClient``'s public ``send()`` (``still`` only while httpcore reports connecting): a
    transport that reports nothing (a caller's ``MockTransport``, httpx-aiohttp's) leaves every timeout
    unknown."""

    __slots__ = ("still",)

    def __init__(self, *, still: bool) -> None:
        self.still = still

    async def httpcore_trace(self, event_name: str, info: Mapping[str, Any]) -> None:
        """httpcore's events: ``connection.*`` while connecting, then ``http11.*``/``http2.*`` (or a proxy's)."""
        self.still = event_name.startswith("connection.")


def within_deadline(chunks: Iterable[bytes], expired: type[Exception]) -> Iterator[bytes]:
    """``chunks``, the attempt's deadline checked after each: a reader whose reads are bounded only per read (a
    caller's ``httpx.Client``) cannot trickle past it."""
    for chunk in chunks:
        yield chunk
        bounded(None, expired)


def _reader(response: "httpx.Response", max_response_bytes: int) -> BodyReader:
    """A reader for the body still to come, or for one a transport answered with in memory (``MockTransport``,
    already decoded)."""
    return BodyReader(response.headers, max_response_bytes, decoded=response.is_stream_consumed)


def read_sync(response: "httpx.Response", max_response_bytes: int) -> Answer:
    """The whole answer of a caller's ``httpx.Client``, its body decoded and bounded, chunk by chunk: the attempt's
    deadline is checked between chunks (the client's reads are bounded only by its own per-read timeouts)."""
    import httpx

    reader = _reader(response, max_response_bytes)
    chunks = response.iter_bytes() if reader.decoded else within_deadline(response.iter_raw(), httpx.ReadTimeout)
    try:
        return sync_reading.read_body(reader, response.status_code, response.headers, chunks)
    finally:
        response.close()


async def read_async(response: "httpx.Response", max_response_bytes: int) -> Answer:
    """``read_sync`` for an async response; the caller's ``asyncio.timeout`` is the deadline, so every read is
    bounded and a plain body within the limit is read at once."""
    reader = _reader(response, max_response_bytes)
    chunks = response.aiter_bytes() if reader.decoded else response.aiter_raw()
    try:
        return await async_reading.read_body(reader, response.status_code, response.headers, chunks, response.aread)
    finally:
        await response.aclose()
