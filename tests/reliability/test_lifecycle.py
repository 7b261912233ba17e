"""A client's whole life, against the hostile server counting the requests and connections it receives.

Closed means closed: a call on a closed client (closed before or after its first call, a ``with_options``
child of a closed one, ``ensure_order_list_cancelled``) raises ``ClientClosedError`` having sent nothing and
opened no connection. After ``os.fork()`` (or ``multiprocessing``'s fork) parent and child each get their own
answer on their own connections. An ``AsyncSpotClient`` works on a second ``asyncio.run`` and on two threads'
loops at once, each on connections of its own; a caller's ``http_client`` is refused, nothing sent, where its
connections cannot be trusted. With several base URLs (failover) a closed client tries none of them, and
after a fork each one's connections are renewed in the child. Every path of ``drivers.PATHS`` it applies to.
Then what already held: 16 threads sharing a ``SpotClient``, ``aclose()`` with calls in flight, a signal in a
blocked sync call.
"""

import asyncio
import hashlib
import hmac
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, SpotClient
from binance_orderlist import errors as binance_errors
from binance_orderlist.errors import BinanceError

from ..ports import refused_port
from .connections import port_of, remaining_connections
from .drivers import ASYNC_PATHS, PATHS, SECRET, SYNC_PATHS, Driver, driving, make_client
from .hostile import SEED_RESPONSE, Exchange, HostileServer, hostile, respond

CALLERS_ASYNC_PATHS = ("async, caller's httpx.AsyncClient", "async, caller's httpx-aiohttp")
OWN_ASYNC_PATHS = tuple(path for path in ASYNC_PATHS if path not in CALLERS_ASYNC_PATHS)
REPOSITORY = Path(__file__).parents[2]
SUBPROCESS_SECONDS = 120
DEAD = f"http://127.0.0.1:{refused_port()}"
"""A base URL that refuses every connection: nothing is sent there, so a round over the clusters moves on."""
CLOSING_CHECKS = 3000
"""Looks, 10 ms apart, for another thread's loop to close a connection: a count, generous for a busy machine."""


def answer_for_the_list(exchange: Exchange) -> bool:
    """A cancel report for the list the request names, so that each caller can tell its own answer."""
    order_list_id = int(exchange.request.query.get("orderListId", "0"))
    return respond(body=json.dumps(SEED_RESPONSE | {"orderListId": order_list_id}).encode())(exchange)


def close(driver: Driver, client: SpotClient | AsyncSpotClient | None = None) -> None:
    """``close()`` or ``aclose()`` on ``client`` (the driver's own by default), on the driver's event loop."""
    closing = client or driver.client
    driver.run(lambda _: closing.close() if isinstance(closing, SpotClient) else closing.aclose())


def cancel_on(driver: Driver, client: SpotClient | AsyncSpotClient, order_list_id: int = 0) -> object:
    try:
        return driver.run(lambda _: client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id))
    except BinanceError as error:
        return error


def is_closed_error(outcome: object) -> bool:
    closed = getattr(binance_errors, "ClientClosedError", ())
    return isinstance(outcome, closed) and "closed" in str(outcome) and "not sent" in str(outcome)


