"""Written by scripts/unasync.py from _async_request_path.py: do not edit."""

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Self

from binance_orderlist_api.facade import CallOptions, SyncRawResponses
from binance_orderlist_api.models import ServerTimeResponse
from binance_orderlist_rules import Model, Operation

from ._client_base import HttpClient, Sender, _Call, _SpotClientBase
from ._raw_response import RawResponse
from ._responses import Answer, parse_success
from ._retries import RESYNC_CLOCK, RetryPolicy
from ._validation import RecvWindow
from .errors import BinanceError, TransportError

if TYPE_CHECKING:
    from ._ensure import CancelConfirmation, Send, Step, Wait

__all__ = ["SyncRequestPath"]


class SyncRequestPath(_SpotClientBase[HttpClient, Sender]):
    """Every request of the client, from the generated method to the typed answer; the client supplies ``_send``
    (one attempt), ``_sleep`` and ``_resync_lock``."""

    def _send(self, call: _Call) -> Answer:
        """One attempt on the client's connections: the answer, or a ``BinanceError`` saying whether it was sent."""
        raise NotImplementedError

    def _sleep(self, seconds: float) -> None:
        raise NotImplementedError

    def _resync_lock(self) -> AbstractContextManager[object]:
        """The lock one clock resynchronisation holds, so that concurrent -1021s resync once."""
        raise NotImplementedError

    @property
    def with_raw_response(self) -> SyncRawResponses:
        """The same methods, returning the response itself (status code, headers, its own rate-limit usage)
        with ``.parse()`` for the typed model."""
        return SyncRawResponses(self)

    def _request(self, operation: Operation[Model], arguments: Mapping[str, object], options: CallOptions) -> Model:
        call = self._call(operation, arguments, options.timeout)
        answer = self._send_with_retries(call, self._policy(options.max_retries))
        return parse_success(answer, operation.response_model)  # as RawResponse.parse(), without building one

    def _raw_request(
        self, operation: Operation[Model], arguments: Mapping[str, object], options: CallOptions
    ) -> RawResponse[Model]:
        call = self._call(operation, arguments, options.timeout)
        answer = self._send_with_retries(call, self._policy(options.max_retries))
        return RawResponse(answer, operation.response_model, call.base_url)

    def ensure_order_list_cancelled(
        self,
        *,
        symbol: str,
        order_list_id: int | None = None,
        list_client_order_id: str | None = None,
        recv_window: RecvWindow | None = None,
    ) -> "CancelConfirmation":
        """Cancel the list and learn for certain that it is closed: a lost answer or a -2011 is settled by querying
        the list, and the cancel is sent again only when a query shows it still open (``_ensure``)."""
        from ._ensure import CancelConfirmation  # with the first ensure: the package does not import _ensure

        rule = self._ensure_rule(symbol, order_list_id, list_client_order_id, recv_window)
        step: Step = rule.first()
        while not isinstance(step, CancelConfirmation):
            step = rule.after(self._ensure_step(step))
        return step

    def _ensure_step(self, step: "Send | Wait") -> object:
        from ._ensure import Wait

        if isinstance(step, Wait):
            self._sleep(step.seconds)
            return None
        try:
            return self._request(step.operation, step.arguments, CallOptions())
        except BinanceError as error:
            return error

    def sync_time(self) -> float:
        """Measure the offset to Binance's clock (``GET /api/v3/time``); returns it in milliseconds."""
        call = self._server_time_call()
        sent_at = self._clock.local_us()
        response = self._send_anywhere(call)
        received_at = self._clock.local_us()
        server_time = parse_success(self._checked(call, response), ServerTimeResponse)
        self._clock.record(server_time.server_time, sent_at, received_at)
        return self._clock.offset_ms

    def _send_anywhere(self, call: _Call) -> Answer:
        """One attempt, sent to the first cluster that can be reached (``_failover``)."""
        attempt = self._clusters.round(call)
        for _ in attempt:
            try:
                return attempt.reached(self._send(call))
            except TransportError as failure:
                attempt.unreachable(failure)
        raise attempt.error()

    def _send_with_retries(self, call: _Call, policy: RetryPolicy) -> Answer:
        retries_done, clock_resynced = 0, False
        while True:
            try:
                return self._checked(call, self._send_anywhere(call))
            except BinanceError as error:
                decision = self._next_step(policy, error, retries_done, clock_resynced)
                if decision is None:
                    raise
                failed = error
            if decision is RESYNC_CLOCK:
                with self._resync_lock():
                    if self._resync_needed(call):
                        try:
                            self.sync_time()
                        except BinanceError as failure:
                            self._clock.record_failure(failure)
                self._after_resync(call, failed)
                clock_resynced = True
                continue
            self._sleep(decision)
            retries_done += 1

    def close(self) -> None:
        """Close the client: every later call raises ``ClientClosedError``, sending nothing. Its connections are
        closed too (an async client's on every event loop it used that still runs), unless they are a
        ``with_options`` parent's or the ``http_client`` passed in (its owner's)."""
        self._lifetime.close()
        if self._lifetime.is_root:
            self._connections.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
