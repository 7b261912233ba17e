"""AsyncSpotClient's own connections through aiohttp, with no httpx objects on the way out.

httpx's async connection pool degrades with many requests in flight, and wrapping aiohttp in
httpx's request objects (httpx-aiohttp) costs about a third of a call. Here the signed URL goes to
aiohttp as it is, marked as encoded so that yarl does not re-quote the bytes that were signed;
the answer comes back as an ``Answer`` of aiohttp's own status, headers and body (no httpx objects);
aiohttp's errors become httpx's (``as_httpx_error``, also applied to a caller's httpx-aiohttp
transport), split the way the clients decide on retries: a request that was certainly not written
(nothing was sent) versus everything after it (the outcome is unknown).
Imported only when the ``aiohttp`` extra is installed, or when aiohttp raised.
"""

import math
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

import aiohttp
import httpx
import yarl

from ._async_reading import read_body
from ._attempts import Connecting, Timeouts, attempt_seconds
from ._logging import redact
from ._responses import Answer, BodyReader

__all__ = ["AiohttpSender", "SentThenLost", "as_httpx_error", "no_hidden_resend"]

_MMAP_PROBE_BYTES = 512 * 1024
"""Above asyncio's read size (256 KiB) and glibc's default mmap threshold (128 KiB)."""
_NOT_WRITTEN = "Cannot write to closing transport"
"""aiohttp's message when the connection was found closed before the request's first byte was written."""


class SentThenLost(aiohttp.ClientConnectionError):
    """A connection lost after the request was written to it (aiohttp's ``ServerDisconnectedError`` or
    ``ClientOSError``, its cause), raised as an error aiohttp's request loop does not retry."""


async def no_hidden_resend(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """An aiohttp client middleware (aiohttp >= 3.12) that stops aiohttp sending a request a second time.

    aiohttp re-sends an idempotent request (a DELETE is one), with the same signature, when a kept-alive
    connection is lost without an answer: its request loop catches ``ServerDisconnectedError`` and
    ``ClientOSError`` from the middleware chain and goes round again, and it has no public switch. Here
    those errors leave the chain as ``SentThenLost``, which the loop passes on. Connection errors raised
    before anything was written (``ClientConnectorError``, a connection found closing) pass unchanged, so
    the clients' own retries still send those again, freshly signed. Required on the aiohttp session of a
    caller's httpx-aiohttp transport (README).
    """
    try:
        return await handler(request)
    except aiohttp.ClientConnectorError:  # not connected: aiohttp does not retry these, nothing was sent
        raise
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as error:
        raise SentThenLost(*error.args) from error


def as_httpx_error(error: Exception) -> httpx.HTTPError:
    """aiohttp's error as the httpx error the clients classify, with signatures redacted from its message and
    nothing chained (aiohttp's own errors carry the signed URL)."""
    if isinstance(error, SentThenLost) and isinstance(error.__cause__, Exception):
        error = error.__cause__
    message = redact(str(error)) or type(error).__name__
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(error, aiohttp.ClientConnectorError) or (
        isinstance(error, aiohttp.ClientConnectionResetError) and str(error) == _NOT_WRITTEN
    ):
        return httpx.ConnectError(message)
    if isinstance(error, TimeoutError):
        return httpx.ReadTimeout(message)
    return httpx.ReadError(f"{type(error).__name__}: {message}")


_CONNECTING: ContextVar[Connecting | None] = ContextVar("binance_orderlist_connecting", default=None)
"""The ``Connecting`` of the attempt the running task is sending."""


class _MarkingConnector(aiohttp.TCPConnector):
    """aiohttp's TCP connector, which marks the attempt's ``Connecting`` once it has a connection (new or kept alive).
    A ``TraceConfig`` could tell the same, but with one aiohttp builds and sends every trace event of every request."""

    async def connect(self, *args: Any, **kwargs: Any) -> aiohttp.connector.Connection:
        connection = await super().connect(*args, **kwargs)
        connecting = _CONNECTING.get()
        if connecting is not None:
            connecting.still = False
        return connection


class AiohttpSender:
    """One aiohttp session, opened on first use inside the running event loop, closed by ``aclose()``."""

    def __init__(self, headers: Mapping[str, str], timeout: Timeouts, max_response_bytes: int) -> None:
        self._headers = dict(headers)
        self._timeouts = timeout
        self._timeout = _client_timeout(timeout)
        self._max_response_bytes = max_response_bytes
        self._session: aiohttp.ClientSession | None = None

    async def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        call_timeout: Timeouts | None = None,
        connecting: Connecting | None = None,
    ) -> Answer:
        """``call_timeout`` is this call's, when it is not the client's; ``connecting`` learns when the request has
        a connection."""
        timeout = self._timeout
        if call_timeout is not None and call_timeout != self._timeouts:
            timeout = _client_timeout(call_timeout)
        if self._session is None:
            _raise_mmap_threshold()
            self._session = aiohttp.ClientSession(
                connector=_MarkingConnector(),
                headers=self._headers,
                auto_decompress=False,
                middlewares=(no_hidden_resend,),
            )
        marking = _CONNECTING.set(connecting)
        try:
            async with self._session.request(
                method, yarl.URL(url, encoded=True), headers=headers, allow_redirects=False, timeout=timeout
            ) as answer:
                try:
                    # The body arrives as the headers say it is encoded (auto_decompress=False): BodyReader decodes
                    # it, bounded; a plain body is read whole, held to its Content-Length.
                    reader, content = BodyReader(answer.headers, self._max_response_bytes), answer.content
                    return await read_body(reader, answer.status, answer.headers, content.iter_any(), content.read)
                finally:
                    del answer  # its repr names the signed URL: not left in this frame for a traceback to record
        except (aiohttp.ClientError, TimeoutError) as error:
            failure = as_httpx_error(error)  # a deadline met while ``connecting.still``: the client's ConnectTimeout
        finally:
            _CONNECTING.reset(marking)
        raise failure  # outside the except block: aiohttp's error is not chained

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _raise_mmap_threshold() -> None:
    """Frees one mmapped 512 KiB block, so that glibc raises its dynamic mmap threshold above it (mallopt(3),
    M_MMAP_THRESHOLD): asyncio's 256 KiB socket reads then come from the heap instead of costing an mmap, an mremap
    and a munmap per response. Process-wide and lasting; no effect where MALLOC_MMAP_THRESHOLD_ set the threshold
    or on other allocators."""
    bytearray(_MMAP_PROBE_BYTES)


def _client_timeout(timeout: Timeouts) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for one attempt. ``total`` is the attempt's deadline (``attempt_seconds``): aiohttp's one
    timer bounds the connection, the request and the body's reads (an ``asyncio.timeout`` around it would arm a
    second timer per request), to the exact instant (``ceil_threshold``: aiohttp would otherwise round a deadline
    over 5 s up to a whole second). aiohttp re-arms its ``sock_read`` timer on every read: when the read timeout is
    that whole deadline (a float ``timeout``: every part the same), ``total`` already ends any read that long, with
    the same outcome (``ReadTimeout``), so no read timer is armed. Connect timeouts stay aiohttp's: they tell a
    request that was never sent."""
    total = attempt_seconds(timeout)
    read = None if timeout.read is not None and timeout.read == total else timeout.read
    return aiohttp.ClientTimeout(
        total=total, connect=timeout.pool, sock_connect=timeout.connect, sock_read=read, ceil_threshold=math.inf
    )
