"""EnsureCancelled, the pure rule of ensure_order_list_cancelled: constructed and stepped directly, no I/O.

The same rule runs on both clients against the emulator in tests/integration/test_ensure_cancelled.py."""

from typing import Any

import pytest
from binance_orderlist import CancelConfirmation, CancelOrderListResponse, CancelState, OrderList
from binance_orderlist._ensure import EnsureBudget, EnsureCancelled, Send, Step, Wait
from binance_orderlist.errors import (
    InvalidSignatureError,
    ResponseDecodeError,
    TransportError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)
from binance_orderlist_api import operations
from binance_orderlist_api.operations import NO_SUCH_ORDER
from hypothesis import given
from hypothesis import strategies as st

from .conftest import ORDER_LIST as LIST
from .conftest import SEED_RESPONSE

REPORT = CancelOrderListResponse.from_dict(SEED_RESPONSE)
OPEN = OrderList.from_dict(LIST)
CLOSED = OrderList.from_dict(LIST | {"listStatusType": "ALL_DONE", "listOrderStatus": "ALL_DONE"})
LOST = UnknownExecutionStatusError("lost", status_code=None)
NOT_FOUND = UnknownOrderListError("-2011", status_code=400, code=-2011)


DEFAULT_BUDGET = EnsureBudget()


def rule(budget: EnsureBudget = DEFAULT_BUDGET, **ids: Any) -> EnsureCancelled:
    ids = ids or {"order_list_id": 3}
    return EnsureCancelled(
        "LTCBTC", ids.get("order_list_id"), ids.get("list_client_order_id"), None, lambda n: 0.5 * (n + 1), budget
    )


def is_cancel(step: Step) -> bool:
    return isinstance(step, Send) and step.operation is operations.CANCEL_ORDER_LIST


def is_query(step: Step) -> bool:
    return isinstance(step, Send) and step.operation is operations.QUERY_ORDER_LIST


def test_the_first_step_is_the_cancel_with_the_ids_given() -> None:
    step = rule(list_client_order_id="abc").first()
    assert is_cancel(step)
    assert isinstance(step, Send)
    assert step.arguments["symbol"] == "LTCBTC"
    assert (step.arguments["order_list_id"], step.arguments["list_client_order_id"]) == (None, "abc")


def test_a_cancel_answered_with_its_report_is_cancelled_at_once() -> None:
    ensure = rule()
    ensure.first()
    assert ensure.after(REPORT) == CancelConfirmation(CancelState.CANCELLED, report=REPORT, cancels_sent=1)


@pytest.mark.parametrize("ids", [{"order_list_id": 3}, {"list_client_order_id": "abc"}])
@pytest.mark.parametrize("outcome", [LOST, NOT_FOUND], ids=["lost-answer", "-2011"])
def test_a_lost_answer_or_a_2011_is_settled_by_a_query_by_the_same_id(ids: dict[str, Any], outcome: object) -> None:
    ensure = rule(**ids)
    ensure.first()
    query = ensure.after(outcome)
    assert is_query(query)
    assert isinstance(query, Send)
    wanted = {"order_list_id": 3} if "order_list_id" in ids else {"orig_client_order_id": "abc"}
    assert query.arguments == wanted | {"recv_window": None}
    confirmation = ensure.after(CLOSED)
    assert confirmation == CancelConfirmation(CancelState.NOT_OPEN, order_list=CLOSED, cancels_sent=1, queries_sent=1)


def test_the_cancel_is_sent_again_only_after_a_query_shows_the_list_open() -> None:
    ensure = rule()
    ensure.first()
    assert is_query(ensure.after(LOST))
    assert is_cancel(ensure.after(OPEN))
    assert ensure.after(REPORT) == CancelConfirmation(
        CancelState.CANCELLED, report=REPORT, cancels_sent=2, queries_sent=1
    )


def test_a_failed_query_waits_the_backoff_then_asks_again() -> None:
    ensure = rule()
    ensure.first()
    ensure.after(LOST)
    assert ensure.after(TransportError("refused")) == Wait(0.5)
    assert is_query(ensure.after(None))
    assert ensure.after(LOST) == Wait(1.0)


