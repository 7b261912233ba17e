"""Concurrency: one AsyncSpotClient shared by 200 concurrent cancels against the emulator as a real server.

Every list is cancelled exactly once (the emulator's state and request log), every result answers its
own request, and the client's connections to the emulator (counted from /proc) stay within the
pool limit while it runs and are all closed after ``aclose()``. Over the client's own transport, and
over an ``http_client`` with httpx's transport and with ``httpx_aiohttp.AiohttpTransport``.
"""

import asyncio
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, HmacSigner
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, CreatedOrderList, EmulatorControl

from .connections import open_connections, port_of, remaining_connections_async
from .drivers import safe_aiohttp_transport

CANCELS = 200
SYMBOLS = ("BNBUSDT", "LTCBTC", "ETHBTC")
POOL_LIMIT = 100
"""httpx's default pool and AiohttpTransport's default both allow 100 connections."""
WATCH_SAMPLES = 10_000
"""Bound on the connection watcher's loop (it stops as soon as the cancels are done)."""


@dataclass(frozen=True)
class PlannedCancel:
    """One list created for the run and the cancel that names it: by id, by client id, or by both."""

    created: CreatedOrderList
    symbol: str
    order_list_id: int | None
    list_client_order_id: str | None
    new_client_order_id: str


def plan(emulator: EmulatorControl) -> list[PlannedCancel]:
    planned = []
    for index in range(CANCELS):
        symbol = SYMBOLS[index % len(SYMBOLS)]
        created = emulator.create_order_list(
            symbol=symbol,
            contingency_type="OCO" if index % 2 else "OTO",
            list_client_order_id=f"concurrent-{index:03d}",
        )
        named_by = index % 3
        planned.append(
            PlannedCancel(
                created=created,
                symbol=symbol,
                order_list_id=None if named_by == 1 else created.order_list_id,
                list_client_order_id=None if named_by == 0 else created.list_client_order_id,
                new_client_order_id=f"cancel-{index:03d}",
            )
        )
    return planned


async def cancel(client: AsyncSpotClient, planned: PlannedCancel) -> CancelOrderListResponse:
    return await client.cancel_order_list(
        symbol=planned.symbol,
        order_list_id=planned.order_list_id,
        list_client_order_id=planned.list_client_order_id,
        new_client_order_id=planned.new_client_order_id,
    )


@dataclass
class ConnectionWatch:
    """Samples this process's connections to the emulator until told to stop; keeps the highest count."""

    port: int
    baseline: frozenset[int]
    peak: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        for _ in range(WATCH_SAMPLES):
            self.peak = max(self.peak, len(open_connections(self.port) - self.baseline))
            if stop.is_set():
                return
            await asyncio.sleep(0.002)


def check_every_list_cancelled_once(emulator: EmulatorControl, planned: list[PlannedCancel]) -> None:
    logged = [entry for entry in emulator.requests() if entry.method == "DELETE"]
    assert all(entry.status == 200 and entry.signature_valid for entry in logged)
    sent_cancel_ids = Counter(dict(parse_qsl(entry.query_string))["newClientOrderId"] for entry in logged)
    assert sent_cancel_ids == Counter(each.new_client_order_id for each in planned), "each cancel was sent once"
    for each in planned:
        assert emulator.order_list(each.created.order_list_id).list_order_status == "ALL_DONE"
    assert emulator.order_list(0).list_order_status == "EXECUTING", "the seed list was not touched"


def http_client(transport: str) -> httpx.AsyncClient | None:
    if transport == "own":
        return None
    return httpx.AsyncClient(transport=safe_aiohttp_transport() if transport == "aiohttp" else None)


@pytest.mark.parametrize("transport", ["own", "httpx", "aiohttp"])
async def test_one_client_shared_by_200_concurrent_cancels(emulator: EmulatorControl, transport: str) -> None:
    planned = plan(emulator)
    emulator.clear_requests()
    port = port_of(emulator.base_url)
    baseline = open_connections(port)  # the control client's own connection
    http = http_client(transport)
    client = AsyncSpotClient(
        api_key=DEFAULT_HMAC_API_KEY,
        signer=HmacSigner(DEFAULT_HMAC_SECRET_KEY),
        base_url=emulator.base_url,
        http_client=http,
    )
    watch, stop = ConnectionWatch(port, baseline), asyncio.Event()
    watcher = asyncio.create_task(watch.run(stop))
    try:
        results = await asyncio.gather(*(cancel(client, each) for each in planned))
    finally:
        stop.set()
        await watcher
        kept_alive = open_connections(port) - baseline
        await client.aclose()
        if http is not None:
            await http.aclose()  # an http_client passed in is its owner's to close
    left_open = await remaining_connections_async(port, baseline)

    for each, result in zip(planned, results, strict=True):
        assert (result.symbol, result.order_list_id, result.list_client_order_id) == (
            each.symbol,
            each.created.order_list_id,
            each.created.list_client_order_id,
        )
        assert [report.order_id for report in result.order_reports] == list(each.created.order_ids)
        assert {report.client_order_id for report in result.order_reports} == {each.new_client_order_id}
    check_every_list_cancelled_once(emulator, planned)
    print(f"{transport}: at most {watch.peak} connections at once, {len(kept_alive)} kept alive until aclose()")
    assert 1 < watch.peak <= POOL_LIMIT, "the cancels ran over several connections, within the pool limit"
    assert 0 < len(kept_alive) <= POOL_LIMIT, "idle connections were kept for the next request"
    assert left_open == frozenset(), f"{len(left_open)} connections to the emulator still open after aclose()"