@pytest.fixture(params=PATHS)
def path(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# ---- closed means closed ----------------------------------------------------------------------------------


def test_a_client_closed_after_a_call_sends_nothing_more(path: str) -> None:
    """Before: the sync client opened a new connection and cancelled; the async one raised an "unknown" error."""
    with hostile(respond()) as server, driving(path, server.base_url) as driver:
        assert isinstance(driver.cancel(), CancelOrderListResponse)
        close(driver)
        outcome = driver.cancel()
        assert (server.count(), server.connections) == (1, 1), "nothing more sent, no connection opened"
        assert is_closed_error(outcome), outcome


def test_a_client_closed_before_its_first_call_sends_nothing(path: str) -> None:
    with hostile(respond()) as server, driving(path, server.base_url) as driver:
        close(driver)
        outcomes = [driver.cancel(), cancel_on(driver, driver.client.with_options(timeout=5))]
        assert (server.count(), server.connections) == (0, 0)
        assert all(is_closed_error(outcome) for outcome in outcomes), outcomes


def test_every_call_of_a_closed_client_and_of_its_children_is_refused(path: str) -> None:
    """Children made before and after the close, ``with_raw_response``, ``sync_time`` and
    ``ensure_order_list_cancelled``."""
    with hostile(respond()) as server, driving(path, server.base_url) as driver:
        client = driver.client
        before = client.with_options(max_retries=0)
        assert isinstance(driver.cancel(), CancelOrderListResponse)
        close(driver)
        calls: list[Callable[[Any], Any]] = [
            lambda _: before.cancel_order_list(symbol="LTCBTC", order_list_id=0),
            lambda _: (
                client.with_options(timeout=3)
                .with_options(max_retries=1)
                .cancel_order_list(symbol="LTCBTC", order_list_id=0)
            ),
            lambda _: client.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=0),
            lambda _: client.sync_time(),
            lambda _: client.ensure_order_list_cancelled(symbol="LTCBTC", order_list_id=0),
        ]
        outcomes = []
        for call in calls:
            try:
                outcomes.append(driver.run(call))
            except BinanceError as error:
                outcomes.append(error)
        assert (server.count(), server.connections) == (1, 1)
        assert all(is_closed_error(outcome) for outcome in outcomes), outcomes


def test_closing_a_child_closes_it_but_not_the_connections_it_shares(path: str) -> None:
    with hostile(respond()) as server, driving(path, server.base_url) as driver:
        child = driver.client.with_options(timeout=5)
        assert isinstance(cancel_on(driver, child), CancelOrderListResponse)
        close(driver, child)
        closed_child, grandchild = cancel_on(driver, child), cancel_on(driver, child.with_options(max_retries=0))
        assert isinstance(driver.cancel(), CancelOrderListResponse), "the parent still works"
        assert (server.count(), server.connections) == (2, 1), "on the connection the child used"
        assert is_closed_error(closed_child), closed_child
        assert is_closed_error(grandchild), grandchild


# ---- fork ---------------------------------------------------------------------------------------------------


