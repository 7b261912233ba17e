"""Failover across clusters against real servers on 127.0.0.1, sync and async: a refused port, a TLS handshake
that fails, a scripted server that reads the request and drops the connection, and the emulator. Every request
each server received is counted: a cancel goes on to the next cluster only when nothing was sent."""

import asyncio
import logging
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, CancelState, HmacSigner, SpotClient
from binance_orderlist import _failover as failover
from binance_orderlist.errors import TransportError, UnknownExecutionStatusError
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl

from ..harness import AnyClient, invoke
from ..monotonic import FakeClock, fake_monotonic_clock  # noqa: F401 - the clock fixture
from ..ports import refused_port
from ..reliability.hostile import HostileServer, close_after_reading, hostile, respond
from .conftest import MakeClient

PATH = "/api/v3/orderList"
DEAD = f"http://127.0.0.1:{refused_port()}"
SERVER_TIME = b'{"serverTime": 1700000000000}'


def cancels(emulator: EmulatorControl) -> int:
    return sum((r.method, r.path) == ("DELETE", PATH) for r in emulator.requests())


def tls_to(emulator: EmulatorControl) -> str:
    """The emulator's port spoken to in TLS: it answers the handshake with a plain HTTP 400, so the handshake
    fails before any request is written (and the emulator logs none)."""
    return emulator.base_url.replace("http://", "https://")


