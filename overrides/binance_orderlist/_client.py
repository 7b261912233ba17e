"""SpotClient and AsyncSpotClient: the few lines of I/O that differ between them, and nothing else.

Both share ``_client_base`` (options, validation, signing, outcomes) and one request path written once for async
(``_async_request_path``; ``scripts/unasync.py`` writes the sync twin ``_sync_request_path``). Here each client
opens its connections (``_lifecycle`` says which an attempt may use), sends one attempt on them, waits, and holds
its clock-resync lock. The sync client's own connections are an httpcore pool (``_own_connections``); the async
client's aiohttp's when the extra is installed (``_aiohttp``); a caller's ``http_client`` is sent one prebuilt
``httpx.Request`` through its public ``send()`` and never changed. ``asyncio`` is imported by the async client's
first attempt, not with the package: sync users need not pay for importing it.
"""

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from binance_orderlist_api.facade import AsyncOperations, SyncOperations

from ._async_request_path import AsyncRequestPath
from ._attempts import ATTEMPT_DEADLINE, Connecting, deadline_after, read_async, read_sync
from ._client_base import _Call
from ._failover import PerBaseUrl
from ._lifecycle import AsyncConnections, LoopConnections, SyncConnections
from ._responses import Answer
from ._sync_request_path import SyncRequestPath

if TYPE_CHECKING:
    import asyncio

    import httpx

    from ._aiohttp import AiohttpSender
    from ._own_connections import OwnSyncConnections

__all__ = ["AsyncSpotClient", "SpotClient"]


class SpotClient(SyncRequestPath["httpx.Client", "PerBaseUrl[OwnSyncConnections]"], SyncOperations):
    """Synchronous client. Use it as a context manager, or call ``close()``.

    One method per operation of openapi.yaml (generated, e.g. ``cancel_order_list``, ``get_server_time``),
    each with per-call ``timeout=`` and ``max_retries=``.
    """

    _connections: "SyncConnections[PerBaseUrl[OwnSyncConnections] | httpx.Client]"

    def _new_connections(
        self, http_client: "httpx.Client | None"
    ) -> "SyncConnections[PerBaseUrl[OwnSyncConnections] | httpx.Client]":
        return SyncConnections(http_client, self._new_sender)

    def _new_sender(self) -> "PerBaseUrl[OwnSyncConnections]":
        """The client's own connections, one pool per base URL: made with the client, and again in a forked child
        (where each base URL's pool is opened anew on first use)."""
        from ._own_connections import OwnSyncConnections  # httpcore: imported with the first sync client

        headers, max_response_bytes = self._headers, self._max_response_bytes
        return PerBaseUrl(lambda base_url: OwnSyncConnections(base_url, headers, max_response_bytes))

    def _send(self, call: _Call) -> Answer:
        sender = self._connections.sender(self._lifetime)
        # The client's own connections to this base URL, else the caller's httpx.Client; opened before the attempt,
        # so that a pool that cannot be set up (CA certificates that do not load) is not taken for a lost answer.
        own = sender.to(call.base_url) if isinstance(sender, PerBaseUrl) else None
        deadline = ATTEMPT_DEADLINE.set(deadline_after(call.attempt_seconds))
        try:
            if own is not None:
                return own.send(call.method, self._url(call), call.headers, call.extensions)
            assert not isinstance(sender, PerBaseUrl)
            response = sender.send(self._http_request(call), stream=True, follow_redirects=False)
            return read_sync(response, self._max_response_bytes)
        except Exception as error:  # every failure becomes a BinanceError
            failure = self._transport_error(call, error)
        finally:
            ATTEMPT_DEADLINE.reset(deadline)
        raise failure  # outside the except block: only the cause _transport_error chose is chained

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _resync_lock(self) -> threading.Lock:
        return self._connections.resync_lock


class AsyncSpotClient(AsyncRequestPath["httpx.AsyncClient", "AiohttpSender"], AsyncOperations):
    """Asynchronous client with the same options and rules as ``SpotClient``. Use ``async with`` or ``aclose()``.

    Its own connections are aiohttp's when the ``aiohttp`` extra is installed (``_aiohttp``; see bench/RESULTS.md
    for why), else an ``httpx.AsyncClient``'s.
    """

    _connections: "AsyncConnections[httpx.AsyncClient | AiohttpSender]"

    def _new_connections(
        self, http_client: "httpx.AsyncClient | None"
    ) -> "AsyncConnections[httpx.AsyncClient | AiohttpSender]":
        return AsyncConnections(http_client, self._sender_opener())

    def _sender_opener(self) -> "Callable[[], httpx.AsyncClient | AiohttpSender]":
        """What opens the client's connections on each event loop: aiohttp's when the extra is installed."""
        try:
            from ._aiohttp import AiohttpSender  # optional: the aiohttp extra
        except ImportError:
            import httpx

            return lambda: httpx.AsyncClient(timeout=httpx.Timeout(**self._timeout.as_dict()))
        return lambda: AiohttpSender(self._headers, self._timeout, self._max_response_bytes)

    async def _send(self, call: _Call) -> Answer:
        import asyncio  # the first async attempt imports them (this module's docstring says why)

        import httpx

        sender = (await self._on_running_loop()).sender
        connecting = Connecting(still=not isinstance(sender, httpx.AsyncClient))
        failure: BaseException
        try:
            if isinstance(sender, httpx.AsyncClient):
                async with asyncio.timeout(call.attempt_seconds):
                    request = self._http_request(call, connecting)
                    response = await sender.send(request, stream=True, follow_redirects=False)
                    return await read_async(response, self._max_response_bytes)
            # aiohttp's own timer bounds the whole attempt, to the same deadline (``_aiohttp._client_timeout``)
            return await sender.send(call.method, self._url(call), call.headers, call.timeout, connecting)
        except Exception as error:  # every failure becomes a BinanceError
            # The deadline met before a connection (asyncio's timeout, or aiohttp's as an httpx timeout): nothing sent.
            if connecting.still and isinstance(error, TimeoutError | httpx.TimeoutException):
                error = httpx.ConnectTimeout(f"no connection to {call.base_url} within the attempt's timeout")
            failure = self._transport_error(call, error)
        except asyncio.CancelledError as cancelled:  # the caller's cancel or timeout, raised inside the transport
            # A new one with the same message, raised from this frame: the one raised inside the transport carries
            # frames (aiohttp's, httpcore's) whose locals hold the signed URL, and error reporters record them.
            failure = asyncio.CancelledError(*cancelled.args)
        raise failure  # outside the except block: only the cause _transport_error chose is chained

    async def _sleep(self, seconds: float) -> None:
        import asyncio  # as in _send

        await asyncio.sleep(seconds)

    async def _resync_lock(self) -> "asyncio.Lock":
        return (await self._on_running_loop()).resync_lock

    async def _on_running_loop(self) -> "LoopConnections[httpx.AsyncClient | AiohttpSender]":
        """The connections of the running event loop this client may use (``_lifecycle``); they are opened on
        first use, and nothing is sent when there are none."""
        connections = self._connections
        return connections.on_running_loop(self._lifetime) or await connections.open_on_running_loop(self._lifetime)
