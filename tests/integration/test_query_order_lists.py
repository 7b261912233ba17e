"""query_order_list and query_open_order_lists, sync and async, against the emulator as a real server."""

import pytest
from binance_orderlist import ContingencyType, ListOrderStatus, OpenOrderLists, OrderList
from binance_orderlist.errors import (
    RequestValidationError,
    ResponseDecodeError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)
from binance_orderlist_emulator import EmulatorControl, FaultKind

from ..harness import invoke
from .conftest import MakeClient

SEED_CLIENT_ID = "C3wyj4WVEktd7u9aVBRXcN"


@pytest.mark.parametrize(
    "ids", [{"order_list_id": 0}, {"orig_client_order_id": SEED_CLIENT_ID}], ids=["id", "client-id"]
)
async def test_a_list_is_queried_by_either_id(
    emulator: EmulatorControl, make_client: MakeClient, ids: dict[str, object]
) -> None:
    client = make_client()
    order_list = await invoke(client, "query_order_list", **ids)
    assert isinstance(order_list, OrderList)
    assert (order_list.order_list_id, order_list.list_client_order_id) == (0, SEED_CLIENT_ID)
    assert (order_list.contingency_type, order_list.list_order_status) == (ContingencyType.OCO, "EXECUTING")
    assert [order.order_id for order in order_list.orders] == [2, 3]
    assert client.rate_limit_usage.used_weight == {"1m": 4}
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert (await invoke(client, "query_order_list", **ids)).list_order_status == ListOrderStatus.ALL_DONE


async def test_either_id_is_required_before_anything_is_sent(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    with pytest.raises(RequestValidationError, match="either order_list_id or orig_client_order_id must be given"):
        await invoke(make_client(), "query_order_list")
    with pytest.raises(RequestValidationError):
        await invoke(make_client(), "query_order_list", orig_client_order_id="has space")
    assert emulator.requests() == []


async def test_a_list_that_does_not_exist_is_2013(emulator: EmulatorControl, make_client: MakeClient) -> None:
    with pytest.raises(UnknownOrderListError) as raised:
        await invoke(make_client(), "query_order_list", order_list_id=7)
    assert (raised.value.status_code, raised.value.code) == (400, -2013)


async def test_open_lists_are_a_list_of_order_lists(emulator: EmulatorControl, make_client: MakeClient) -> None:
    created = emulator.create_order_list(symbol="BTCUSDT", contingency_type="OTO")
    client = make_client()
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    open_lists = await invoke(client, "query_open_order_lists", recv_window=6000)
    assert isinstance(open_lists, OpenOrderLists)
    assert isinstance(open_lists, list)
    assert [(item.order_list_id, item.symbol) for item in open_lists] == [(created.order_list_id, "BTCUSDT")]
    assert all(isinstance(item, OrderList) for item in open_lists)
    assert client.rate_limit_usage.used_weight == {"1m": 6}
    raw = await invoke(client, "with_raw_response.query_open_order_lists")
    assert raw.parse() == open_lists


async def test_no_open_lists_is_an_empty_list(emulator: EmulatorControl, make_client: MakeClient) -> None:
    client = make_client()
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert await invoke(client, "query_open_order_lists") == []


@pytest.mark.parametrize(
    ("fault", "params", "problem"),
    [
        (FaultKind.MISSING_FIELD, {"field": "symbol"}, "'symbol' is missing"),
        (FaultKind.MALFORMED_JSON, {}, "not valid JSON"),
    ],
)
async def test_a_broken_array_is_a_decode_error(
    emulator: EmulatorControl, make_client: MakeClient, fault: FaultKind, params: dict[str, object], problem: str
) -> None:
    emulator.add_fault(fault, path="/api/v3/openOrderList", **params)  # type: ignore[arg-type]
    with pytest.raises(ResponseDecodeError, match=problem):
        await invoke(make_client(), "query_open_order_lists")


@pytest.mark.parametrize("fault", [FaultKind.SERVER_ERROR_JSON, FaultKind.DROPPED_CONNECTION])
async def test_a_lost_query_answer_says_a_query_changes_nothing(
    emulator: EmulatorControl, make_client: MakeClient, fault: FaultKind
) -> None:
    """Only a cancel's lost answer leaves the list's fate unknown; the advice must not say so of a query."""
    emulator.add_fault(fault, path="/api/v3/orderList", method="GET")
    with pytest.raises(UnknownExecutionStatusError) as raised:
        await invoke(make_client(max_retries=0), "query_order_list", order_list_id=0)
    assert "It was a query, which changes nothing: it is safe to send again" in str(raised.value)
    assert "may or may not be cancelled" not in str(raised.value)
    assert emulator.order_list(0).list_order_status == "EXECUTING"