@pytest.fixture(params=["sync", "async-aiohttp", "async-httpx"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Overrides the folder's: the async client on its own aiohttp connections, and on httpx's fallback."""
    if request.param == "async-httpx":
        monkeypatch.setitem(sys.modules, "binance_orderlist._aiohttp", None)  # as if aiohttp were not installed
    mode: str = request.param.split("-")[0]
    return mode


async def test_a_dead_cluster_is_passed_over_and_the_cancel_executes_once(
    emulator: EmulatorControl, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="binance_orderlist")
    client = make_client(base_url=[DEAD, tls_to(emulator), emulator.base_url], max_retries=0)
    raw = await invoke(client, "with_raw_response.cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raw.base_url == emulator.base_url
    assert raw.parse().order_list_id == 0
    assert cancels(emulator) == 1
    assert emulator.order_list(0).list_order_status == "ALL_DONE"
    assert f"{DEAD} could not be reached" in caplog.text
    assert f"{emulator.base_url} answered after 2 base URL(s) could not be reached" in caplog.text


@contextmanager
def blackhole() -> Iterator[str]:
    """A base URL whose connects never complete: its listening socket's queue (backlog 0) is already full, so the
    kernel drops every further SYN, as a firewall that drops packets would."""
    with socket.create_server(("127.0.0.1", 0), backlog=0) as listener:
        host, port = listener.getsockname()
        with socket.create_connection((host, port)):
            yield f"http://{host}:{port}"


async def test_a_connect_timeout_is_passed_over(emulator: EmulatorControl, make_client: MakeClient) -> None:
    """One float timeout: the connect and the whole attempt end together, and the attempt still knows that it
    never had a connection (nothing was sent)."""
    with blackhole() as unanswered:
        client = make_client(base_url=[unanswered, emulator.base_url], max_retries=0, timeout=3.0)
        raw = await invoke(client, "with_raw_response.cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raw.base_url == emulator.base_url
    assert cancels(emulator) == 1


async def test_the_next_call_starts_on_the_first_healthy_cluster(
    emulator: EmulatorControl, make_client: MakeClient, caplog: pytest.LogCaptureFixture, clock: FakeClock
) -> None:
    client = make_client(base_url=[DEAD, emulator.base_url], max_retries=0)
    await invoke(client, "get_server_time")
    caplog.set_level(logging.INFO, logger="binance_orderlist")
    caplog.clear()
    child = client.with_options(timeout=5)  # shares the memory
    raw = await invoke(child, "with_raw_response.cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raw.base_url == emulator.base_url
    assert "could not be reached" not in caplog.text
    assert cancels(emulator) == 1


async def test_a_request_that_may_have_been_read_is_never_sent_to_another_cluster(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    with hostile(close_after_reading) as dropper:
        client = make_client(base_url=[DEAD, dropper.base_url, emulator.base_url], max_retries=2)
        with pytest.raises(UnknownExecutionStatusError) as raised:
            await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert dropper.count() == 1
    assert emulator.requests() == []
    assert dropper.base_url in str(raised.value)


async def test_when_every_cluster_is_dead_one_error_names_each(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    urls = [DEAD, tls_to(emulator)]
    client = make_client(base_url=urls, max_retries=1)
    with pytest.raises(TransportError) as raised:
        await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    message = str(raised.value)
    assert message.startswith("DELETE /api/v3/orderList could not be sent to any of the 2 base URLs (")
    assert f"{DEAD}: ConnectError" in message
    assert f"{tls_to(emulator)}: ConnectError" in message
    assert "safe to send again" in message
    assert "signature" not in message
    assert emulator.requests() == []


@contextmanager
def closed_port() -> Iterator[tuple[str, socket.socket]]:
    """A base URL on 127.0.0.1 that refuses connections until its socket is given to a server (which listens)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}", holder


async def test_a_cluster_is_tried_again_after_its_cool_down(
    emulator: EmulatorControl, make_client: MakeClient, clock: FakeClock
) -> None:
    with ExitStack() as stack:
        first, holder = stack.enter_context(closed_port())
        client = make_client(base_url=[first, emulator.base_url], max_retries=0)
        assert (await invoke(client, "with_raw_response.get_server_time")).base_url == emulator.base_url
        server = stack.enter_context(HostileServer((respond(body=SERVER_TIME),), listener=holder))
        clock.now_ns += failover.COOL_DOWN_NS - 1
        assert (await invoke(client, "with_raw_response.get_server_time")).base_url == emulator.base_url
        assert server.received == []
        clock.now_ns += 1
        assert (await invoke(client, "with_raw_response.get_server_time")).base_url == first
        assert server.count("/api/v3/time") == 1
    assert [r.path for r in emulator.requests()] == ["/api/v3/time", "/api/v3/time"]


async def test_ensure_order_list_cancelled_fails_over_too(emulator: EmulatorControl, make_client: MakeClient) -> None:
    client = make_client(base_url=[DEAD, emulator.base_url])
    confirmation = await invoke(client, "ensure_order_list_cancelled", symbol="LTCBTC", order_list_id=0)
    assert confirmation.state is CancelState.CANCELLED
    assert cancels(emulator) == 1


async def test_the_clock_resync_fails_over_too(emulator: EmulatorControl, make_client: MakeClient) -> None:
    emulator.shift_clock(5_000)  # the server runs 5 s ahead: the first cancel meets -1021
    client = make_client(base_url=[DEAD, emulator.base_url], recv_window=1000)
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert [(r.method, r.path) for r in emulator.requests()] == [
        ("DELETE", PATH),
        ("GET", "/api/v3/time"),
        ("DELETE", PATH),
    ]
    assert cancels(emulator) == 2
    assert client.time_offset_ms > 4000


@pytest.fixture
async def http_client_of(mode: str) -> AsyncIterator[httpx.Client | httpx.AsyncClient]:
    given: httpx.Client | httpx.AsyncClient = httpx.Client() if mode == "sync" else httpx.AsyncClient()
    yield given
    if isinstance(given, httpx.Client):
        given.close()  # noqa: ASYNC212 - the sync client's, which has nothing to await
    else:
        await given.aclose()


async def test_a_callers_http_client_fails_over(
    emulator: EmulatorControl, mode: str, http_client_of: httpx.Client | httpx.AsyncClient
) -> None:
    options: dict[str, Any] = {
        "api_key": DEFAULT_HMAC_API_KEY,
        "signer": HmacSigner(DEFAULT_HMAC_SECRET_KEY),
        "base_url": [DEAD, emulator.base_url],
        "http_client": http_client_of,
        "max_retries": 0,
    }
    client: AnyClient = SpotClient(**options) if mode == "sync" else AsyncSpotClient(**options)
    raw = await invoke(client, "with_raw_response.cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raw.base_url == emulator.base_url
    assert cancels(emulator) == 1


async def test_concurrent_cancels_each_execute_once_past_a_dead_cluster(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    """Eight cancels at once (threads for the sync client, tasks for the async one) on one client and its
    ``with_options`` children, sharing the memory of the dead cluster: each list is cancelled exactly once."""
    ids = [emulator.create_order_list().order_list_id for _ in range(8)]
    client = make_client(base_url=[DEAD, emulator.base_url], max_retries=0)
    if isinstance(client, SpotClient):
        sync_client = client

        def cancel(order_list_id: int) -> str:
            child = sync_client.with_options(timeout=10.0 + order_list_id)
            return child.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id).base_url

        with ThreadPoolExecutor(max_workers=len(ids)) as pool:
            answered = list(pool.map(cancel, ids))
    else:
        children = [client.with_options(timeout=10.0 + order_list_id) for order_list_id in ids]
        raws = await asyncio.gather(
            *(
                child.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
                for child, order_list_id in zip(children, ids, strict=True)
            )
        )
        answered = [raw.base_url for raw in raws]
    assert answered == [emulator.base_url] * len(ids)
    cancels_sent = [r for r in emulator.requests() if (r.method, r.path) == ("DELETE", PATH)]
    cancelled = sorted(int(parse_qs(r.query_string)["orderListId"][0]) for r in cancels_sent)
    assert cancelled == sorted(ids)
    assert all(r.status == 200 for r in cancels_sent)
