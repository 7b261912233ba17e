"""``ensure_order_list_cancelled``: turn "execution status unknown" into a definite answer, written once.

A cancel whose answer is lost (5XX, -1007, a dropped connection, a timeout) may or may not have
executed. Binance's rule is to learn the outcome before acting again, so this module decides, step by
step, what to send next: the cancel, a query of the list (which changes nothing, so it may be retried),
or nothing more. It does no I/O: ``SpotClient`` and ``AsyncSpotClient`` each run its steps with a short
loop of their own (as with ``_send_with_retries``: one decision-maker in common, two ways to wait).
"""

import time
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from attrs import define, field, frozen
from binance_orderlist_api import operations
from binance_orderlist_api.models import CancelOrderListResponse, ListOrderStatus, OrderList
from binance_orderlist_api.operations import NO_SUCH_ORDER
from binance_orderlist_rules import Operation

from .errors import (
    BinanceError,
    ResponseDecodeError,
    TransportError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)

__all__ = ["CancelConfirmation", "CancelState", "EnsureBudget", "EnsureCancelled", "Send", "Step", "Wait"]


class CancelState(StrEnum):
    CANCELLED = "CANCELLED"
    """A cancel sent by this call returned its report."""
    NOT_OPEN = "NOT_OPEN"
    """The list is closed, but this call holds no report: a lost answer cancelled it, or it was already closed."""


@frozen
class CancelConfirmation:
    """What ``ensure_order_list_cancelled`` learned: ``report`` with CANCELLED, ``order_list`` with NOT_OPEN."""

    state: CancelState
    report: CancelOrderListResponse | None = None
    order_list: OrderList | None = None
    cancels_sent: int = 0
    queries_sent: int = 0


@frozen
class EnsureBudget:
    """How much one call may try before it says it learned nothing definite."""

    max_cancels: int = 3
    max_queries: int = 5
    max_seconds: int = 60


@frozen
class Send:
    """Send ``operation`` with ``arguments`` through the client's one request path."""

    operation: Operation[Any]
    """Cancel Order list or Query Order list."""
    arguments: Mapping[str, object]


@frozen
class Wait:
    """Sleep before querying again (the client's backoff)."""

    seconds: float


Step = Send | Wait | CancelConfirmation