def run_forked(base_url: str, path: str, how: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-m", "tests.reliability.forked", base_url, path, how],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def assert_each_process_used_its_own_connections(server: HostileServer, path: str, offset: int = 0) -> None:
    """``server`` received lists ``offset + 1`` (before the fork), ``+ 2`` (the parent's) and ``+ 3`` (the
    child's), once each; the child's came on a connection of its own."""
    by_list = {int(request.query["orderListId"]) - offset: request.connection for request in server.received}
    assert sorted(by_list) == [1, 2, 3]
    assert server.count() == 3
    assert by_list[3] not in (by_list[1], by_list[2]), "the child never wrote on the parent's connection"
    if path == "sync":
        assert by_list[1] == by_list[2], "the parent kept its connection"
        assert server.connections == 2
    else:
        assert server.connections == 3, "each asyncio.run has its own connection"


@pytest.mark.parametrize("how", ["os.fork", "multiprocessing"])
@pytest.mark.parametrize("path", ["sync", *OWN_ASYNC_PATHS])
def test_parent_and_child_each_get_their_own_answer_on_their_own_connections(path: str, how: str) -> None:
    """Before: after a fork both processes used the one kept-alive socket and could read each other's answer."""
    with hostile(answer_for_the_list) as server:
        result = run_forked(server.base_url, path, how)
    assert result == {"first": [1], "parent": [2], "child": [3]}
    assert_each_process_used_its_own_connections(server, path)


@pytest.mark.parametrize("how", ["os.fork", "multiprocessing"])
def test_a_callers_http_client_is_refused_in_a_forked_child(how: str) -> None:
    """We cannot renew a caller's pool: the child's call is refused, nothing sent; the parent's goes on."""
    with hostile(answer_for_the_list) as server:
        result = run_forked(server.base_url, "sync, caller's httpx.Client", how)
    assert result == {"first": [1], "parent": [2], "child": ["ClientUnusableError"]}
    assert (server.count(), server.connections) == (2, 1)


@pytest.mark.parametrize("path", ["sync", *OWN_ASYNC_PATHS])
def test_after_a_fork_every_base_urls_connections_are_renewed_in_the_child(path: str) -> None:
    """Failover: the client has sent to two clusters (one pool each, for the sync client) before the fork; in the
    child each cluster gets a connection of its own, and the parent goes on with its own on both."""
    with hostile(answer_for_the_list) as first, hostile(answer_for_the_list) as second:
        result = run_forked(f"{first.base_url},{second.base_url}", path, "os.fork")
    assert result == {"first": [1, 11], "parent": [2, 12], "child": [3, 13]}
    assert_each_process_used_its_own_connections(first, path)
    assert_each_process_used_its_own_connections(second, path, offset=10)


def test_a_closed_client_tries_none_of_its_base_urls(path: str) -> None:
    """Failover: the close is checked before a round over the clusters; none is tried, and the error is
    ``ClientClosedError`` (not a ``TransportError`` naming each cluster), for the client and a child of it given
    other base URLs."""
    with (
        hostile(respond()) as first,
        hostile(respond()) as second,
        driving(path, [DEAD, first.base_url, second.base_url], max_retries=0) as driver,
    ):
        assert isinstance(driver.cancel(), CancelOrderListResponse), "past the refused port, on the first server"
        child = driver.client.with_options(base_url=[second.base_url, DEAD])
        close(driver)
        outcomes = [driver.cancel(), cancel_on(driver, child)]
        assert (first.count(), first.connections, second.count(), second.connections) == (1, 1, 0, 0)
        assert all(is_closed_error(outcome) for outcome in outcomes), outcomes


# ---- event loops --------------------------------------------------------------------------------------------


def make_async(path: str, base_url: str) -> tuple[AsyncSpotClient, httpx.AsyncClient | None]:
    """The client of ``path`` made outside any event loop, and the caller's http_client if it has one."""
    client, http = make_client(path, base_url)
    assert isinstance(client, AsyncSpotClient)
    assert not isinstance(http, httpx.Client)
    return client, http


async def cancel_async(client: AsyncSpotClient, order_list_id: int = 0) -> object:
    try:
        return (await client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)).order_list_id
    except BinanceError as error:
        return error


@contextmanager
def async_client(path: str, base_url: str) -> Iterator[tuple[AsyncSpotClient, httpx.AsyncClient | None]]:
    """The client of ``path`` and the caller's http_client, which the test closes on the loop it used."""
    client, http = make_async(path, base_url)
    try:
        yield client, http
    finally:
        asyncio.run(client.aclose())
        assert http is None or http.is_closed


@pytest.mark.parametrize("path", OWN_ASYNC_PATHS)
def test_a_second_asyncio_run_works_on_connections_of_its_own(path: str) -> None:
    """Before: the second run wrote the cancel on the first loop's connection and raised an "unknown" error."""
    with hostile(answer_for_the_list) as server, async_client(path, server.base_url) as (client, _):
        outcomes = [asyncio.run(cancel_async(client, order_list_id)) for order_list_id in (1, 2, 3)]
        left_open = remaining_connections(port_of(server.base_url), frozenset())
    assert outcomes == [1, 2, 3]
    assert (server.count(), server.connections) == (3, 3)
    assert len({request.connection for request in server.received}) == 3
    assert left_open == frozenset(), "each loop's connections were closed as it shut down"


@pytest.mark.parametrize("path", CALLERS_ASYNC_PATHS)
def test_a_callers_http_client_is_refused_on_a_second_event_loop(path: str) -> None:
    with (
        hostile(answer_for_the_list) as server,
        async_client(path, server.base_url) as (client, http),
        asyncio.Runner() as first_loop,
    ):
        first = first_loop.run(cancel_async(client, 1))
        second = asyncio.run(cancel_async(client, 2))
        assert http is not None
        first_loop.run(http.aclose())
    assert (server.count(), server.connections) == (1, 1), "nothing sent from the second loop"
    assert first == 1
    assert isinstance(second, binance_errors.ClientUnusableError), second
    assert "event loop" in str(second)
    assert "not sent" in str(second)


