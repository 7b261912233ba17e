"""One adapter per measured client: build it pointed at the bench server, and return a verified cancel.

Each adapter returns ``(call, close)``; ``call`` sends ``DELETE /api/v3/orderList`` for LTCBTC, list 0, and
returns True only if the client parsed the answer and it is that list. Libraries are imported inside the
adapters: this module runs in the peers' venv too, where this project is not installed. The raw baselines
sign by hand, as a careful hand-written client would: one HMAC over the query, the API key set once.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

API_KEY = "bench-api-key-0123456789abcdef"
SECRET = "bench-secret-0123456789abcdef0123456789abcdef"
SYMBOL = "LTCBTC"
ORDER_LIST_ID = 0
PATH = "/api/v3/orderList"
REPORTS_PER_LIST = 2  # the newer seed document's OCO list has two orders
HTTP_OK = 200

SyncAdapter = tuple[Callable[[], bool], Callable[[], object]]
AsyncAdapter = tuple[Callable[[], Awaitable[bool]], Callable[[], Awaitable[object]]]


def signed_query() -> str:
    query = f"symbol={SYMBOL}&orderListId={ORDER_LIST_ID}&timestamp={time.time_ns() // 1_000_000}"
    return f"{query}&signature={hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()}"


def is_expected(body: dict[str, Any]) -> bool:
    """The raw clients' and the peers' check of a parsed body (the typed clients check far more)."""
    return body["orderListId"] == ORDER_LIST_ID and len(body["orderReports"]) == REPORTS_PER_LIST


def sync_ours(base_url: str) -> SyncAdapter:
    from binance_orderlist import HmacSigner, SpotClient

    client = SpotClient(api_key=API_KEY, signer=HmacSigner(SECRET), base_url=base_url)

    def call() -> bool:
        cancelled = client.cancel_order_list(symbol=SYMBOL, order_list_id=ORDER_LIST_ID)
        return cancelled.order_list_id == ORDER_LIST_ID and len(cancelled.order_reports) == REPORTS_PER_LIST

    return call, client.close


def sync_httpx(base_url: str) -> SyncAdapter:
    import httpx

    client = httpx.Client(headers={"X-MBX-APIKEY": API_KEY})

    def call() -> bool:
        response = client.delete(f"{base_url}{PATH}?{signed_query()}")
        return response.status_code == HTTP_OK and is_expected(json.loads(response.content))

    return call, client.close


def sync_http_client(base_url: str) -> SyncAdapter:
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(base_url).netloc)

    def call() -> bool:
        connection.request("DELETE", f"{PATH}?{signed_query()}", headers={"X-MBX-APIKEY": API_KEY})
        response = connection.getresponse()
        return response.status == HTTP_OK and is_expected(json.loads(response.read()))

    return call, connection.close


def sync_binance_sdk_spot(base_url: str) -> SyncAdapter:
    from binance_common.configuration import ConfigurationRestAPI  # type: ignore[import-not-found]
    from binance_sdk_spot.spot import Spot  # type: ignore[import-not-found]

    configuration = ConfigurationRestAPI(api_key=API_KEY, api_secret=SECRET, base_path=base_url, retries=0)
    client = Spot(config_rest_api=configuration)

    def call() -> bool:
        cancelled = client.rest_api.delete_order_list(symbol=SYMBOL, order_list_id=ORDER_LIST_ID).data()
        return bool(cancelled.order_list_id == ORDER_LIST_ID and len(cancelled.order_reports) == REPORTS_PER_LIST)

    return call, lambda: None


def sync_python_binance(base_url: str) -> SyncAdapter:
    from binance.client import Client  # type: ignore[import-not-found]

    client = Client(API_KEY, SECRET, ping=False)
    client.API_URL = base_url + "/api"

    def call() -> bool:
        # python-binance has no spot cancel-order-list method; _delete is what its own methods call.
        return is_expected(client._delete("orderList", True, data={"symbol": SYMBOL, "orderListId": ORDER_LIST_ID}))

    return call, client.close_connection


def sync_ccxt(base_url: str) -> SyncAdapter:
    import ccxt  # type: ignore[import-not-found]

    exchange = ccxt.binance({"apiKey": API_KEY, "secret": SECRET, "enableRateLimit": False})
    exchange.urls["api"]["private"] = base_url + "/api/v3"

    def call() -> bool:
        return is_expected(exchange.privateDeleteOrderList({"symbol": SYMBOL, "orderListId": ORDER_LIST_ID}))

    return call, lambda: None


async def async_ours(base_url: str) -> AsyncAdapter:
    from binance_orderlist import AsyncSpotClient, HmacSigner

    client = AsyncSpotClient(api_key=API_KEY, signer=HmacSigner(SECRET), base_url=base_url)

    async def call() -> bool:
        cancelled = await client.cancel_order_list(symbol=SYMBOL, order_list_id=ORDER_LIST_ID)
        return cancelled.order_list_id == ORDER_LIST_ID and len(cancelled.order_reports) == REPORTS_PER_LIST

    return call, client.aclose


async def async_aiohttp(base_url: str) -> AsyncAdapter:
    import aiohttp
    import yarl

    session = aiohttp.ClientSession(headers={"X-MBX-APIKEY": API_KEY})

    async def call() -> bool:
        async with session.delete(yarl.URL(f"{base_url}{PATH}?{signed_query()}", encoded=True)) as response:
            return response.status == HTTP_OK and is_expected(json.loads(await response.read()))

    return call, session.close


async def async_python_binance(base_url: str) -> AsyncAdapter:
    from binance.async_client import AsyncClient  # type: ignore[import-not-found]

    client = AsyncClient(API_KEY, SECRET)  # AsyncClient.create() would ping binance.com; this does no I/O
    client.API_URL = base_url + "/api"

    async def call() -> bool:
        return is_expected(
            await client._delete("orderList", True, data={"symbol": SYMBOL, "orderListId": ORDER_LIST_ID})
        )

    return call, client.close_connection


async def async_ccxt(base_url: str) -> AsyncAdapter:
    import ccxt.async_support as ccxt_async  # type: ignore[import-not-found]

    exchange = ccxt_async.binance({"apiKey": API_KEY, "secret": SECRET, "enableRateLimit": False})
    exchange.urls["api"]["private"] = base_url + "/api/v3"

    async def call() -> bool:
        return is_expected(await exchange.privateDeleteOrderList({"symbol": SYMBOL, "orderListId": ORDER_LIST_ID}))

    return call, exchange.close


SYNC: dict[str, Callable[[str], SyncAdapter]] = {
    "binance-orderlist": sync_ours,
    "httpx": sync_httpx,
    "http.client": sync_http_client,
    "binance-sdk-spot": sync_binance_sdk_spot,
    "python-binance": sync_python_binance,
    "ccxt": sync_ccxt,
}
ASYNC: dict[str, Callable[[str], Awaitable[AsyncAdapter]]] = {
    "binance-orderlist": async_ours,
    "aiohttp": async_aiohttp,
    "python-binance": async_python_binance,
    "ccxt": async_ccxt,
}
