"""Every way a caller can send through the library, behind one synchronous driver for the hostile-server tests
(calling through ``tests/harness.py``).

``PATHS`` names them: the sync client on its own transport and through a caller's ``httpx.Client``; the
async client on its own aiohttp session (the extra), on its own ``httpx.AsyncClient`` (without the extra),
and through a caller's ``httpx.AsyncClient`` with httpx's and with httpx-aiohttp's transport (its session with
``no_hidden_resend``, as the README requires). Caller
clients follow redirects, as a careless caller's might. Async paths run on one event loop per driver
(``asyncio.Runner``), so keep-alive connections are reused from one call to the next.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, overload

import aiohttp
import httpx
import httpx_aiohttp
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, HmacSigner, SpotClient, no_hidden_resend
from binance_orderlist.errors import BinanceError

from ..harness import async_client_without_aiohttp, call

Result = TypeVar("Result")
SYNC_PATHS = ("sync", "sync, caller's httpx.Client")
ASYNC_PATHS = (
    "async, own aiohttp",
    "async, own httpx (no aiohttp extra)",
    "async, caller's httpx.AsyncClient",
    "async, caller's httpx-aiohttp",
)
PATHS = SYNC_PATHS + ASYNC_PATHS
AIOHTTP_PATHS = ("async, own aiohttp", "async, caller's httpx-aiohttp")
API_KEY = "hostile-test-key"
SECRET = "hostile-test-secret"


class Driver:
    """One client on one path, called synchronously: ``cancel()`` returns the result or the BinanceError."""

    def __init__(self, path: str, base_url: str | Sequence[str], **options: Any) -> None:
        self.path = path
        self._runner = None if path in SYNC_PATHS else asyncio.Runner()
        self.client, self.http_client = make_client(path, base_url, **options)
        """The caller's ``http_client`` the client was given (None on its own connections); closed by ``close()``."""

    @overload
    def run(self, action: Callable[[Any], Awaitable[Result]]) -> Result: ...
    @overload
    def run(self, action: Callable[[Any], Result]) -> Result: ...
    def run(self, action: Callable[[Any], Result | Awaitable[Result]]) -> Result:
        """``action(client)``, awaited on the driver's event loop for an async client."""
        outcome = action(self.client)
        if self._runner is None:
            return outcome  # type: ignore[return-value]
        return self._runner.run(outcome)  # type: ignore[arg-type]

    def cancel(self, **given: Any) -> CancelOrderListResponse | BinanceError:
        arguments = {"symbol": "LTCBTC", "order_list_id": 0, **given}
        try:
            result: CancelOrderListResponse = call(self.client, "cancel_order_list", on=self._runner, **arguments)
        except BinanceError as error:
            return error
        return result

    def close(self) -> None:
        if isinstance(self.client, SpotClient):
            self.client.close()
            if isinstance(self.http_client, httpx.Client):
                self.http_client.close()
            return
        assert self._runner is not None
        self._runner.run(self.client.aclose())
        if isinstance(self.http_client, httpx.AsyncClient):
            self._runner.run(self.http_client.aclose())
        self._runner.close()


def safe_aiohttp_transport() -> httpx_aiohttp.AiohttpTransport:
    """httpx-aiohttp's transport as the README says to build it for the library: its aiohttp session with the
    ``no_hidden_resend`` middleware (made on first use, inside the event loop)."""
    return httpx_aiohttp.AiohttpTransport(client=lambda: aiohttp.ClientSession(middlewares=[no_hidden_resend]))


def make_client(
    path: str, base_url: str | Sequence[str], **options: Any
) -> tuple[SpotClient | AsyncSpotClient, httpx.Client | httpx.AsyncClient | None]:
    """The client of ``path``, and the caller's ``http_client`` it was given (None for its own connections)."""
    settings = {"api_key": API_KEY, "signer": HmacSigner(SECRET), "base_url": base_url, **options}
    if path == "sync":
        return SpotClient(**settings), None
    if path == "sync, caller's httpx.Client":
        sync_http = httpx.Client(follow_redirects=True)
        return SpotClient(**settings, http_client=sync_http), sync_http
    if path == "async, own aiohttp":
        return AsyncSpotClient(**settings), None
    if path == "async, own httpx (no aiohttp extra)":
        return async_client_without_aiohttp(**settings), None
    if path == "async, caller's httpx.AsyncClient":
        http = httpx.AsyncClient(follow_redirects=True)
        return AsyncSpotClient(**settings, http_client=http), http
    assert path == "async, caller's httpx-aiohttp", path
    http = httpx.AsyncClient(transport=safe_aiohttp_transport(), follow_redirects=True)
    return AsyncSpotClient(**settings, http_client=http), http


@contextmanager
def driving(path: str, base_url: str | Sequence[str], **options: Any) -> Iterator[Driver]:
    driver = Driver(path, base_url, **options)
    try:
        yield driver
    finally:
        driver.close()
