"""The hostile-server suite (issue 12): each attack, on every client path it applies to, with the requests counted.

The server (``hostile.py``) is raw sockets on 127.0.0.1, scripted per test; the client paths (``drivers.py``)
are the sync and async clients on their own connections and through callers' httpx clients (httpx's and
httpx-aiohttp's transports). Nothing here compares times: a deadline is shown by how little of a trickled
answer the server got to send, a size bound by the typed error and the memory the call allocated.
"""

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate
from typing import Any

import httpx
import httpx_aiohttp
import pytest
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, HmacSigner, SpotClient
from binance_orderlist.errors import (
    BinanceError,
    ConfigurationError,
    RateLimitError,
    ResponseTooLargeError,
    TimestampError,
    UnknownExecutionStatusError,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from .drivers import API_KEY, ASYNC_PATHS, PATHS, SECRET, SYNC_PATHS, Driver, driving
from .hostile import (
    SEED_BODY,
    SEED_RESPONSE,
    TIME_PATH,
    Exchange,
    HostileServer,
    close_after_reading,
    encoded,
    endless,
    gzip_bomb,
    hostile,
    respond,
    respond_then_close,
    route,
    send_raw,
    trickle,
)

MIB = 1 << 20
TIMESTAMP_ERROR = json.dumps({"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."})


@pytest.fixture(params=PATHS)
def path(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


# ---- one attempt, one send --------------------------------------------------------------------------------


def test_a_cancel_the_server_read_on_a_fresh_connection_is_sent_once(path: str) -> None:
    """aiohttp re-sent it (same signature) when the server closed without answering."""
    with hostile(close_after_reading) as server, driving(path, server.base_url) as driver:
        outcome = driver.cancel()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    assert server.count() == 1


def test_a_cancel_the_server_read_on_a_reused_connection_is_sent_once(path: str) -> None:
    """On a kept-alive connection aiohttp's re-send reached the server twice and the caller saw a success."""
    with hostile(respond(), close_after_reading) as server, driving(path, server.base_url) as driver:
        assert isinstance(driver.cancel(), CancelOrderListResponse)
        outcome = driver.cancel()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    assert [request.connection for request in server.received] == [0, 0], "the second cancel reused the connection"
    assert server.count() == 2


def test_without_no_hidden_resend_a_callers_httpx_aiohttp_session_sends_a_cancel_twice() -> None:
    """Why the README requires ``no_hidden_resend`` on a caller's httpx-aiohttp session: the library cannot reach
    that session through public APIs, and without the middleware aiohttp re-sends the read-and-closed cancel on
    a new connection, same signature (here the re-send is answered, so the caller sees a success)."""
    with hostile(respond(), close_after_reading, respond()) as server:
        runner = asyncio.Runner()
        http = httpx.AsyncClient(transport=httpx_aiohttp.AiohttpTransport())
        client = AsyncSpotClient(api_key=API_KEY, signer=HmacSigner(SECRET), base_url=server.base_url, http_client=http)
        try:
            for _ in range(2):
                outcome = runner.run(client.cancel_order_list(symbol="LTCBTC", order_list_id=0))
                assert isinstance(outcome, CancelOrderListResponse), outcome
        finally:
            runner.run(http.aclose())
            runner.close()
    assert [request.connection for request in server.received] == [0, 0, 1]
    assert server.received[1].query["signature"] == server.received[2].query["signature"], "the same request twice"


def test_a_connection_the_server_closed_before_the_next_request_is_not_an_unknown_outcome(path: str) -> None:
    """The safe case aiohttp's re-send was for: a kept-alive connection closed while idle. A new one is used."""
    with hostile(respond_then_close(), respond()) as server, driving(path, server.base_url) as driver:
        assert isinstance(driver.cancel(), CancelOrderListResponse)
        assert server.closed_after_answering.wait(5)
        driver.run(lambda client: None if isinstance(client, SpotClient) else idle_loop())
        outcome = driver.cancel()
    assert isinstance(outcome, CancelOrderListResponse), outcome
    assert server.count() == 2
    assert [request.connection for request in server.received] == [0, 1]


async def idle_loop() -> None:
    """Lets the event loop see the server's close (one sleep is enough for a FIN already delivered)."""
    import asyncio

    for _ in range(10):
        await asyncio.sleep(0.01)


# ---- a deadline per attempt -----------------------------------------------------------------------------------

TRICKLE_INTERVAL = 0.2
"""One byte every 0.2 s: the seed body would take minutes; 50 bytes of it take 10 s."""


def test_timeout_bounds_an_answer_trickled_byte_by_byte(path: str) -> None:
    """With timeout=1, every path read the trickled body to its end (each byte arrives well within a read
    timeout). The server gets to write only a few bytes before the client gives up."""
    body = SEED_BODY[:50]
    with (
        hostile(trickle(body, interval=TRICKLE_INTERVAL)) as server,
        driving(path, server.base_url, timeout=1) as driver,
    ):
        outcome = driver.cancel()
        server.stopping.set()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    assert "timeout" in str(outcome).lower() or "Timeout" in str(outcome)
    assert server.bytes_sent < len(server_head_of(body)) + len(body)
    assert server.count() == 1


def test_timeout_bounds_a_head_trickled_byte_by_byte(path: str) -> None:
    """The same for the status line and headers, except on a caller's httpx.Client: the library sends through
    its public ``send()`` and never changes it, and httpx reads the head inside its transport, where only the
    timeout per read applies (README: what ``timeout`` means on your own ``http_client``). There the whole head
    arrives, a byte at a time, and the attempt's deadline cuts the body at its first chunk."""
    body = SEED_BODY[:10]
    callers_sync_client = path == "sync, caller's httpx.Client"
    interval = TRICKLE_INTERVAL / 4 if callers_sync_client else TRICKLE_INTERVAL  # a 113-byte head in about 6 s
    with (
        hostile(trickle(body, interval=interval, headers_too=True)) as server,
        driving(path, server.base_url, timeout=1) as driver,
    ):
        outcome = driver.cancel()
        server.stopping.set()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    head = server_head_of(body)
    if callers_sync_client:
        assert len(head) <= server.bytes_sent < len(head) + len(body), "the head was read whole, the body cut short"
    else:
        assert server.bytes_sent < 50, "the head (over 100 bytes) was cut short"
    assert server.count() == 1


def server_head_of(body: bytes) -> bytes:
    from .hostile import head

    return head(200, [("Content-Type", "application/json")], length=len(body))


# ---- a maximum response size --------------------------------------------------------------------------------


def refused_with_bounded_memory(driver: Driver) -> tuple[BinanceError | CancelOrderListResponse, int]:
    """The call's outcome and the peak of memory allocated while it ran."""
    tracemalloc.start()
    try:
        outcome = driver.cancel()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return outcome, peak


def test_a_gzip_bomb_is_refused_with_bounded_memory(path: str) -> None:
    """128 MiB of zeros in 128 KiB of gzip: all of it was inflated in memory (gigabytes for a bigger bomb)."""
    with hostile(encoded(gzip_bomb(128 * MIB))) as server, driving(path, server.base_url) as driver:
        outcome, peak = refused_with_bounded_memory(driver)
    assert isinstance(outcome, ResponseTooLargeError), outcome
    assert outcome.status_code == 200
    assert "executed" in str(outcome)
    assert len(outcome.body) <= MIB
    assert peak < 16 * MIB, f"{peak} bytes allocated"
    assert server.count() == 1


@pytest.mark.parametrize("announced", [True, False], ids=["Content-Length", "chunked"])
def test_a_200_mb_body_is_refused_unread(path: str, announced: bool) -> None:
    """A 200 MB body was read whole; now the client stops past max_response_bytes (here the default, 1 MiB)."""
    with hostile(endless(200 * MIB, announced=announced)) as server, driving(path, server.base_url) as driver:
        outcome, peak = refused_with_bounded_memory(driver)
        server.stopping.set()
    assert isinstance(outcome, ResponseTooLargeError), outcome
    assert peak < 16 * MIB, f"{peak} bytes allocated"
    assert server.bytes_sent < 100 * MIB
    assert server.count() == 1


def test_max_response_bytes_is_an_option_and_gzip_within_it_is_decoded(path: str) -> None:
    import gzip

    body = gzip.compress(SEED_BODY)
    with hostile(encoded(body), encoded(body)) as server:
        with driving(path, server.base_url, max_response_bytes=len(SEED_BODY)) as driver:
            assert isinstance(driver.cancel(), CancelOrderListResponse)
        with driving(path, server.base_url, max_response_bytes=len(SEED_BODY) - 1) as driver:
            outcome = driver.cancel()
    assert isinstance(outcome, ResponseTooLargeError), outcome
    assert outcome.body == SEED_BODY[: len(SEED_BODY) - 1]
    assert server.count() == 2


def test_a_huge_error_body_keeps_the_outcome_its_status_calls_for(path: str) -> None:
    with hostile(endless(200 * MIB, announced=False, status=503)) as server, driving(path, server.base_url) as driver:
        outcome = driver.cancel()
        server.stopping.set()
    assert type(outcome) is UnknownExecutionStatusError, outcome
    assert (outcome.status_code, len(outcome.body)) == (503, MIB)


# ---- every failure is a BinanceError ------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["X-MBX-USED-WEIGHT-1M", "X-MBX-ORDER-COUNT-10S", "Content-Length-Hint"])
def test_a_numeric_header_with_thousands_of_digits_never_raises(path: str, header: str) -> None:
    """int() refuses more than 4,300 digits: the executed cancel came back as ValueError."""
    with hostile(respond(headers=[(header, "9" * 5000)])) as server, driving(path, server.base_url) as driver:
        outcome = driver.cancel()
        usage = driver.client.rate_limit_usage
    assert isinstance(outcome, CancelOrderListResponse), outcome
    assert (usage.used_weight, usage.order_count) == ({}, {})
    assert server.count() == 1


def test_a_huge_retry_after_is_not_retried(path: str) -> None:
    with (
        hostile(respond(429, b"{}", [("Retry-After", "9" * 5000)])) as server,
        driving(path, server.base_url) as driver,
    ):
        outcome = driver.cancel()
    assert isinstance(outcome, RateLimitError), outcome
    assert server.count() == 1


MALFORMED_BASE_URLS = [
    "http://[::1",
    "http://127.0.0.1:70000",
    "http://127.0.0.1:port",
    "http://127.0.0.1\x00:8080",
    "http://127.0.0.1 :8080",
    " http://127.0.0.1",
    "http://127.0.0.1\n",
    "http://",
    "ftp://127.0.0.1",
    "http://user:secret@127.0.0.1",
    "http://127.0.0.1/?signature=x",
    b"http://127.0.0.1",
]


@pytest.mark.parametrize("base_url", MALFORMED_BASE_URLS, ids=repr)
@pytest.mark.parametrize("client_class", [SpotClient, AsyncSpotClient])
def test_a_malformed_base_url_is_a_configuration_error_at_construction(base_url: Any, client_class: type) -> None:
    """These passed construction and raised InvalidURL, ValueError or an ExceptionGroup on the first call."""
    with pytest.raises(ConfigurationError) as raised:
        client_class(api_key=API_KEY, signer=HmacSigner(SECRET), base_url=base_url)
    assert "secret" not in str(raised.value)


@given(port=st.integers(65536, 10**30) | st.integers(max_value=-1))
@settings(max_examples=50, deadline=None)
def test_any_port_out_of_range_is_a_configuration_error(port: int) -> None:
    with pytest.raises(ConfigurationError):
        SpotClient(api_key=API_KEY, signer=HmacSigner(SECRET), base_url=f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("api_key", [f" {API_KEY}", f"{API_KEY} ", f"{API_KEY}\n", f"{API_KEY}\r\n", "a\x00b", "a b"])
@pytest.mark.parametrize("client_class", [SpotClient, AsyncSpotClient])
def test_an_api_key_with_whitespace_or_control_characters_is_refused_at_construction(
    api_key: str, client_class: type
) -> None:
    """It passed, and the first call came back "execution status unknown" with the key in the message."""
    with hostile(respond()) as server:
        with pytest.raises(ConfigurationError) as raised:
            client_class(api_key=api_key, signer=HmacSigner(SECRET), base_url=server.base_url)
        assert api_key.strip() not in str(raised.value)
    assert server.count() == 0


def test_a_response_aiohttp_cannot_parse_is_an_unknown_outcome(path: str) -> None:
    """Through a caller's httpx-aiohttp transport a raw aiohttp.ClientResponseError escaped."""
    with hostile(send_raw(b"HTTP/1.1 abc Broken\r\n\r\n")) as server, driving(path, server.base_url) as driver:
        outcome = driver.cancel()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    assert server.count() == 1


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff" * 100, b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{}"])
def test_garbage_answers_are_unknown_outcomes(path: str, garbage: bytes) -> None:
    with hostile(send_raw(garbage)) as server, driving(path, server.base_url) as driver:
        outcome = driver.cancel()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    assert server.count() == 1


def cli(*arguments: str, base_url: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {"BINANCE_API_KEY": API_KEY, "BINANCE_API_SECRET": SECRET}
    if "PYTHONPATH" in os.environ:  # so the command runs the code under test wherever it is
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    if base_url is not None:
        environment["BINANCE_BASE_URL"] = base_url
    command = [sys.executable, "-m", "binance_orderlist", "cancel", "--symbol", "LTCBTC", *arguments]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_the_cli_reports_a_response_time_too_large_for_a_date(as_json: bool) -> None:
    """The text report printed a traceback (exit 1) for a transactionTime past year 9999."""
    body = json.dumps({**SEED_RESPONSE, "transactionTime": 10**17}).encode()
    with hostile(respond(body=body)) as server:
        done = cli("--order-list-id", "0", *(["--json"] if as_json else []), base_url=server.base_url)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert str(10**17) in done.stdout
    assert server.count() == 1


@pytest.mark.parametrize("base_url", ["http://[::1", "http://127.0.0.1:70000", "http://127.0.0.1\t"])
def test_the_cli_reports_a_malformed_base_url_as_a_configuration_error(base_url: str) -> None:
    done = cli("--order-list-id", "0", "--base-url", base_url)
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("binance-orderlist: ConfigurationError: base_url")


@pytest.mark.parametrize(
    ("act", "exit_code"),
    [
        (close_after_reading, 8),
        (send_raw(b"HTTP/1.1 abc\r\n\r\n"), 8),
        (encoded(gzip_bomb(8 * MIB)), 10),
        (respond(307, b"", [("Location", "http://127.0.0.1:1/")]), 8),
        (respond(body=b"[" * 100_000), 10),
        (respond(headers=[("X-MBX-USED-WEIGHT-1M", "9" * 5000)]), 0),
    ],
    ids=["closed", "unparsable", "gzip bomb", "redirect", "deep JSON", "huge header"],
)
def test_the_cli_maps_whatever_the_server_answers_to_its_exit_codes(act: Any, exit_code: int) -> None:
    with hostile(act) as server:
        done = cli("--order-list-id", "0", base_url=server.base_url)
    assert done.returncode == exit_code, done.stderr
    assert "Traceback" not in done.stderr
    assert server.count() == 1


# ---- outcomes stay true; one resync at a time -----------------------------------------------------------------


@pytest.mark.parametrize("time_answer", [close_after_reading, respond(503, b""), respond(body=b"not json")])
def test_a_failed_resync_after_a_timestamp_error_is_a_timestamp_error_caused_by_it(path: str, time_answer: Any) -> None:
    """The resync's failure relabelled the known rejection "may or may not be cancelled"."""
    act = route(orderList=respond(400, TIMESTAMP_ERROR.encode()), time=time_answer)
    with hostile(act) as server, driving(path, server.base_url) as driver:
        outcome = driver.cancel()
    assert type(outcome) is TimestampError, outcome
    assert isinstance(outcome.__cause__, BinanceError)
    assert "re-synchronisation" in "".join(getattr(outcome, "__notes__", []))
    assert (server.count(), server.count(TIME_PATH)) == (1, 1)


CONCURRENT = 50
BARRIER_SECONDS = 30


class ClockUntilResynced:
    """-1021 for every cancel until the client asks the time, then success: as a drifted clock meets Binance.
    The first ``CONCURRENT`` cancels are answered together, once all have arrived, so each meets -1021."""

    def __init__(self) -> None:
        self.time_asked = threading.Event()
        self.all_arrived = threading.Barrier(CONCURRENT)

    def __call__(self, exchange: Exchange) -> bool:
        if exchange.request.path == TIME_PATH:
            self.time_asked.set()
            return respond(body=json.dumps({"serverTime": time.time_ns() // 1_000_000}).encode())(exchange)
        if self.time_asked.is_set():
            return respond()(exchange)
        with contextlib.suppress(threading.BrokenBarrierError):  # fewer arrived together: the counts say so
            self.all_arrived.wait(BARRIER_SECONDS)
        return respond(400, TIMESTAMP_ERROR.encode())(exchange)


@pytest.mark.parametrize("path", ASYNC_PATHS)
def test_concurrent_timestamp_errors_share_one_resync_async(path: str) -> None:
    """50 concurrent cancels that all met -1021 made 50 GET /api/v3/time."""
    clock = ClockUntilResynced()
    with hostile(clock) as server, driving(path, server.base_url) as driver:

        async def all_at_once(client: AsyncSpotClient) -> list[Any]:
            import asyncio

            calls = [client.cancel_order_list(symbol="LTCBTC", order_list_id=0) for _ in range(CONCURRENT)]
            return await asyncio.gather(*calls, return_exceptions=True)

        outcomes: list[Any] = driver.run(all_at_once)
    assert all(isinstance(outcome, CancelOrderListResponse) for outcome in outcomes), outcomes
    assert server.count(TIME_PATH) == 1
    assert server.count() == 2 * CONCURRENT, "each cancel met -1021 once, then was re-signed and sent once more"


@pytest.mark.parametrize("path", SYNC_PATHS)
def test_concurrent_timestamp_errors_share_one_resync_across_threads(path: str) -> None:
    clock = ClockUntilResynced()
    with hostile(clock) as server, driving(path, server.base_url) as driver, ThreadPoolExecutor(CONCURRENT) as pool:
        outcomes = list(pool.map(lambda _: driver.cancel(), range(CONCURRENT)))
    assert all(isinstance(outcome, CancelOrderListResponse) for outcome in outcomes), outcomes
    assert server.count(TIME_PATH) == 1
    assert server.count() == 2 * CONCURRENT, "each cancel met -1021 once, then was re-signed and sent once more"


# ---- a new timestamp and signature for every attempt; Retry-After read strictly ----------------------------

RETRIES = 10


def test_every_attempt_has_a_strictly_later_timestamp_and_a_new_signature(path: str) -> None:
    """Retry-After: 0 retries at once: two attempts within one millisecond went out identical."""
    rate_limited = respond(429, b"{}", [("Retry-After", "0")])
    with (
        hostile(*[rate_limited] * RETRIES, respond()) as server,
        driving(path, server.base_url, max_retries=RETRIES) as driver,
    ):
        outcome = driver.cancel()
    assert isinstance(outcome, CancelOrderListResponse), outcome
    timestamps = [int(request.query["timestamp"]) for request in server.to()]
    assert len(timestamps) == RETRIES + 1
    assert timestamps == sorted(set(timestamps)), timestamps
    assert len({request.query["signature"] for request in server.to()}) == RETRIES + 1


def past_date() -> str:
    return formatdate(time.time() - 3600, usegmt=True)


@pytest.mark.parametrize(
    "retry_after",
    ["-1", "-0.5", "NaN", "nan", "inf", "-inf", "1e999", "PAST DATE"],
)
def test_an_invalid_retry_after_is_not_retry_now(path: str, retry_after: str) -> None:
    """A negative, NaN or past Retry-After was read as 0: retried at once, up to max_retries times."""
    value = past_date() if retry_after == "PAST DATE" else retry_after
    with (
        hostile(respond(429, b"{}", [("Retry-After", value)]), respond()) as server,
        driving(path, server.base_url, max_retries=2) as driver,
    ):
        outcome = driver.cancel()
    assert isinstance(outcome, RateLimitError), outcome
    assert outcome.retry_after is None
    assert server.count() == 1


# ---- never follow redirects ---------------------------------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[HostileServer]:
    """The host a redirect points to: it must never hear from the client."""
    with hostile(respond()) as server:
        yield server


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed(path: str, status: int, elsewhere: HostileServer) -> None:
    """A caller's client with follow_redirects=True sent the signed cancel (307) or the API key (302) elsewhere."""
    location = f"{elsewhere.base_url}/api/v3/orderList?symbol=LTCBTC"
    with (
        hostile(respond(status, b"", [("Location", location)])) as server,
        driving(path, server.base_url) as driver,
    ):
        outcome = driver.cancel()
    assert isinstance(outcome, UnknownExecutionStatusError), outcome
    assert "redirect" in str(outcome)
    assert (server.count(), len(elsewhere.received)) == (1, 0)


def test_a_callers_client_still_follows_its_own_redirects(elsewhere: HostileServer) -> None:
    """Only the library's requests are kept from following: the caller's client is left as it was."""
    with (
        hostile(respond(302, b"", [("Location", elsewhere.base_url + "/")])) as server,
        httpx.Client(follow_redirects=True) as http,
    ):
        SpotClient(api_key=API_KEY, signer=HmacSigner(SECRET), http_client=http)
        assert http.get(server.base_url + "/").status_code == 200
    assert len(elsewhere.received) == 1


def test_a_callers_client_keeps_its_own_timeouts_for_its_own_requests() -> None:
    """The library never changes a caller's client: the caller's own request, trickled over longer than the
    library's timeout, is read to its end. The library's timeout is not short: its own answer comes at once,
    and must not miss the deadline on a busy machine."""
    body = SEED_BODY[:20]
    with hostile(respond(), trickle(body, interval=TRICKLE_INTERVAL)) as server, httpx.Client(timeout=5) as http:
        client = SpotClient(
            api_key=API_KEY, signer=HmacSigner(SECRET), base_url=server.base_url, timeout=2, http_client=http
        )
        assert isinstance(client.cancel_order_list(symbol="LTCBTC", order_list_id=0), CancelOrderListResponse)
        assert http.get(server.base_url + "/mine").content == body
