"""Deadlines and bounded reading for every attempt, whatever carries it.

httpx's timeouts are per operation: a server that trickles a byte a second never trips a read
timeout, so ``timeout`` alone does not bound a call. Each attempt gets a deadline (``timeout``
seconds from its start). A sync client's httpcore pool (its own ``OwnSyncConnections``, or a
caller's ``httpx.HTTPTransport``'s) applies it to every connect, write and read through
``DeadlineBackend``; async attempts run under ``asyncio.timeout``; a body whose size is not known
to be within ``max_response_bytes`` is read chunk by chunk through ``BodyReader``, the deadline
checked between chunks, which also bounds a caller's ``httpx.Client`` on any other transport.
"""

import contextlib
import ssl
import time
import typing
from collections.abc import Iterable, Mapping
from contextvars import ContextVar

import httpcore
import httpx
from httpx._transports.default import map_httpcore_exceptions

from ._responses import Answer, BodyReader, BodyTooLarge

__all__ = [
    "ATTEMPT_DEADLINE",
    "OwnSyncConnections",
    "attempt_seconds",
    "deadline_after",
    "read_async",
    "read_sync",
    "with_deadlines",
]

_NS = 1_000_000_000


def attempt_seconds(timeout: httpx.Timeout) -> float | None:
    """How long one attempt may take: the largest of the timeouts, or None when connect, write or read is
    unlimited."""
    limits = (timeout.connect, timeout.write, timeout.read)
    if any(limit is None for limit in limits):
        return None
    return max(limit for limit in (*limits, timeout.pool) if limit is not None)


ATTEMPT_DEADLINE: ContextVar[int | None] = ContextVar("binance_orderlist_attempt_deadline", default=None)
"""When the attempt this thread is making must end, in integer nanoseconds of the monotonic clock (None: no
limit); set by the sync client around each attempt, read by ``DeadlineBackend`` and ``read_sync``."""


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


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        limit = bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every operation's timeout cut to the current attempt's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        limit = bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, limit, local_address, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class OwnSyncConnections:
    """``SpotClient``'s own connections: the httpcore pool of an ``httpx.HTTPTransport`` (its TLS and pool
    settings), sent a prebuilt ``httpcore.Request`` as the transport would build it (the same bytes on the wire),
    with ``base_url``'s scheme, host, port and headers worked out once per client. A call then makes no
    ``httpx.Request`` (whose URL parse is the largest cost of one), no ``httpx.Response`` and no stream wrappers;
    httpcore's errors become httpx's exactly as the transport maps them."""

    def __init__(self, base_url: str, headers: Mapping[str, str], max_response_bytes: int) -> None:
        self._transport = httpx.HTTPTransport()
        with_deadlines(self._transport)
        self._pool = self._transport._pool
        url = httpx.URL(base_url)
        self._base_url_length = len(base_url)
        self._scheme, self._host, self._port = url.raw_scheme, url.raw_host, url.port
        self._path = url.raw_path.rstrip(b"/")
        self._headers = [(b"Host", url.netloc), *((name.encode(), value.encode()) for name, value in headers.items())]
        self._max_response_bytes = max_response_bytes

    def send(self, method: str, url: str, headers: Mapping[str, str], extensions: Mapping[str, typing.Any]) -> Answer:
        """``url`` is ``base_url`` followed by the path and the encoded, signed query; ``extensions`` holds the
        call's ``timeout`` as httpcore reads it."""
        try:
            response = self._pool.handle_request(
                httpcore.Request(
                    method.encode(),
                    httpcore.URL(
                        scheme=self._scheme,
                        host=self._host,
                        port=self._port,
                        target=self._path + url[self._base_url_length :].encode("ascii"),
                    ),
                    headers=[*self._headers, *((name.encode(), value.encode()) for name, value in headers.items())],
                    extensions=dict(extensions),
                )
            )
            try:
                return self._read(response)
            finally:
                response.close()
        except Exception as error:  # outside the except block below: only the httpx error's own cause is chained
            failure = error
        with map_httpcore_exceptions():  # raises the httpx error httpx.HTTPTransport would have raised
            raise failure

    def _read(self, response: httpcore.Response) -> Answer:
        headers = httpx.Headers(response.headers)
        reader = BodyReader(headers, self._max_response_bytes)
        if reader.plain_within_limit:  # every read stops at the deadline (DeadlineBackend)
            return Answer(response.status, headers, response.read())
        with contextlib.suppress(BodyTooLarge):
            for chunk in response.iter_stream():
                reader.feed(chunk)
                bounded(None, httpcore.ReadTimeout)
        return reader.answer(response.status, headers)

    def close(self) -> None:
        self._transport.close()


def with_deadlines(transport: httpx.BaseTransport) -> bool:
    """Puts ``DeadlineBackend`` under the pool of an ``httpx.HTTPTransport`` (httpx has no public parameter for
    it), the client's own or a caller's: outside the library's attempts it changes nothing. False for other
    transports, whose reads only the checks between body chunks bound."""
    if not isinstance(transport, httpx.HTTPTransport):
        return False
    pool = transport._pool
    if not isinstance(pool._network_backend, DeadlineBackend):
        pool._network_backend = DeadlineBackend(pool._network_backend)
    return True


def _reader(response: httpx.Response, max_response_bytes: int) -> BodyReader:
    """A reader for the body still to come, or for one a transport answered with in memory (``MockTransport``,
    already decoded)."""
    return BodyReader(response.headers, max_response_bytes, decoded=response.is_stream_consumed)


def read_sync(response: httpx.Response, max_response_bytes: int, *, reads_bounded: bool) -> Answer:
    """The whole answer, its body decoded and bounded, the attempt's deadline checked between chunks.
    ``reads_bounded``: every read already stops at the deadline (``DeadlineBackend``), so a plain body whose
    Content-Length is within the limit is read in one go, as httpx would."""
    reader = _reader(response, max_response_bytes)
    try:
        if reads_bounded and reader.plain_within_limit:
            response.read()
            return Answer.of(response)
        with contextlib.suppress(BodyTooLarge):
            for chunk in [response.content] if reader.decoded else response.iter_raw():
                reader.feed(chunk)
                bounded(None, httpx.ReadTimeout)
    finally:
        response.close()
    return reader.answer(response.status_code, response.headers)


async def read_async(response: httpx.Response, max_response_bytes: int) -> Answer:
    """``read_sync`` for an async response; the caller's ``asyncio.timeout`` is the deadline, so every read is
    bounded."""
    reader = _reader(response, max_response_bytes)
    try:
        if reader.plain_within_limit:
            await response.aread()
            return Answer.of(response)
        with contextlib.suppress(BodyTooLarge):
            if reader.decoded:
                reader.feed(response.content)
            else:
                async for chunk in response.aiter_raw():
                    reader.feed(chunk)
    finally:
        await response.aclose()
    return reader.answer(response.status_code, response.headers)
