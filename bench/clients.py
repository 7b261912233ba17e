"""One adapter per measured client: build it pointed at the bench server, and make one verified cancel.

Each adapter returns ``call`` (sends ``DELETE /api/v3/orderList`` for symbol LTCBTC, order list 0,
and returns True only if the client parsed the response and it is the expected order list) and
``close``. Libraries are imported inside the adapters: this module runs in the peers' own venvs too,
where only the stdlib and that one peer are installed. Baselines sign by hand, the way a careful
hand-written client would: one HMAC over the query, the API key set once on the connection.
"""

import hashlib
import hmac
import json
import os
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # only the project's venvs have these; the peers' venvs run this module too
    import httpx

SYMBOL = "LTCBTC"
ORDER_LIST_ID = 0
PATH = "/api/v3/orderList"
HTTP_OK = 200
REPORTS_PER_LIST = 2  # the seed document's OCO list has two orders

SyncCall = Callable[[], bool]
AsyncCall = Callable[[], Awaitable[bool]]
SyncAdapter = tuple[SyncCall, Callable[[], None]]
AsyncAdapter = tuple[AsyncCall, Callable[[], Awaitable[None]]]


def credentials() -> tuple[str, str]:
    """The benchmark's own API key and secret (``BENCH_API_KEY``, ``BENCH_API_SECRET``), shared with the server."""
    return (
        os.environ.get("BENCH_API_KEY", "bench-api-key-0123456789abcdef"),
        os.environ.get("BENCH_API_SECRET", "bench-secret-0123456789abcdef0123456789abcdef"),
    )


class Settings:
    """Where the bench server listens and the credentials it accepts."""

    def __init__(self, base_url: str, api_key: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.secret = secret
        split = urlsplit(self.base_url)
        self.host = split.hostname or "127.0.0.1"
        self.port = split.port or 80

    @classmethod
    def for_server(cls, base_url: str) -> "Settings":
        return cls(base_url, *credentials())


class HandSigner:
    """The baselines' signing: build the query, append timestamp and the HMAC-SHA256 hex signature."""

    def __init__(self, secret: str) -> None:
        self._mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)

    def signed_query(self) -> str:
        query = f"symbol={SYMBOL}&orderListId={ORDER_LIST_ID}&timestamp={time.time_ns() // 1_000_000}"
        mac = self._mac.copy()
        mac.update(query.encode())
        return f"{query}&signature={mac.hexdigest()}"


def is_expected(body: dict[str, Any]) -> bool:
    """The raw clients' check that a parsed body is the cancelled list (the typed clients check more)."""
    return body["orderListId"] == ORDER_LIST_ID and len(body["orderReports"]) == REPORTS_PER_LIST


# ---- sync ------------------------------------------------------------------------------------------------------


def sync_ours(settings: Settings, http_client: "httpx.Client | None" = None) -> SyncAdapter:
    """``SpotClient`` on its own transport, or on a caller-supplied ``httpx.Client``."""
    from binance_orderlist import HmacSigner, SpotClient

    client = SpotClient(
        api_key=settings.api_key,
        signer=HmacSigner(settings.secret),
        base_url=settings.base_url,
        http_client=http_client,
    )

    def call() -> bool:
        cancelled = client.cancel_order_list(symbol=SYMBOL, order_list_id=ORDER_LIST_ID)
        return cancelled.order_list_id == ORDER_LIST_ID and len(cancelled.order_reports) == REPORTS_PER_LIST

    def close() -> None:
        client.close()
        if http_client is not None:
            http_client.close()

    return call, close


def sync_ours_httpx(settings: Settings) -> SyncAdapter:
    import httpx

    return sync_ours(settings, httpx.Client())


def sync_httpx(settings: Settings) -> SyncAdapter:
    import httpx

    client = httpx.Client(headers={"X-MBX-APIKEY": settings.api_key})
    signer = HandSigner(settings.secret)
    url = settings.base_url + PATH + "?"

    def call() -> bool:
        response = client.delete(url + signer.signed_query())
        return response.status_code == HTTP_OK and is_expected(json.loads(response.content))

    return call, client.close


