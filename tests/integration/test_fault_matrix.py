"""The fault matrix: every fault a server (or the network) can throw at a cancel, sync and async, against the
emulator as a real server. Each row checks the exact outcome, what the error keeps, and how many requests
reached the server: nothing is re-sent blindly after an unknown outcome. docs/reliability.md shows the table.
"""

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from attrs import frozen
from binance_orderlist import CancelOrderListResponse
from binance_orderlist.errors import (
    BinanceAPIError,
    BinanceError,
    IPBanError,
    RateLimitError,
    ResponseDecodeError,
    TransportError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)
from binance_orderlist_emulator import EmulatorControl

from tests.ports import refused_port

from ..harness import invoke
from .conftest import MakeClient

CANCEL_PATH = "/api/v3/orderList"


@frozen
class Row:
    """One fault: how to cause it, what the caller gets, and how many cancels reach the server."""

    fault: str
    params: dict[str, Any]
    outcome: type[BinanceError] | type[CancelOrderListResponse]
    status: int | None
    code: int | None
    cancels_sent: int
    cancelled: bool
    check: Callable[[Any], bool] = lambda _: True
    timeout: float = 10.0
    """Short only where the timeout is the fault: a busy machine must not turn another row into one."""


MATRIX = {
    "5XX with a JSON body": Row("server_error_json", {}, UnknownExecutionStatusError, 500, -1001, 1, False),
    "5XX with an HTML body": Row(
        "server_error_html", {}, UnknownExecutionStatusError, 502, None, 1, False, lambda e: b"<html" in e.body
    ),
    "5XX with an empty body": Row(
        "server_error_empty", {}, UnknownExecutionStatusError, 503, None, 1, False, lambda e: e.body == b""
    ),
    "5XX after the cancel happened": Row(
        "server_error_json", {"apply_cancel": True}, UnknownExecutionStatusError, 500, -1001, 1, True
    ),
    "-1007 backend timeout": Row("backend_timeout", {}, UnknownExecutionStatusError, 500, -1007, 1, False),
    "403 WAF HTML page": Row(
        "waf_forbidden", {}, BinanceAPIError, 403, None, 1, False, lambda e: "firewall" in str(e) and b"<" in e.body
    ),
    "429 within the Retry-After bound": Row(
        "rate_limited", {"retry_after": 1}, CancelOrderListResponse, None, None, 2, True
    ),
    "429 beyond the Retry-After bound": Row(
        "rate_limited", {"retry_after": 60}, RateLimitError, 429, -1003, 1, False, lambda e: e.retry_after == 60
    ),
    "418 IP ban": Row("ip_banned", {"retry_after": 1}, IPBanError, 418, -1003, 1, False, lambda e: e.retry_after == 1),
    "malformed JSON on 200": Row("malformed_json", {}, ResponseDecodeError, 200, None, 1, True),
    "truncated body on 200": Row(
        "truncated_json", {}, ResponseDecodeError, 200, None, 1, True, lambda e: "not valid JSON" in str(e)
    ),
    "missing required field": Row(
        "missing_field", {"field": "orderReports.price"}, ResponseDecodeError, 200, None, 1, True,
        lambda e: "'price' is missing" in str(e),
    ),
    "unknown enum values": Row(
        "unknown_enum_values", {}, CancelOrderListResponse, None, None, 1, True,
        lambda r: r.contingency_type == "OPOCO_NEW" and not r.order_reports[0].status.is_known,
    ),
    "extra fields": Row(
        "extra_fields", {}, CancelOrderListResponse, None, None, 1, True,
        lambda r: r["unknownCount"] == 42 and r.order_reports[0]["orderTag"] == "spring",
    ),
    "response slower than the timeout": Row(
        "slow_response", {"seconds": 2.0}, UnknownExecutionStatusError, None, None, 1, True,
        lambda e: "ReadTimeout" in str(e), timeout=0.5,
    ),
    "connection dropped mid-response": Row("dropped_connection", {}, UnknownExecutionStatusError, None, None, 1, True),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MATRIX))