class BothArrived:
    """Answers each request once two have arrived: the two loops' calls are in flight at the same time."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2)

    def __call__(self, exchange: Exchange) -> bool:
        self.barrier.wait(SUBPROCESS_SECONDS)
        return answer_for_the_list(exchange)


def in_a_thread(action: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(action()))
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("path", OWN_ASYNC_PATHS)
def test_one_client_shared_by_two_threads_loops_at_once(path: str) -> None:
    with hostile(BothArrived()) as server, async_client(path, server.base_url) as (client, _):
        threads = [in_a_thread(lambda n=n: asyncio.run(cancel_async(client, n))) for n in (1, 2)]  # type: ignore[misc]
        for thread, _ in threads:
            thread.join(SUBPROCESS_SECONDS)
    assert [outcome for _, outcome in threads] == [[1], [2]]
    assert (server.count(), server.connections) == (2, 2)


@pytest.mark.parametrize("path", ASYNC_PATHS)
def test_a_second_loop_while_the_first_runs_and_aclose_from_it(path: str) -> None:
    """Loop A (a thread's) holds a kept-alive connection; loop B cancels too (own connections: its own; a
    caller's: refused), then closes the client from B: A's connections are closed on A, not from B."""
    a_called, b_done = threading.Event(), threading.Event()

    async def loop_a(client: AsyncSpotClient, http: httpx.AsyncClient | None) -> object:
        outcome = await cancel_async(client, 1)
        a_called.set()
        await asyncio.to_thread(b_done.wait, SUBPROCESS_SECONDS)
        if http is not None:
            await http.aclose()
        return outcome

    with hostile(answer_for_the_list) as server, async_client(path, server.base_url) as (client, http):
        port = port_of(server.base_url)
        thread, a_outcome = in_a_thread(lambda: asyncio.run(loop_a(client, http)))
        assert a_called.wait(SUBPROCESS_SECONDS)

        async def loop_b() -> tuple[object, object]:
            outcome = await cancel_async(client, 2)
            await client.aclose()
            return outcome, await cancel_async(client, 3)

        b_outcome, after_close = asyncio.run(loop_b())
        own = path in OWN_ASYNC_PATHS
        left_open = remaining_connections(port, frozenset(), CLOSING_CHECKS) if own else frozenset()
        b_done.set()
        thread.join(SUBPROCESS_SECONDS)
    assert a_outcome == [1]
    assert is_closed_error(after_close), after_close
    if own:
        assert b_outcome == 2
        assert (server.count(), server.connections) == (2, 2)
        assert left_open == frozenset(), "loop A's connection was closed on loop A, while A still ran"
    else:
        assert isinstance(b_outcome, binance_errors.ClientUnusableError), b_outcome
        assert (server.count(), server.connections) == (1, 1)


# ---- what already held, and holds -------------------------------------------------------------------------

THREADS, CANCELS_PER_THREAD = 16, 100
IN_FLIGHT = 50


def signature_is_valid(raw_query: str) -> bool:
    """The HMAC-SHA256 of the query before ``&signature=``, with the drivers' secret (as Binance checks it)."""
    payload, _, signature = raw_query.rpartition("&signature=")
    return hmac.compare_digest(hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest(), signature)


def test_sixteen_threads_share_one_sync_client() -> None:
    """1,600 cancels of 1,600 lists from 16 threads: each answered with its own list, each signed validly and
    distinctly, on at most one connection per thread."""
    with hostile(answer_for_the_list) as server, driving("sync", server.base_url) as driver:
        client = driver.client
        assert isinstance(client, SpotClient)

        def cancel_many(thread: int) -> list[int]:
            lists = range(thread * CANCELS_PER_THREAD, (thread + 1) * CANCELS_PER_THREAD)
            return [client.cancel_order_list(symbol="LTCBTC", order_list_id=n).order_list_id for n in lists]

        with ThreadPoolExecutor(THREADS) as pool:
            answered = list(pool.map(cancel_many, range(THREADS)))
    assert answered == [list(range(t * CANCELS_PER_THREAD, (t + 1) * CANCELS_PER_THREAD)) for t in range(THREADS)]
    assert server.count() == THREADS * CANCELS_PER_THREAD
    assert len({request.query["signature"] for request in server.received}) == server.count()
    assert all(signature_is_valid(request.raw_query) for request in server.received)
    assert server.connections <= THREADS


def never_answer(exchange: Exchange) -> bool:
    exchange.server.stopping.wait()
    return False


@pytest.mark.parametrize("path", ASYNC_PATHS)
def test_aclose_with_calls_in_flight_returns_and_ends_them(path: str) -> None:
    """50 cancels the server read and holds: aclose() returns, and each call ends as an unknown outcome (it was
    sent); the client is closed after."""
    with hostile(never_answer) as server, driving(path, server.base_url) as driver:

        async def close_while_in_flight(client: AsyncSpotClient) -> list[object]:
            calls = [asyncio.ensure_future(cancel_async(client, n)) for n in range(IN_FLIGHT)]
            while server.count() < IN_FLIGHT:  # noqa: ASYNC110 - the server counts in its own threads
                await asyncio.sleep(0.01)
            await client.aclose()
            if isinstance(driver.http_client, httpx.AsyncClient):
                await driver.http_client.aclose()  # a caller's client: its owner closes it
            return [*await asyncio.gather(*calls), await cancel_async(client)]

        outcomes = driver.run(close_while_in_flight)
        assert server.count() == IN_FLIGHT
    assert all(isinstance(outcome, binance_errors.UnknownExecutionStatusError) for outcome in outcomes[:-1])
    assert is_closed_error(outcomes[-1]), outcomes[-1]


class Interrupted(BaseException):
    """What the test's signal handler raises in the middle of a blocked call: a BaseException, as
    KeyboardInterrupt is (an Exception would become the call's UnknownExecutionStatusError)."""


def interrupt(signum: int, frame: object) -> None:
    raise Interrupted


@pytest.mark.parametrize("path", SYNC_PATHS)
def test_a_signal_in_a_blocked_sync_call_leaves_no_half_read_connection_in_the_pool(path: str) -> None:
    """SIGALRM (a handler that raises, as KeyboardInterrupt does) while the cancel waits for its answer: the next
    call gets its own answer on a new connection, not the held one's."""
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with hostile(never_answer, answer_for_the_list) as server, driving(path, server.base_url) as driver:

            def alarm_once_sent() -> None:
                while not server.count():  # until the server read the cancel: the main thread is blocked on it
                    time.sleep(0.01)
                signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGALRM)

            alarm = threading.Thread(target=alarm_once_sent)
            alarm.start()
            with pytest.raises(Interrupted):
                driver.cancel(order_list_id=1)
            alarm.join()
            assert driver.cancel(order_list_id=2).order_list_id == 2  # type: ignore[union-attr]
            assert (server.count(), server.connections) == (2, 2)
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_a_client_closed_while_ensure_runs_says_what_was_tried(path: str) -> None:
    """The child that runs ``ensure_order_list_cancelled`` is closed while its cancel is on the wire, whose answer
    is lost: the query is not sent; ``ClientClosedError`` carries a note naming the cancel that may have executed."""
    with hostile(respond()) as server, driving(path, server.base_url) as driver:
        child = driver.client.with_options(max_retries=0)

        def close_the_child_and_drop(exchange: Exchange) -> bool:
            if isinstance(child, SpotClient):
                child.close()
            else:
                asyncio.run(child.aclose())  # a child's aclose() touches no connection: any loop will do
            return False

        server.acts = (close_the_child_and_drop, respond())
        outcome: object = None
        try:
            driver.run(lambda _: child.ensure_order_list_cancelled(symbol="LTCBTC", order_list_id=0))
        except BinanceError as error:
            outcome = error
        assert (server.count(), server.connections) == (1, 1), "the query was not sent"
        assert is_closed_error(outcome), outcome
        assert getattr(outcome, "__notes__", None) == [
            "ensure_order_list_cancelled tried: cancel: UnknownExecutionStatusError; query: ClientClosedError"
        ]
        assert isinstance(driver.cancel(), CancelOrderListResponse), "the parent still works"
