"""Both clients against a recording MockTransport: request shape, every outcome's error class, retries."""

import base64
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote, unquote

import aiohttp
import httpcore
import httpx
import pytest
import yarl
from aiohttp.client_reqrep import ConnectionKey
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, HmacSigner, SpotClient, errors
from hypothesis import assume, given
from hypothesis import strategies as st

from ..harness import async_client_without_aiohttp
from ..ports import refused_port
from .conftest import SECRET, Recorder, error, ok, run, sync_client
from .keys import ed25519_key, pem_of

MODES = ["sync", "async"]


def cancel(
    mode: str, recorder: Recorder, options: dict[str, Any] | None = None, **params: Any
) -> CancelOrderListResponse:
    result: CancelOrderListResponse = run(mode, recorder, "cancel_order_list", options, **params)
    return result


def query(request: httpx.Request) -> dict[str, str]:
    return dict(httpx.QueryParams(request.url.query.decode()))


@pytest.mark.parametrize("mode", MODES)
def test_success_parses_and_the_request_is_signed(mode: str) -> None:
    recorder = Recorder(ok())
    result = cancel(mode, recorder, list_client_order_id="C3wyj4WVEktd7u9aVBRXcN", new_client_order_id="my-cancel-1")
    assert result.list_client_order_id == "C3wyj4WVEktd7u9aVBRXcN"
    (request,) = recorder.requests
    assert (request.method, request.url.path) == ("DELETE", "/api/v3/orderList")
    assert list(query(request)) == [
        "symbol", "orderListId", "listClientOrderId", "newClientOrderId", "timestamp", "signature"
    ]  # fmt: skip
    assert request.headers["X-MBX-APIKEY"] == "test-key"
    assert "X-MBX-TIME-UNIT" not in request.headers


@pytest.mark.parametrize("mode", MODES)
def test_recv_window_default_and_per_call_override(mode: str) -> None:
    recorder = Recorder(ok())
    cancel(mode, recorder, {"recv_window": 5000})
    cancel(mode, recorder, {"recv_window": 5000}, recv_window="6000.346")
    assert [query(r)["recvWindow"] for r in recorder.requests] == ["5000", "6000.346"]


@pytest.mark.parametrize("mode", MODES)
def test_microsecond_time_unit(mode: str) -> None:
    recorder = Recorder(ok())
    cancel(mode, recorder, {"time_unit": "MICROSECOND"})
    (request,) = recorder.requests
    assert request.headers["X-MBX-TIME-UNIT"] == "MICROSECOND"
    assert len(query(request)["timestamp"]) == 16


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "params",
    [
        {"order_list_id": None},
        {"symbol": ""},
        {"recv_window": 60001},
        {"recv_window": 1e-05},
        {"list_client_order_id": "bad id"},
        {"order_list_id": True},
    ],
)
def test_invalid_input_sends_nothing(mode: str, params: dict[str, Any]) -> None:
    recorder = Recorder(ok())
    with pytest.raises(errors.RequestValidationError):
        cancel(mode, recorder, **params)
    assert recorder.requests == []


def test_rate_limit_usage_is_readable_after_every_call() -> None:
    recorder = Recorder(ok(**{"X-MBX-USED-WEIGHT-1M": "7", "X-MBX-ORDER-COUNT-10S": "1"}), error(400, -2011, "x"))
    with sync_client(recorder) as client:
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
        assert client.rate_limit_usage.used_weight == {"1m": 7}
        assert client.rate_limit_usage.order_count == {"10s": 1}
        with pytest.raises(errors.UnknownOrderListError):
            client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
        assert client.rate_limit_usage.used_weight == {}


