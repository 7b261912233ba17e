"""ensure_order_list_cancelled against the emulator as a real server, sync and async: every way a cancel's
answer can be lost or misleading, with the exact number of cancels and queries that reached the server.
The README's scenario table is this file's."""

from typing import Any
from urllib.parse import parse_qs

import pytest
from attrs import frozen
from binance_orderlist import CancelConfirmation, CancelOrderListResponse, CancelState, ListOrderStatus
from binance_orderlist._ensure import EnsureBudget
from binance_orderlist.errors import RequestValidationError, UnknownExecutionStatusError, UnknownOrderListError
from binance_orderlist_emulator import EmulatorControl, FaultKind, LoggedRequest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..harness import invoke
from .conftest import MakeClient

PATH = "/api/v3/orderList"
SEED_CLIENT_ID = "C3wyj4WVEktd7u9aVBRXcN"


def cancels(emulator: EmulatorControl) -> list[LoggedRequest]:
    return [r for r in emulator.requests() if (r.method, r.path) == ("DELETE", PATH)]


def queries(emulator: EmulatorControl) -> list[LoggedRequest]:
    return [r for r in emulator.requests() if (r.method, r.path) == ("GET", PATH)]


def sent(emulator: EmulatorControl) -> tuple[int, int]:
    """(cancels, queries) that reached the server; nothing else is sent by these scenarios."""
    assert all(r.path == PATH for r in emulator.requests())
    return len(cancels(emulator)), len(queries(emulator))


async def ensure(make_client: MakeClient, **ids: Any) -> CancelConfirmation:
    confirmation: CancelConfirmation = await invoke(
        make_client(), "ensure_order_list_cancelled", **({"symbol": "LTCBTC"} | ids)
    )
    return confirmation


def fault_on_cancel(emulator: EmulatorControl, kind: str, **params: Any) -> None:
    emulator.add_fault(kind, path=PATH, method="DELETE", **params)


async def test_plain_success_is_cancelled_with_the_report(emulator: EmulatorControl, make_client: MakeClient) -> None:
    confirmation = await ensure(make_client, order_list_id=0)
    assert confirmation.state is CancelState.CANCELLED
    assert isinstance(confirmation.report, CancelOrderListResponse)
    assert (confirmation.report.order_list_id, confirmation.order_list) == (0, None)
    assert sent(emulator) == (1, 0) == (confirmation.cancels_sent, confirmation.queries_sent)


@frozen
class LostAnswer:
    kind: FaultKind
    params: dict[str, object]


EXECUTED = {
    "5XX JSON": LostAnswer(FaultKind.SERVER_ERROR_JSON, {"apply_cancel": True}),
    "5XX HTML": LostAnswer(FaultKind.SERVER_ERROR_HTML, {"apply_cancel": True}),
    "5XX empty": LostAnswer(FaultKind.SERVER_ERROR_EMPTY, {"apply_cancel": True}),
    "-1007": LostAnswer(FaultKind.BACKEND_TIMEOUT, {"apply_cancel": True}),
    "dropped connection": LostAnswer(FaultKind.DROPPED_CONNECTION, {}),
    "unreadable 200": LostAnswer(FaultKind.MALFORMED_JSON, {}),
}
NOT_EXECUTED = {
    "5XX JSON": LostAnswer(FaultKind.SERVER_ERROR_JSON, {}),
    "-1007": LostAnswer(FaultKind.BACKEND_TIMEOUT, {}),
    "dropped connection": LostAnswer(FaultKind.DROPPED_CONNECTION, {"apply_cancel": False}),
}


@pytest.mark.parametrize("lost", EXECUTED.values(), ids=EXECUTED.keys())
@pytest.mark.parametrize(
    "ids", [{"order_list_id": 0}, {"list_client_order_id": SEED_CLIENT_ID}], ids=["id", "client-id"]
)
async def test_a_lost_answer_after_the_cancel_executed_is_not_open(
    emulator: EmulatorControl, make_client: MakeClient, lost: LostAnswer, ids: dict[str, object]
) -> None:
    fault_on_cancel(emulator, lost.kind, **lost.params)
    confirmation = await ensure(make_client, **ids)
    assert confirmation.state is CancelState.NOT_OPEN
    assert confirmation.report is None
    assert confirmation.order_list is not None
    assert confirmation.order_list.list_order_status == ListOrderStatus.ALL_DONE
    assert sent(emulator) == (1, 1)
    query = parse_qs(queries(emulator)[0].query_string)
    assert ("orderListId" in query, "origClientOrderId" in query) == (
        "order_list_id" in ids,
        "order_list_id" not in ids,
    )


@pytest.mark.parametrize("lost", NOT_EXECUTED.values(), ids=NOT_EXECUTED.keys())
async def test_a_lost_answer_without_execution_is_cancelled_again_with_a_fresh_signature(
    emulator: EmulatorControl, make_client: MakeClient, lost: LostAnswer
) -> None:
    fault_on_cancel(emulator, lost.kind, **lost.params)
    confirmation = await ensure(make_client, order_list_id=0)
    assert confirmation.state is CancelState.CANCELLED
    assert confirmation.report is not None
    assert sent(emulator) == (2, 1)
    first, second = (parse_qs(r.query_string) for r in cancels(emulator))
    assert int(second["timestamp"][0]) > int(first["timestamp"][0])
    assert second["signature"] != first["signature"]
    log = emulator.requests()
    assert [(r.method, r.status) for r in log][1:] == [("GET", 200), ("DELETE", 200)]  # the query came between