async def test_fault(make_client: MakeClient, emulator: EmulatorControl, name: str) -> None:
    row = MATRIX[name]
    created = emulator.create_order_list()
    emulator.add_fault(row.fault, path=CANCEL_PATH, **row.params)
    client = make_client(timeout=row.timeout, max_retries=2, max_retry_after=5.0)
    try:
        result: Any = await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=created.order_list_id)
    except BinanceError as error:
        result = error
    assert type(result) is row.outcome, f"{name}: got {result!r}"
    if isinstance(result, BinanceError):
        assert (result.status_code, result.code) == (row.status, row.code)  # type: ignore[attr-defined]
        if row.status is not None:
            assert "x-mbx-used-weight-1m" in result.headers  # type: ignore[attr-defined]
        if row.status == 200:
            assert result.body.startswith(b"{"), "the raw body is kept"  # type: ignore[attr-defined]
        if row.code is not None:
            assert json.loads(result.body) == {"code": row.code, "msg": result.msg}  # type: ignore[attr-defined]
    assert row.check(result)
    cancels = [logged for logged in emulator.requests() if logged.path == CANCEL_PATH]
    assert len(cancels) == row.cancels_sent, "how many cancels reached the server"
    if row.cancels_sent > 1:
        assert len({logged.query_string.rpartition("signature=")[2] for logged in cancels}) == row.cancels_sent
    assert (emulator.order_list(created.order_list_id).list_order_status == "ALL_DONE") is row.cancelled


@pytest.mark.parametrize("drift_ms", [30_000, -30_000])
async def test_clock_drift_is_recovered_by_one_resync(
    make_client: MakeClient, emulator: EmulatorControl, drift_ms: int
) -> None:
    emulator.shift_clock(drift_ms)
    client = make_client()
    before_ms = time.time_ns() // 1_000_000
    result = await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    span_ms = time.time_ns() // 1_000_000 - before_ms
    assert result.order_list_id == 0
    assert [(logged.path, logged.status) for logged in emulator.requests()] == [
        (CANCEL_PATH, 400),
        ("/api/v3/time", 200),
        (CANCEL_PATH, 200),
    ]
    assert abs(client.time_offset_ms - drift_ms) <= span_ms + 2, "off by the round trip at most"
    emulator.clear_requests()
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=emulator.create_order_list().order_list_id)
    assert len(emulator.requests()) == 1, "the learned offset is kept"


async def test_unknown_order_list_is_2011(make_client: MakeClient, emulator: EmulatorControl) -> None:
    with pytest.raises(UnknownOrderListError) as raised:
        await invoke(make_client(), "cancel_order_list", symbol="LTCBTC", order_list_id=987654)
    assert (raised.value.status_code, raised.value.code) == (400, -2011)
    assert raised.value.body == b'{"code":-2011,"msg":"Unknown order list sent."}'
    assert len(emulator.requests()) == 1


async def test_rate_limit_then_ban_from_real_weight_counting(
    make_client: MakeClient, emulator: EmulatorControl
) -> None:
    emulator.set_rate_limit(2, ban_seconds=120)
    client = make_client(max_retry_after=0.0)
    for _ in range(2):
        with pytest.raises(UnknownOrderListError):
            await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=987654)
    with pytest.raises(RateLimitError) as limited:
        await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert limited.value.retry_after is not None
    assert limited.value.retry_after > 0
    with pytest.raises(IPBanError) as banned:
        await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert banned.value.retry_after == 120
    assert len(emulator.requests()) == 4, "neither the 429 nor the 418 was retried"


async def test_connection_refused_is_retried_then_a_transport_error(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{refused_port()}", max_retries=2)
    with caplog.at_level(logging.INFO, logger="binance_orderlist"), pytest.raises(TransportError) as raised:
        await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert "Connect" in str(raised.value)
    assert "safe to send again" in str(raised.value)
    assert [record.getMessage().split(":")[0] for record in caplog.records] == ["TransportError"] * 2, "two retries"