WAF_PAGE = b"<html><body><h1>403 Forbidden</h1>Request blocked.</body></html>"
OUTCOMES = [
    # (response, error class, Binance code)
    (error(400, -2011, "Unknown order list sent."), errors.UnknownOrderListError, -2011),
    (error(400, -1022, "Signature for this request is not valid."), errors.InvalidSignatureError, -1022),
    (error(400, -1102, "Mandatory parameter 'symbol' was not sent."), errors.BinanceAPIError, -1102),
    (error(401, -2015, "Invalid API-key, IP, or permissions for action."), errors.BinanceAPIError, -2015),
    (httpx.Response(403, content=WAF_PAGE, headers={"Content-Type": "text/html"}), errors.BinanceAPIError, None),
    (error(418, -1003, "Way too many requests; IP banned.", **{"Retry-After": "120"}), errors.IPBanError, -1003),
    (error(429, -1003, "Too many requests.", **{"Retry-After": "60"}), errors.RateLimitError, -1003),
    (error(500, -1000, "An unknown error occurred."), errors.UnknownExecutionStatusError, -1000),
    (httpx.Response(502, content=b"<html>Bad Gateway</html>"), errors.UnknownExecutionStatusError, None),
    (httpx.Response(503), errors.UnknownExecutionStatusError, None),
    (error(400, -1007, "Timeout waiting for response from backend server."), errors.UnknownExecutionStatusError, -1007),
    (error(408, -1007, "Timeout waiting for response from backend server."), errors.UnknownExecutionStatusError, -1007),
    (httpx.Response(302, headers={"Location": "https://example.invalid/"}), errors.UnknownExecutionStatusError, None),
    (httpx.Response(200, content=b'{"orderListId": 0, "contin'), errors.ResponseDecodeError, None),
    (httpx.Response(200, content=b"<html>not json</html>"), errors.ResponseDecodeError, None),
    (httpx.Response(200, content=b"[1, 2]"), errors.ResponseDecodeError, None),
    (httpx.Response(200, content=b"\xff\xfe"), errors.ResponseDecodeError, None),
    (httpx.Response(200, content=b""), errors.ResponseDecodeError, None),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("response", "error_class", "code"), OUTCOMES)
def test_every_outcome_is_its_typed_error_with_everything_kept(
    mode: str, response: httpx.Response, error_class: type[Exception], code: int | None
) -> None:
    recorder = Recorder(response)
    with pytest.raises(errors.BinanceError) as raised:
        cancel(mode, recorder)
    assert type(raised.value) is error_class
    assert raised.value.status_code == response.status_code  # type: ignore[attr-defined]
    assert raised.value.code == code  # type: ignore[attr-defined]
    assert raised.value.body == response.content  # type: ignore[attr-defined]
    assert dict(raised.value.headers) == dict(response.headers)  # type: ignore[attr-defined]
    assert len(recorder.requests) == 1, "never re-sent"


def test_retry_after_is_parsed_for_bans_and_rate_limits() -> None:
    with pytest.raises(errors.IPBanError) as raised:
        cancel("sync", Recorder(error(418, -1003, "banned", **{"Retry-After": "120"})))
    assert raised.value.retry_after == 120
    assert "120" in str(raised.value)


def test_unknown_execution_status_message_says_what_to_do() -> None:
    with pytest.raises(errors.UnknownExecutionStatusError) as raised:
        cancel("sync", Recorder(httpx.Response(503)))
    assert "may or may not be cancelled" in str(raised.value)


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda body: body.pop("orderReports"), "'orderReports' is missing"),
        (lambda body: body["orderReports"][0].pop("price"), "'price' is missing"),
        (lambda body: body["orderReports"][0].update(orderId="2"), "order_reports[0].order_id: expected int"),
        (lambda body: body.update(orderListId=True), "order_list_id: expected int, got bool"),
        (lambda body: body["orderReports"][1].update(price="abc"), "order_reports[1].price: not a decimal"),
        (lambda body: body["orderReports"][1].update(price="NaN"), "order_reports[1].price: not a decimal"),
        (lambda body: body.update(orders={"a": 1}), "unexpected structure"),
        (lambda body: body.update(contingencyType=7), "unexpected structure"),
        (lambda body: body["orders"].append("x"), "unexpected structure"),
    ],
)
def test_bodies_that_break_the_schema_are_decode_errors(
    seed_response: dict[str, Any], mutate: Any, problem: str
) -> None:
    mutate(seed_response)
    with pytest.raises(errors.ResponseDecodeError) as raised:
        cancel("sync", Recorder(ok(seed_response)))
    assert problem in str(raised.value)
    assert raised.value.body == json.dumps(seed_response).encode()