@define
class EnsureCancelled:
    """The decision rule. ``first()`` is the cancel; ``after(outcome)`` takes what the last step returned or
    raised and answers the next step, a ``CancelConfirmation``, or raises.

    A cancel is sent again only after a query showed the list still open (perhaps a stale read: the next
    cancel then answers -2011, and the query after it settles the question).
    """

    symbol: str
    order_list_id: int | None
    list_client_order_id: str | None
    recv_window: object
    backoff: Callable[[int], float]
    """Seconds before the n-th retry of a query: the client's ``RetryPolicy.backoff``."""
    budget: EnsureBudget = EnsureBudget()
    cancels_sent: int = field(default=0, init=False)
    queries_sent: int = field(default=0, init=False)
    failed_queries: int = field(default=0, init=False)
    tried: list[str] = field(factory=list, init=False)
    """What each attempt came back with, for the message of an error."""
    _deadline_ns: int = field(default=0, init=False)
    _last: Send | Wait | None = field(default=None, init=False)

    def first(self) -> Send:
        self._deadline_ns = time.monotonic_ns() + self.budget.max_seconds * 1_000_000_000
        return self._cancel()

    def after(self, outcome: object) -> Step:
        """The next step, given what the last one returned (a model, None after a wait) or raised."""
        if not isinstance(self._last, Send):
            return self._query()
        sent_cancel = self._last.operation is operations.CANCEL_ORDER_LIST
        self.tried.append(f"{'cancel' if sent_cancel else 'query'}: {_said(outcome)}")
        if sent_cancel:
            return self._after_cancel(outcome)
        return self._after_query(outcome)

    def _after_cancel(self, outcome: object) -> Step:
        if isinstance(outcome, CancelOrderListResponse):
            return self._confirmed(CancelState.CANCELLED, report=outcome)
        # Lost answers, -2011 (cancelled already, or never there) and a cancel whose report was unreadable: ask.
        if isinstance(outcome, UnknownExecutionStatusError | UnknownOrderListError | ResponseDecodeError):
            return self._query()
        raise self._unhandled(outcome)

    def _after_query(self, outcome: object) -> Step:
        if isinstance(outcome, OrderList):
            if not self._is_this_list(outcome):
                raise UnknownOrderListError(
                    f"order list {self._ids()} is not a list of {self.symbol} (Binance has it on "
                    f"{outcome.symbol}, listClientOrderId {outcome.list_client_order_id!r}). Tried: {self._trail()}",
                    status_code=400,
                    code=NO_SUCH_ORDER,
                )
            if outcome.list_order_status != ListOrderStatus.EXECUTING:
                return self._confirmed(CancelState.NOT_OPEN, order_list=outcome)
            if self.cancels_sent < self.budget.max_cancels and self._time_left():
                return self._cancel()
            raise self._unknown(None)
        if isinstance(outcome, UnknownOrderListError) and outcome.code == NO_SUCH_ORDER:
            outcome.add_note(f"ensure_order_list_cancelled tried: {self._trail()}")
            raise outcome
        if isinstance(outcome, UnknownExecutionStatusError | TransportError | ResponseDecodeError):
            self.failed_queries += 1
            seconds = self.backoff(self.failed_queries - 1)
            if self.queries_sent < self.budget.max_queries and self._time_left(seconds):
                self._last = Wait(seconds)
                return self._last
            raise self._unknown(outcome)
        raise self._unhandled(outcome)

    def _cancel(self) -> Send:
        self.cancels_sent += 1
        arguments: dict[str, object] = {"symbol": self.symbol, "order_list_id": self.order_list_id}
        arguments |= {"list_client_order_id": self.list_client_order_id, "recv_window": self.recv_window}
        self._last = Send(operations.CANCEL_ORDER_LIST, arguments)
        return self._last

    def _query(self) -> Send:
        self.queries_sent += 1
        if self.order_list_id is not None:
            arguments: dict[str, object] = {"order_list_id": self.order_list_id}
        else:
            arguments = {"orig_client_order_id": self.list_client_order_id}
        self._last = Send(operations.QUERY_ORDER_LIST, arguments | {"recv_window": self.recv_window})
        return self._last

    def _is_this_list(self, order_list: OrderList) -> bool:
        client_id = self.list_client_order_id
        return order_list.symbol == self.symbol and client_id in (None, order_list.list_client_order_id)

    def _time_left(self, seconds: float = 0) -> bool:
        return time.monotonic_ns() + int(seconds * 1_000_000_000) < self._deadline_ns

    def _confirmed(
        self, state: CancelState, *, report: CancelOrderListResponse | None = None, order_list: OrderList | None = None
    ) -> CancelConfirmation:
        return CancelConfirmation(state, report, order_list, self.cancels_sent, self.queries_sent)

    def _unknown(self, cause: object) -> UnknownExecutionStatusError:
        error = UnknownExecutionStatusError(
            f"order list {self._ids()} of {self.symbol}: nothing definite learned within {self.cancels_sent} cancel(s) "
            f"(at most {self.budget.max_cancels}), {self.queries_sent} query(ies) (at most {self.budget.max_queries}) "
            f"and {self.budget.max_seconds} s. The execution status is UNKNOWN: the list may or may not be cancelled; "
            f"nothing was sent blindly. Tried: {self._trail()}",
            status_code=getattr(cause, "status_code", None),
        )
        error.__cause__ = cause if isinstance(cause, BaseException) else None
        return error

    def _unhandled(self, outcome: object) -> BaseException:
        """An outcome the rule does not handle (a rejection, a closed client), raised as it came; after earlier
        attempts, a note names them (a cancel before it may have executed)."""
        error = _as_error(outcome)
        if len(self.tried) > 1:
            error.add_note(f"ensure_order_list_cancelled tried: {self._trail()}")
        return error

    def _ids(self) -> str:
        if self.order_list_id is not None:
            return f"orderListId={self.order_list_id}"
        return f"listClientOrderId={self.list_client_order_id!r}"

    def _trail(self) -> str:
        return "; ".join(self.tried)


def _said(outcome: object) -> str:
    """One entry of the trail: what an attempt came back with, without any secret (errors' messages have none)."""
    if isinstance(outcome, CancelOrderListResponse | OrderList):
        return f"HTTP 200, listOrderStatus {outcome.list_order_status}"
    if isinstance(outcome, BinanceError):
        status = getattr(outcome, "status_code", None)
        code = getattr(outcome, "code", None)
        return f"{type(outcome).__name__}" + (f" HTTP {status}" if status else "") + (f" code {code}" if code else "")
    return type(outcome).__name__


def _as_error(outcome: object) -> BaseException:
    """An outcome the rule does not handle: the error as it was raised."""
    if isinstance(outcome, BaseException):
        return outcome
    return TypeError(f"unexpected outcome {type(outcome).__name__}")
