"""The generated methods of both clients, their per-call options, ``with_options`` and ``with_raw_response``.

Method and parameter names come from the generated rules (``OPERATIONS``), not from this file.
"""

import asyncio
import inspect
from typing import Any

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, RawResponse, SpotClient
from binance_orderlist.errors import ConfigurationError, RateLimitError, RequestValidationError, UnknownOrderListError
from binance_orderlist_api.facade import AsyncRawResponses, SyncRawResponses
from binance_orderlist_api.operations import OPERATIONS

from .conftest import Recorder, async_client, error, ok, run, sync_client

MODES = ["sync", "async"]
PER_CALL_OPTIONS = ["timeout", "max_retries"]


def query(request: httpx.Request) -> dict[str, str]:
    return dict(httpx.QueryParams(request.url.query.decode()))


@pytest.mark.parametrize("client_class", [SpotClient, AsyncSpotClient])
@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=list(OPERATIONS))
def test_every_operation_is_a_typed_keyword_only_method(client_class: type, operation: Any) -> None:
    raw_class = SyncRawResponses if client_class is SpotClient else AsyncRawResponses
    for owner in (client_class, raw_class):
        method = getattr(owner, operation.python_name)
        signature = inspect.signature(method)
        expected = [parameter.python_name for parameter in operation.parameters if parameter.per_call]
        assert list(signature.parameters)[1:] == expected + PER_CALL_OPTIONS
        assert all(p.kind is p.KEYWORD_ONLY for p in list(signature.parameters.values())[1:])
        assert inspect.iscoroutinefunction(method) == (client_class is AsyncSpotClient)
        assert (method.__doc__ or "").startswith(operation.summary)


def test_what_the_signing_step_or_a_client_option_sets_is_no_argument() -> None:
    parameters = inspect.signature(SpotClient.cancel_order_list).parameters
    assert "timestamp" not in parameters
    assert "x_mbx_time_unit" not in parameters


@pytest.mark.parametrize("mode", MODES)
def test_max_retries_per_call_overrides_the_clients(mode: str) -> None:
    limited = error(429, -1003, "Too many requests.", **{"Retry-After": "0"})
    recorder = Recorder(limited, ok())
    run(mode, recorder, "cancel_order_list", {"max_retries": 0}, max_retries=1)
    assert len(recorder.requests) == 2
    recorder = Recorder(limited, ok())
    with pytest.raises(RateLimitError):
        run(mode, recorder, "cancel_order_list", {"max_retries": 2}, max_retries=0)
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_timeout_per_call_goes_on_that_request_only(mode: str) -> None:
    recorder = Recorder(ok())
    run(mode, recorder, "cancel_order_list", {"timeout": 10.0}, timeout=httpx.Timeout(2.5, connect=1.0))
    run(mode, recorder, "cancel_order_list", {"timeout": 10.0})
    assert [request.extensions["timeout"] for request in recorder.requests] == [
        httpx.Timeout(2.5, connect=1.0).as_dict(),
        httpx.Timeout(10.0).as_dict(),
    ]


@pytest.mark.parametrize(("option", "value"), [("timeout", -1), ("max_retries", -1), ("max_retries", True)])
def test_bad_per_call_options_are_configuration_errors_and_send_nothing(option: str, value: object) -> None:
    recorder = Recorder(ok())
    with pytest.raises(ConfigurationError):
        run("sync", recorder, "cancel_order_list", None, **{option: value})
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_raw_responses_keep_their_own_rate_limit_usage(mode: str) -> None:
    """Two calls, each response with its own counter: each RawResponse keeps its own, the client the last."""

    def numbered(request: httpx.Request) -> httpx.Response:
        return ok(**{"X-MBX-USED-WEIGHT-1M": str(len(recorder.requests)), "X-Trace": "t"})

    recorder = Recorder(numbered)

    async def two_async() -> tuple[Any, Any, Any]:
        async with async_client(recorder) as client:
            first = await client.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=0)
            second = await client.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=0)
            return first, second, client.rate_limit_usage

    if mode == "sync":
        with sync_client(recorder) as client:
            first = client.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=0)
            second = client.with_raw_response.cancel_order_list(symbol="LTCBTC", order_list_id=0)
            latest = client.rate_limit_usage
    else:
        first, second, latest = asyncio.run(two_async())
    assert isinstance(first, RawResponse)
    assert (first.status_code, first.headers["X-Trace"]) == (200, "t")
    assert (first.rate_limit_usage.used_weight, second.rate_limit_usage.used_weight) == ({"1m": 1}, {"1m": 2})
    assert latest.used_weight == {"1m": 2}
    parsed = first.parse()
    assert isinstance(parsed, CancelOrderListResponse)
    assert parsed.order_list_id == 0


@pytest.mark.parametrize("mode", MODES)
def test_raw_responses_raise_the_same_typed_errors_and_validate_first(mode: str) -> None:
    recorder = Recorder(error(400, -2011, "Unknown order list sent."))
    with pytest.raises(UnknownOrderListError):
        run(mode, recorder, "with_raw_response.cancel_order_list")
    with pytest.raises(RequestValidationError):
        run(mode, recorder, "with_raw_response.cancel_order_list", symbol="ltc btc")
    assert len(recorder.requests) == 1


def test_with_options_shares_the_connections_and_changes_only_the_defaults() -> None:
    recorder = Recorder(ok())
    with sync_client(recorder, max_retries=0) as client:
        other = client.with_options(recv_window="6000.5", time_unit="microsecond", timeout=3.0)
        other.cancel_order_list(symbol="LTCBTC", order_list_id=0)
        other.close()
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    with_defaults, plain = recorder.requests  # both through the one transport, the child's close left it open
    assert (query(with_defaults)["recvWindow"], with_defaults.headers["X-MBX-TIME-UNIT"]) == ("6000.5", "microsecond")
    assert len(query(with_defaults)["timestamp"]) == 16
    assert with_defaults.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
    assert "recvWindow" not in query(plain)
    assert "X-MBX-TIME-UNIT" not in plain.headers


@pytest.mark.parametrize(
    ("options", "error_class", "parameter"),
    [
        ({"time_unit": "Microsecond"}, RequestValidationError, "time_unit"),
        ({"recv_window": 0}, RequestValidationError, "recv_window"),
        ({"max_retries": -1}, ConfigurationError, None),
        ({"max_retry_after": -1}, ConfigurationError, None),
    ],
)
def test_with_options_checks_what_it_is_given(
    options: dict[str, Any], error_class: type[Exception], parameter: str | None
) -> None:
    with sync_client(Recorder(ok())) as client, pytest.raises(error_class) as raised:
        client.with_options(**options)
    assert getattr(raised.value, "parameter", None) == parameter