@pytest.mark.parametrize("mode", MODES)
def test_unknown_enums_and_extra_fields_parse(mode: str, seed_response: dict[str, Any]) -> None:
    seed_response["contingencyType"] = "OPOCO"
    seed_response["orderReports"][0]["status"] = "NEW_STATUS"
    seed_response["orderReports"][0]["brandNewField"] = [1]
    result = cancel(mode, Recorder(ok(seed_response)))
    assert result.contingency_type == "OPOCO"
    assert result.order_reports[0].status == "NEW_STATUS"
    assert result.order_reports[0]["brandNewField"] == [1]


@pytest.mark.parametrize("mode", MODES)
def test_transport_failure_before_sending_is_retried_then_raised(mode: str) -> None:
    recorder = Recorder(httpx.ConnectError("Connection refused"))
    with pytest.raises(errors.TransportError, match="safe to send again"):
        cancel(mode, recorder, {"max_retries": 2})
    assert len(recorder.requests) == 3
    signatures = {query(r)["signature"] for r in recorder.requests}
    assert len(signatures) == 3, "every attempt is signed afresh"


@pytest.mark.parametrize("mode", MODES)
def test_transport_failure_then_success(mode: str) -> None:
    recorder = Recorder(httpx.ConnectTimeout("timed out"), ok())
    assert cancel(mode, recorder).order_list_id == 0
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout("timed out"), httpx.RemoteProtocolError("peer closed"), httpx.ReadError("reset")]
)
def test_failure_after_sending_is_unknown_and_never_retried(mode: str, failure: Exception) -> None:
    recorder = Recorder(failure, ok())
    with pytest.raises(errors.UnknownExecutionStatusError) as raised:
        cancel(mode, recorder)
    assert raised.value.status_code is None
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_short_rate_limit_is_waited_out_and_retried(mode: str) -> None:
    recorder = Recorder(error(429, -1003, "Too many requests.", **{"Retry-After": "0"}), ok())
    assert cancel(mode, recorder).order_list_id == 0
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("mode", MODES)
def test_rate_limit_retries_stop_at_max_retries(mode: str) -> None:
    recorder = Recorder(error(429, -1003, "Too many requests.", **{"Retry-After": "0"}))
    with pytest.raises(errors.RateLimitError):
        cancel(mode, recorder, {"max_retries": 1})
    assert len(recorder.requests) == 2


def server_time(offset_ms: int) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v3/time"
        assert "signature" not in query(request)
        return httpx.Response(200, json={"serverTime": time.time_ns() // 1_000_000 + offset_ms})

    return answer


@pytest.mark.parametrize("mode", MODES)
def test_timestamp_error_resyncs_the_clock_and_retries_once(mode: str) -> None:
    recorder = Recorder(
        error(400, -1021, "Timestamp for this request is outside of the recvWindow."), server_time(30_000), ok()
    )
    before_ms = time.time_ns() // 1_000_000
    assert cancel(mode, recorder).order_list_id == 0
    span_ms = time.time_ns() // 1_000_000 - before_ms
    first, _time_request, retry = recorder.requests
    # Both timestamps and the server's reading of its clock fall within the call: only that span is unknown.
    assert abs(int(query(retry)["timestamp"]) - int(query(first)["timestamp"]) - 30_000) <= 2 * span_ms + 4


@pytest.mark.parametrize("mode", MODES)
def test_timestamp_error_after_resync_is_raised(mode: str) -> None:
    drift = error(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    recorder = Recorder(drift, server_time(0), drift)
    with pytest.raises(errors.TimestampError):
        cancel(mode, recorder)
    assert [r.url.path for r in recorder.requests] == ["/api/v3/orderList", "/api/v3/time", "/api/v3/orderList"]


def test_sync_time_returns_the_offset() -> None:
    with sync_client(Recorder(server_time(-30_000))) as client:
        before_ms = time.time_ns() // 1_000_000
        offset_ms = client.sync_time()
        span_ms = time.time_ns() // 1_000_000 - before_ms
        assert abs(offset_ms + 30_000) <= span_ms + 2, "off by the round trip at most"
        assert client.time_offset_ms == offset_ms


def test_from_env_with_hmac_secret() -> None:
    client = SpotClient.from_env(
        {"BINANCE_API_KEY": "k", "BINANCE_API_SECRET": SECRET, "BINANCE_BASE_URL": "http://127.0.0.1:1"}
    )
    assert client.base_urls == ("http://127.0.0.1:1",)
    client.close()


async def test_from_env_with_private_key_file(tmp_path: Path) -> None:
    key = ed25519_key()
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(pem_of(key, password=b"pw"))
    environ = {"BINANCE_API_KEY": "k", "BINANCE_PRIVATE_KEY_FILE": str(key_file), "BINANCE_PRIVATE_KEY_PASSWORD": "pw"}
    recorder = Recorder(ok())
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with AsyncSpotClient.from_env(environ, max_retries=0, http_client=http) as client:
        await client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    payload, _, signature = recorder.requests[0].url.query.decode().rpartition("&signature=")
    key.public_key().verify(base64.b64decode(unquote(signature)), payload.encode())  # signed with the file's key


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "BINANCE_API_KEY"),
        ({"BINANCE_API_KEY": "k"}, "BINANCE_API_SECRET"),
        ({"BINANCE_API_KEY": "k", "BINANCE_PRIVATE_KEY_FILE": "/nonexistent/key.pem"}, "cannot be read"),
    ],
)
def test_from_env_explains_what_is_missing(environ: dict[str, str], message: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=message):
        SpotClient.from_env(environ)