def sync_http_client(settings: Settings) -> SyncAdapter:
    import http.client

    connection = http.client.HTTPConnection(settings.host, settings.port)
    headers = {"X-MBX-APIKEY": settings.api_key}
    signer = HandSigner(settings.secret)

    def call() -> bool:
        connection.request("DELETE", PATH + "?" + signer.signed_query(), headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status == HTTP_OK and is_expected(json.loads(body))

    return call, connection.close


def sync_binance_sdk_spot(settings: Settings) -> SyncAdapter:
    from binance_common.configuration import ConfigurationRestAPI  # type: ignore[import-not-found]
    from binance_sdk_spot.spot import Spot  # type: ignore[import-not-found]

    configuration = ConfigurationRestAPI(
        api_key=settings.api_key, api_secret=settings.secret, base_path=settings.base_url, retries=0
    )
    client = Spot(config_rest_api=configuration)

    def call() -> bool:
        cancelled = client.rest_api.delete_order_list(symbol=SYMBOL, order_list_id=ORDER_LIST_ID).data()
        return bool(cancelled.order_list_id == ORDER_LIST_ID and len(cancelled.order_reports) == REPORTS_PER_LIST)

    return call, lambda: None


def sync_python_binance(settings: Settings) -> SyncAdapter:
    from binance.client import Client  # type: ignore[import-not-found]

    client = Client(settings.api_key, settings.secret, ping=False)
    # python-binance has no spot cancel-order-list method; _delete is what its own methods call.
    client.API_URL = settings.base_url + "/api"

    def call() -> bool:
        return is_expected(client._delete("orderList", True, data={"symbol": SYMBOL, "orderListId": ORDER_LIST_ID}))

    return call, client.close_connection


def sync_ccxt(settings: Settings) -> SyncAdapter:
    import ccxt  # type: ignore[import-not-found]

    exchange = ccxt.binance({"apiKey": settings.api_key, "secret": settings.secret, "enableRateLimit": False})
    exchange.urls["api"]["private"] = settings.base_url + "/api/v3"

    def call() -> bool:
        return is_expected(exchange.privateDeleteOrderList({"symbol": SYMBOL, "orderListId": ORDER_LIST_ID}))

    return call, lambda: None


# ---- async -----------------------------------------------------------------------------------------------------


async def async_ours(settings: Settings, http_client: "httpx.AsyncClient | None" = None) -> AsyncAdapter:
    """``AsyncSpotClient`` on its own connections, or on a caller-supplied
    ``httpx.AsyncClient``; closing it also closes the httpx client given to it."""
    from binance_orderlist import AsyncSpotClient, HmacSigner

    client = AsyncSpotClient(
        api_key=settings.api_key,
        signer=HmacSigner(settings.secret),
        base_url=settings.base_url,
        http_client=http_client,
    )

    async def call() -> bool:
        cancelled = await client.cancel_order_list(symbol=SYMBOL, order_list_id=ORDER_LIST_ID)
        return cancelled.order_list_id == ORDER_LIST_ID and len(cancelled.order_reports) == REPORTS_PER_LIST

    async def close() -> None:
        await client.aclose()
        if http_client is not None:
            await http_client.aclose()

    return call, close


async def async_ours_httpx(settings: Settings) -> AsyncAdapter:
    import httpx

    return await async_ours(settings, httpx.AsyncClient())


async def async_ours_httpx_aiohttp(settings: Settings) -> AsyncAdapter:
    """A caller's httpx-aiohttp transport as the README says to build it: its session with ``no_hidden_resend``."""
    import aiohttp
    import httpx
    import httpx_aiohttp
    from binance_orderlist import no_hidden_resend

    session = aiohttp.ClientSession(middlewares=[no_hidden_resend])
    return await async_ours(settings, httpx.AsyncClient(transport=httpx_aiohttp.AiohttpTransport(client=session)))


async def async_httpx(settings: Settings, transport: str = "default") -> AsyncAdapter:
    import httpx

    if transport == "httpx-aiohttp":
        import httpx_aiohttp

        client = httpx.AsyncClient(
            headers={"X-MBX-APIKEY": settings.api_key}, transport=httpx_aiohttp.AiohttpTransport()
        )
    else:
        client = httpx.AsyncClient(headers={"X-MBX-APIKEY": settings.api_key})
    signer = HandSigner(settings.secret)
    url = settings.base_url + PATH + "?"

    async def call() -> bool:
        response = await client.delete(url + signer.signed_query())
        return response.status_code == HTTP_OK and is_expected(json.loads(response.content))

    return call, client.aclose


async def async_httpx_aiohttp(settings: Settings) -> AsyncAdapter:
    return await async_httpx(settings, transport="httpx-aiohttp")


async def async_aiohttp(settings: Settings) -> AsyncAdapter:
    import aiohttp
    import yarl

    session = aiohttp.ClientSession(headers={"X-MBX-APIKEY": settings.api_key})
    signer = HandSigner(settings.secret)
    url = settings.base_url + PATH + "?"

    async def call() -> bool:
        async with session.delete(yarl.URL(url + signer.signed_query(), encoded=True)) as response:
            body = await response.read()
            return response.status == HTTP_OK and is_expected(json.loads(body))

    return call, session.close


async def async_python_binance(settings: Settings) -> AsyncAdapter:
    from binance.async_client import AsyncClient  # type: ignore[import-not-found]

    # AsyncClient.create() would ping binance.com; the constructor alone does no I/O.
    client = AsyncClient(settings.api_key, settings.secret)
    client.API_URL = settings.base_url + "/api"

    async def call() -> bool:
        body = await client._delete("orderList", True, data={"symbol": SYMBOL, "orderListId": ORDER_LIST_ID})
        return is_expected(body)

    return call, client.close_connection


async def async_ccxt(settings: Settings) -> AsyncAdapter:
    import ccxt.async_support as ccxt_async  # type: ignore[import-not-found]

    exchange = ccxt_async.binance({"apiKey": settings.api_key, "secret": settings.secret, "enableRateLimit": False})
    exchange.urls["api"]["private"] = settings.base_url + "/api/v3"

    async def call() -> bool:
        return is_expected(await exchange.privateDeleteOrderList({"symbol": SYMBOL, "orderListId": ORDER_LIST_ID}))

    return call, exchange.close


SYNC_ADAPTERS: dict[str, Callable[[Settings], SyncAdapter]] = {
    "binance-orderlist": sync_ours,
    "binance-orderlist + Client()": sync_ours_httpx,
    "httpx": sync_httpx,
    "http.client": sync_http_client,
    "binance-sdk-spot": sync_binance_sdk_spot,
    "python-binance": sync_python_binance,
    "ccxt": sync_ccxt,
}

ASYNC_ADAPTERS: dict[str, Callable[[Settings], Awaitable[AsyncAdapter]]] = {
    "binance-orderlist": async_ours,
    "binance-orderlist + AsyncClient()": async_ours_httpx,
    "binance-orderlist + AsyncClient(httpx-aiohttp)": async_ours_httpx_aiohttp,
    "httpx": async_httpx,
    "httpx + httpx-aiohttp": async_httpx_aiohttp,
    "aiohttp": async_aiohttp,
    "python-binance": async_python_binance,
    "ccxt": async_ccxt,
}
