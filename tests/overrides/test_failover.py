"""``_failover``: the order of the clusters, their cool-down, and the clients' rules for moving on, on
``httpx.MockTransport`` (the real servers are in tests/integration/test_failover.py)."""

import asyncio
import threading
from typing import Any, Literal

import httpx
import pytest
from binance_orderlist import BINANCE_BASE_URLS, DEFAULT_BASE_URL, AsyncSpotClient, HmacSigner, SpotClient
from binance_orderlist import _failover as failover
from binance_orderlist._failover import ClusterHealth, PerBaseUrl
from binance_orderlist.errors import ConfigurationError, TransportError, UnknownExecutionStatusError
from hypothesis import given
from hypothesis import strategies as st

from ..harness import call
from ..monotonic import FakeClock, fake_monotonic_clock  # noqa: F401 - the clock fixture
from ..spec.conftest import load_spec
from .conftest import SECRET, ok

Behaviour = Literal["refuse", "drop", "answer"]


def test_the_documented_clusters_are_the_six_production_base_endpoints() -> None:
    documented = ("api", "api-gcp", "api1", "api2", "api3", "api4")  # rest-api.md, General API Information
    assert tuple(f"https://{name}.binance.com" for name in documented) == BINANCE_BASE_URLS
    assert BINANCE_BASE_URLS[0] == DEFAULT_BASE_URL


def test_an_unreachable_cluster_goes_last_for_its_cool_down(clock: FakeClock) -> None:
    health = ClusterHealth()
    urls = ["a", "b", "c"]
    health.unreachable("a")
    health.unreachable("b")
    assert health.order(urls) == ["c", "a", "b"]
    clock.now_ns += failover.COOL_DOWN_NS - 1
    health.reached("b")
    assert health.order(urls) == ["b", "c", "a"]
    clock.now_ns += 1
    assert health.order(urls) == urls