def test_a_passed_http_client_is_left_open() -> None:
    mine = httpx.Client(transport=httpx.MockTransport(Recorder(ok())))
    with SpotClient(api_key="k", signer=HmacSigner(SECRET), http_client=mine) as client:
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    assert not mine.is_closed
    mine.close()


async def test_own_connections_are_aiohttp_when_installed_else_httpx() -> None:
    """Which library carries an attempt of a client's own connections, told by the public method each is sent
    through (spied on, still called): aiohttp's session with the extra, else httpx's; httpcore's pool for sync."""
    settings: dict[str, Any] = {"api_key": "k", "signer": HmacSigner(SECRET), "max_retries": 0}
    settings["base_url"] = f"http://127.0.0.1:{refused_port()}"

    def spy(owner: type, method: str) -> Any:
        return mock.patch.object(owner, method, autospec=True, side_effect=getattr(owner, method))

    with spy(aiohttp.ClientSession, "request") as aiohttp_request, spy(httpx.AsyncClient, "send") as httpx_send:
        async with AsyncSpotClient(**settings) as with_extra:
            with pytest.raises(errors.TransportError):
                await with_extra.get_server_time()
        assert (aiohttp_request.call_count, httpx_send.call_count) == (1, 0)
        with spy(httpx.AsyncClient, "aclose") as httpx_aclose:
            async with async_client_without_aiohttp(**settings) as without_extra:
                with pytest.raises(errors.TransportError):
                    await without_extra.get_server_time()
            assert (aiohttp_request.call_count, httpx_send.call_count) == (1, 1)
            assert httpx_aclose.call_count == 1, "its own httpx.AsyncClient is closed with it"
    with spy(httpcore.ConnectionPool, "handle_request") as pool_request, SpotClient(**settings) as sync:
        with pytest.raises(errors.TransportError):
            sync.get_server_time()
        assert pool_request.call_count == 1