def test_a_list_of_another_symbol_is_not_taken_for_this_one() -> None:
    ensure = rule(list_client_order_id="abc")
    ensure.first()
    ensure.after(LOST)
    with pytest.raises(UnknownOrderListError, match="not a list of LTCBTC") as raised:
        ensure.after(OrderList.from_dict(LIST | {"symbol": "BNBBTC"}))
    assert raised.value.code == NO_SUCH_ORDER


def test_a_query_answering_no_such_order_means_there_is_no_such_list() -> None:
    ensure = rule()
    ensure.first()
    ensure.after(NOT_FOUND)
    no_such_order = UnknownOrderListError("-2013", status_code=400, code=NO_SUCH_ORDER)
    with pytest.raises(UnknownOrderListError) as raised:
        ensure.after(no_such_order)
    assert raised.value is no_such_order
    assert "tried: cancel: UnknownOrderListError HTTP 400 code -2011; query:" in raised.value.__notes__[0]


def test_an_outcome_the_rule_does_not_handle_is_raised_as_it_came_naming_the_earlier_attempts() -> None:
    ensure = rule()
    ensure.first()
    ensure.after(LOST)
    rejected = InvalidSignatureError("-1022", status_code=400, code=-1022)
    with pytest.raises(InvalidSignatureError) as raised:
        ensure.after(rejected)
    assert raised.value is rejected
    assert "cancel: UnknownExecutionStatusError" in raised.value.__notes__[0]


def test_the_budget_ends_in_an_unknown_status_never_a_blind_cancel() -> None:
    ensure = rule(EnsureBudget(max_cancels=2, max_queries=5, max_seconds=60))
    ensure.first()
    ensure.after(LOST)
    assert is_cancel(ensure.after(OPEN))
    ensure.after(LOST)
    with pytest.raises(UnknownExecutionStatusError, match="UNKNOWN: the list may or may not be cancelled"):
        ensure.after(OPEN)
    assert (ensure.cancels_sent, ensure.queries_sent) == (2, 2)


ANSWERS_TO_A_CANCEL = st.sampled_from([REPORT, LOST, NOT_FOUND, ResponseDecodeError("cut", status_code=200)])
ANSWERS_TO_A_QUERY = st.sampled_from([OPEN, CLOSED, LOST, TransportError("refused")])


@given(data=st.data(), max_cancels=st.integers(1, 4), max_queries=st.integers(1, 6))
def test_whatever_comes_back_a_cancel_follows_only_an_open_list_and_the_budget_holds(
    data: st.DataObject, max_cancels: int, max_queries: int
) -> None:
    ensure = rule(EnsureBudget(max_cancels=max_cancels, max_queries=max_queries, max_seconds=60))
    step: Step = ensure.first()
    cancels, queries = 1, 0
    while not isinstance(step, CancelConfirmation):
        outcome = (
            None
            if isinstance(step, Wait)
            else data.draw(ANSWERS_TO_A_CANCEL if is_cancel(step) else ANSWERS_TO_A_QUERY)
        )
        try:
            following = ensure.after(outcome)
        except UnknownExecutionStatusError as unknown:
            out_of_budget = unknown
            break
        if is_cancel(following):
            assert is_query(step), "a cancel is sent again only after a query"
            assert outcome is OPEN, "... that showed the list open"
            cancels += 1
        queries += is_query(following)
        if isinstance(following, CancelConfirmation):
            assert (following.cancels_sent, following.queries_sent) == (cancels, queries)
            assert following.state is (CancelState.CANCELLED if outcome is REPORT else CancelState.NOT_OPEN)
        step = following
    else:
        out_of_budget = None
    if out_of_budget is not None:
        assert "nothing was sent blindly" in str(out_of_budget)
    assert (ensure.cancels_sent, ensure.queries_sent) == (cancels, queries)
    assert cancels <= max_cancels
    assert queries <= cancels + max_queries  # one query per cancel; a failed query is retried within max_queries