def test_the_memory_holds_under_threads(clock: FakeClock) -> None:
    health = ClusterHealth()
    urls = [f"u{i}" for i in range(6)]
    start = threading.Barrier(8)

    def churn(worker: int) -> None:
        start.wait()
        for step in range(500):
            url = urls[(worker + step) % len(urls)]
            health.unreachable(url)
            assert sorted(health.order(urls)) == urls
            health.reached(url)

    threads = [threading.Thread(target=churn, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert health.order(urls) == urls


def client(mode: str, transport: httpx.MockTransport, **options: Any) -> SpotClient | AsyncSpotClient:
    settings = {"api_key": "test-key", "signer": HmacSigner(SECRET), **options}
    if mode == "sync":
        return SpotClient(http_client=httpx.Client(transport=transport), **settings)
    return AsyncSpotClient(http_client=httpx.AsyncClient(transport=transport), **settings)


class Clusters:
    """A MockTransport whose hosts behave as told, recording every request each one was sent."""

    def __init__(self, behaviours: list[Behaviour]) -> None:
        self.behaviours = {f"c{index}.test": behaviour for index, behaviour in enumerate(behaviours)}
        self.base_urls = [f"http://{host}" for host in self.behaviours]
        self.received: dict[str, list[httpx.Request]] = {host: [] for host in self.behaviours}
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.received[request.url.host].append(request)
        behaviour = self.behaviours[request.url.host]
        if behaviour == "refuse":
            raise httpx.ConnectError("[Errno 111] Connection refused")
        if behaviour == "drop":
            raise httpx.ReadError("the server closed the connection after reading the request")
        return ok()

    def counts(self) -> list[int]:
        return [len(requests) for requests in self.received.values()]


@pytest.mark.parametrize("mode", ["sync", "async"])
@given(behaviours=st.lists(st.sampled_from(["refuse", "drop", "answer"]), min_size=1, max_size=6))
def test_a_cancel_moves_on_only_when_nothing_was_sent(mode: str, behaviours: list[Behaviour]) -> None:
    clusters = Clusters(behaviours)
    spot = client(mode, clusters.transport, base_url=clusters.base_urls, max_retries=0)
    reached = next((index for index, behaviour in enumerate(behaviours) if behaviour != "refuse"), None)
    expected = [1 if reached is None or index <= reached else 0 for index in range(len(behaviours))]
    cancel: dict[str, Any] = {"symbol": "LTCBTC", "order_list_id": 0}
    if reached is None:
        with pytest.raises(TransportError) as unsent:
            call(spot, "with_raw_response.cancel_order_list", **cancel)
        if len(behaviours) > 1:
            assert all(f"{url}: ConnectError: [Errno 111]" in str(unsent.value) for url in clusters.base_urls)
    elif behaviours[reached] == "drop":
        with pytest.raises(UnknownExecutionStatusError) as unknown:
            call(spot, "with_raw_response.cancel_order_list", **cancel)
        assert clusters.base_urls[reached] in str(unknown.value)
    else:
        assert call(spot, "with_raw_response.cancel_order_list", **cancel).base_url == clusters.base_urls[reached]
    assert clusters.counts() == expected
    sent = [request for requests in clusters.received.values() for request in requests]
    timestamps = [int(request.url.params["timestamp"]) for request in sent]
    assert timestamps == sorted(set(timestamps)), "each attempt is signed afresh, strictly later"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_max_retries_counts_rounds_over_every_cluster(mode: str, clock: FakeClock) -> None:
    clusters = Clusters(["refuse", "refuse"])
    spot = client(mode, clusters.transport, base_url=clusters.base_urls, max_retries=2)
    with pytest.raises(TransportError, match="could not be sent to any of the 2 base URLs"):
        call(spot, "with_raw_response.cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert clusters.counts() == [3, 3]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_memory_is_shared_with_children_even_of_other_base_urls(mode: str, clock: FakeClock) -> None:
    clusters = Clusters(["refuse", "answer", "answer"])
    spot = client(mode, clusters.transport, base_url=clusters.base_urls, max_retries=0)
    with asyncio.Runner() as loop:
        call(spot, "with_raw_response.get_server_time", on=loop)
        assert clusters.counts() == [1, 1, 0]
        child = spot.with_options(max_retries=1)
        assert call(child, "with_raw_response.get_server_time", on=loop).base_url == clusters.base_urls[1]
        reordered = spot.with_options(base_url=[clusters.base_urls[0], clusters.base_urls[2]])
        assert reordered.base_urls == (clusters.base_urls[0], clusters.base_urls[2])
        assert call(reordered, "with_raw_response.get_server_time", on=loop).base_url == clusters.base_urls[2]
    assert clusters.counts() == [1, 2, 1]
    assert spot.base_urls == tuple(clusters.base_urls)


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ("https://api1.binance.com/", ("https://api1.binance.com",)),
        (
            " https://api1.binance.com , https://api2.binance.com",
            ("https://api1.binance.com", "https://api2.binance.com"),
        ),
        ("", (DEFAULT_BASE_URL,)),
    ],
)
def test_binance_base_url_may_list_several(variable: str, expected: tuple[str, ...]) -> None:
    environ = {"BINANCE_API_KEY": "k", "BINANCE_API_SECRET": SECRET, "BINANCE_BASE_URL": variable}
    with SpotClient.from_env(environ) as spot:
        assert spot.base_urls == expected


def test_a_trailing_comma_in_binance_base_url_is_named() -> None:
    environ = {"BINANCE_API_KEY": "k", "BINANCE_API_SECRET": SECRET, "BINANCE_BASE_URL": "https://api1.binance.com,"}
    with pytest.raises(ConfigurationError, match=r"base_url\[1\] '' must start with https://"):
        SpotClient.from_env(environ)


async def test_an_async_timeout_on_a_transport_that_cannot_say_it_was_connecting_is_unknown() -> None:
    """Only httpcore's pool and aiohttp report when a request has its connection: on any other transport a timeout
    may come after sending, so it is never taken for a connect timeout (and never sent elsewhere)."""
    received: list[str] = []

    async def read_then_stall(request: httpx.Request) -> httpx.Response:
        received.append(str(request.url.host))
        await asyncio.sleep(30)
        return ok()

    transport = httpx.MockTransport(read_then_stall)
    base_urls = ["http://c0.test", "http://c1.test"]
    async with AsyncSpotClient(
        api_key="test-key",
        signer=HmacSigner(SECRET),
        base_url=base_urls,
        http_client=httpx.AsyncClient(transport=transport),
        timeout=0.2,
    ) as spot:
        with pytest.raises(UnknownExecutionStatusError, match=r"http://c0\.test"):
            await spot.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    assert received == ["c0.test"]


class Pool:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_the_sync_client_opens_one_pool_per_base_url_when_first_sent_there() -> None:
    opened: list[Pool] = []

    def open_for(base_url: str) -> Pool:
        opened.append(Pool(base_url))
        return opened[-1]

    pools = PerBaseUrl(open_for)
    assert opened == []
    assert pools.to("http://a.test") is pools.to("http://a.test")
    pools.to("http://b.test")
    assert [pool.base_url for pool in opened] == ["http://a.test", "http://b.test"]
    pools.close()
    assert all(pool.closed for pool in opened)


def test_the_spec_marks_exactly_the_documented_clusters(spec_servers: list[dict[str, Any]]) -> None:
    assert spec_servers[0]["url"] == DEFAULT_BASE_URL
    marked = tuple(server["url"] for server in spec_servers if server.get("x-production-cluster"))
    assert marked == BINANCE_BASE_URLS
    others = {server["url"] for server in spec_servers} - set(marked)
    assert others == {"https://testnet.binance.vision", "https://demo-api.binance.com"}
    assert all(server["description"] for server in spec_servers)


@pytest.fixture
def spec_servers() -> list[dict[str, Any]]:
    """openapi.yaml's servers, read here independently of the generating step."""
    servers: list[dict[str, Any]] = load_spec()["servers"]
    return servers