@given(
    symbol=st.text(alphabet=st.characters(categories=["Lu", "Nd", "Lo"]), min_size=1, max_size=20),
    list_client_order_id=st.from_regex(r"[.A-Z:/a-z0-9_-]{1,36}", fullmatch=True),
    recv_window=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(60000), places=3).map(
        lambda value: format(value.normalize(), "f")  # as the rules render it: no trailing zeros
    ),
)
def test_the_query_is_sent_byte_for_byte_by_httpx_and_aiohttp(
    symbol: str, list_client_order_id: str, recv_window: str
) -> None:
    """What is signed must be what is sent: neither httpx's URL parser nor aiohttp's (yarl) may re-encode it."""
    recorder = Recorder(ok())
    with sync_client(recorder, max_retries=0) as client:
        try:
            client.cancel_order_list(symbol=symbol, list_client_order_id=list_client_order_id, recv_window=recv_window)
        except errors.RequestValidationError:  # openapi.yaml's rules refused it: nothing goes on the wire
            assume(False)
    [request] = recorder.requests
    sent = request.url.query.decode()
    values = {"symbol": symbol, "listClientOrderId": list_client_order_id, "recvWindow": recv_window}
    assert sent.split("&")[:3] == [f"{name}={quote(value, safe=':/')}" for name, value in values.items()]
    assert yarl.URL(str(request.url)).raw_query_string == sent
    assert httpx.URL(str(request.url)).query.decode() == sent


def lost_after_sending(cause: Exception) -> Exception:
    """What ``no_hidden_resend`` raises for a connection lost after the request was written."""
    from binance_orderlist._aiohttp import SentThenLost

    error = SentThenLost(*cause.args)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("cause", "outcome"),
    [
        (aiohttp.ServerDisconnectedError(), errors.UnknownExecutionStatusError),
        (lost_after_sending(aiohttp.ServerDisconnectedError()), errors.UnknownExecutionStatusError),
        (lost_after_sending(aiohttp.ClientOSError(104, "reset")), errors.UnknownExecutionStatusError),
        (
            aiohttp.ClientConnectorError(ConnectionKey("h", 1, False, True, None, None, None), OSError(111, "refused")),
            errors.TransportError,
        ),
        (aiohttp.ClientConnectionResetError("Cannot write to closing transport"), errors.TransportError),
        (aiohttp.ClientConnectionResetError("Connection lost"), errors.UnknownExecutionStatusError),
        (aiohttp.ClientPayloadError("Response payload is not completed"), errors.UnknownExecutionStatusError),
    ],
)
def test_httpx_aiohttp_connect_timeouts_are_sorted_by_their_aiohttp_cause(
    cause: Exception, outcome: type[errors.BinanceError]
) -> None:
    """httpx-aiohttp reports a server that hung up after the request as ConnectTimeout: never re-sent blindly.
    A connection aiohttp found closed before writing a byte of the request is safe to send again."""
    mapped = httpx.ConnectTimeout("mapped by httpx-aiohttp")
    mapped.__cause__ = cause
    recorder = Recorder(mapped, ok())
    with pytest.raises(outcome):
        cancel("async", recorder, {"max_retries": 0})
    assert len(recorder.requests) == 1


def test_the_client_options_that_set_parameters_are_openapi_yaml_s() -> None:
    """``recv_window`` and ``time_unit`` come from the generated ``ParameterOptions``, not a hand list: a new
    ``x-client-option`` in the spec becomes a keyword of both clients and of ``with_options``."""
    from binance_orderlist_api.facade import ParameterOptions
    from binance_orderlist_api.operations import CLIENT_OPTIONS

    assert set(ParameterOptions.__annotations__) == set(CLIENT_OPTIONS) == {"recv_window", "time_unit"}
    recorder = Recorder(ok())
    with sync_client(recorder, recv_window=Decimal("6000.5")) as client:
        patient = client.with_options(time_unit="MICROSECOND", recv_window=None)
        patient.cancel_order_list(symbol="LTCBTC", order_list_id=0)
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    first, second = recorder.requests
    assert ("recvWindow" not in query(first), first.headers["X-MBX-TIME-UNIT"]) == (True, "MICROSECOND")
    assert (query(second)["recvWindow"], "X-MBX-TIME-UNIT" in second.headers) == ("6000.5", False)


@pytest.mark.parametrize("client_class", [SpotClient, AsyncSpotClient])
def test_a_misspelt_client_option_is_refused_not_ignored(client_class: type[SpotClient | AsyncSpotClient]) -> None:
    with pytest.raises(TypeError, match="unexpected client option 'recv_windw'"):
        client_class(api_key="k", signer=HmacSigner("s"), recv_windw=5)  # type: ignore[call-arg]