async def test_a_stale_query_costs_one_more_cancel_that_answers_2011(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    emulator.set_query_lag(queries=1)
    fault_on_cancel(emulator, FaultKind.BACKEND_TIMEOUT, apply_cancel=True)
    confirmation = await ensure(make_client, order_list_id=0)
    assert confirmation.state is CancelState.NOT_OPEN
    assert [(r.method, r.status) for r in emulator.requests()] == [
        ("DELETE", 500),
        ("GET", 200),  # stale: still EXECUTING
        ("DELETE", 400),  # -2011
        ("GET", 200),  # ALL_DONE
    ]
    assert sent(emulator) == (2, 2) == (confirmation.cancels_sent, confirmation.queries_sent)


async def test_2011_for_a_closed_list_is_not_open(emulator: EmulatorControl, make_client: MakeClient) -> None:
    client = make_client()
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    emulator.clear_requests()
    confirmation = await invoke(client, "ensure_order_list_cancelled", symbol="LTCBTC", order_list_id=0)
    assert confirmation.state is CancelState.NOT_OPEN
    assert confirmation.order_list.order_list_id == 0
    assert sent(emulator) == (1, 1)


@pytest.mark.parametrize("ids", [{"order_list_id": 99}, {"list_client_order_id": "neverSeen"}], ids=["id", "client-id"])
async def test_a_list_that_never_existed_is_unknown(
    emulator: EmulatorControl, make_client: MakeClient, ids: dict[str, object]
) -> None:
    with pytest.raises(UnknownOrderListError) as raised:
        await ensure(make_client, **ids)
    assert raised.value.code == -2013
    assert sent(emulator) == (1, 1)


async def test_a_list_of_another_symbol_is_unknown(emulator: EmulatorControl, make_client: MakeClient) -> None:
    other = emulator.create_order_list(symbol="BTCUSDT")
    with pytest.raises(UnknownOrderListError, match="not a list of LTCBTC"):
        await ensure(make_client, order_list_id=other.order_list_id)
    assert sent(emulator) == (1, 1)
    assert emulator.order_list(other.order_list_id).list_order_status == "EXECUTING"


async def test_queries_that_keep_failing_are_bounded_and_the_cancel_is_never_resent(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    fault_on_cancel(emulator, FaultKind.BACKEND_TIMEOUT)
    emulator.add_fault(FaultKind.SERVER_ERROR_EMPTY, path=PATH, method="GET", count=None)
    with pytest.raises(UnknownExecutionStatusError) as raised:
        await ensure(make_client, order_list_id=0)
    assert sent(emulator) == (1, EnsureBudget().max_queries)
    message = str(raised.value)
    assert "nothing definite learned" in message
    assert message.count("query: UnknownExecutionStatusError HTTP 503") == EnsureBudget().max_queries
    assert "cancel: UnknownExecutionStatusError HTTP 500 code -1007" in message
    assert raised.value.status_code == 503
    assert emulator.order_list(0).list_order_status == "EXECUTING"


async def test_a_list_that_stays_open_in_every_query_is_bounded(
    emulator: EmulatorControl, make_client: MakeClient
) -> None:
    emulator.set_query_lag(queries=100)
    fault_on_cancel(emulator, FaultKind.BACKEND_TIMEOUT, apply_cancel=True)
    with pytest.raises(UnknownExecutionStatusError, match="nothing definite learned"):
        await ensure(make_client, order_list_id=0)
    assert sent(emulator) == (EnsureBudget().max_cancels, EnsureBudget().max_cancels)


async def test_bad_input_is_refused_before_anything_is_sent(emulator: EmulatorControl, make_client: MakeClient) -> None:
    with pytest.raises(RequestValidationError):
        await ensure(make_client)
    with pytest.raises(RequestValidationError):
        await ensure(make_client, order_list_id=-1)
    assert emulator.requests() == []


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lag=st.integers(min_value=0, max_value=EnsureBudget().max_cancels + 1))
async def test_each_stale_read_costs_one_cancel_and_one_query_up_to_the_bound(
    emulator: EmulatorControl, make_client: MakeClient, lag: int
) -> None:
    emulator.reset()
    emulator.set_query_lag(queries=lag)
    fault_on_cancel(emulator, FaultKind.DROPPED_CONNECTION)
    bound = EnsureBudget().max_cancels
    if lag < bound:
        confirmation = await ensure(make_client, order_list_id=0)
        assert confirmation.state is CancelState.NOT_OPEN
        assert sent(emulator) == (lag + 1, lag + 1) == (confirmation.cancels_sent, confirmation.queries_sent)
    else:
        with pytest.raises(UnknownExecutionStatusError):
            await ensure(make_client, order_list_id=0)
        assert sent(emulator) == (bound, bound)
