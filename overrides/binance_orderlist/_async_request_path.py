"""The one request path of AsyncSpotClient: retries, failover, clock resync, ensure, close. The only source.

``scripts/unasync.py`` writes ``_sync_request_path.py`` (SpotClient's) from this file; ``make check`` fails when
that twin is stale. Everything here is the same for both clients but ``await``: the few lines of I/O that truly
differ (one attempt on the client's connections, waiting, the lock a clock resync holds) are each client's own, in
``_client.py``.
"""

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Self

from binance_orderlist_api.facade import AsyncRawResponses, CallOptions
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

__all__ = ["AsyncRequestPath"]


class AsyncRequestPath(_SpotClientBase[HttpClient, Sender]):
    """Every request of the client, from the generated method to the typed answer; the client supplies ``_send``
    (one attempt), ``_sleep`` and ``_resync_lock``."""

    async def _send(self, call: _Call) -> Answer:
        """One attempt on the client's connections: the answer, or a ``BinanceError`` saying whether it was sent."""
        raise NotImplementedError

    async def _sleep(self, seconds: float) -> None:
        raise NotImplementedError

    async def _resync_lock(self) -> AbstractAsyncContextManager[object]:
        """The lock one clock resynchronisation holds, so that concurrent -1021s resync once."""
        raise NotImplementedError

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, returning the response itself (status code, headers, its own rate-limit usage)
        with ``.parse()`` for the typed model."""
        return AsyncRawResponses(self)

    async def _request(
        self, operation: Operation[Model], arguments: Mapping[str, object], options: CallOptions
    ) -> Model:
        call = self._call(operation, arguments, options.timeout)
        answer = await self._send_with_retries(call, self._policy(options.max_retries))
        return parse_success(answer, operation.response_model)  # as RawResponse.parse(), without building one

    async def _raw_request(
        self, operation: Operation[Model], arguments: Mapping[str, object], options: CallOptions
    ) -> RawResponse[Model]:
        call = self._call(operation, arguments, options.timeout)
        answer = await self._send_with_retries(call, self._policy(options.max_retries))
        return RawResponse(answer, operation.response_model, call.base_url)

    async def ensure_order_list_cancelled(
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
            step = rule.after(await self._ensure_step(step))
        return step

    async def _ensure_step(self, step: "Send | Wait") -> object:
        from ._ensure import Wait

        if isinstance(step, Wait):
            await self._sleep(step.seconds)
            return None
        try:
            return await self._request(step.operation, step.arguments, CallOptions())
        except BinanceError as error:
            return error

    async def sync_time(self) -> float:
        """Measure the offset to Binance's clock (``GET /api/v3/time``); returns it in milliseconds."""
        call = self._server_time_call()
        sent_at = self._clock.local_us()
        response = await self._send_anywhere(call)
        received_at = self._clock.local_us()
        server_time = parse_success(self._checked(call, response), ServerTimeResponse)
        self._clock.record(server_time.server_time, sent_at, received_at)
        return self._clock.offset_ms

    async def _send_anywhere(self, call: _Call) -> Answer:
        """One attempt, sent to the first cluster that can be reached (``_failover``)."""
        attempt = self._clusters.round(call)
        for _ in attempt:
            try:
                return attempt.reached(await self._send(call))
            except TransportError as failure:
                attempt.unreachable(failure)
        raise attempt.error()

    async def _send_with_retries(self, call: _Call, policy: RetryPolicy) -> Answer:
        retries_done, clock_resynced = 0, False
        while True:
            try:
                return self._checked(call, await self._send_anywhere(call))
            except BinanceError as error:
                decision = self._next_step(policy, error, retries_done, clock_resynced)
                if decision is None:
                    raise
                failed = error
            if decision is RESYNC_CLOCK:
                async with await self._resync_lock():
                    if self._resync_needed(call):
                        try:
                            await self.sync_time()
                        except BinanceError as failure:
                            self._clock.record_failure(failure)
                self._after_resync(call, failed)
                clock_resynced = True
                continue
            await self._sleep(decision)
            retries_done += 1

    async def aclose(self) -> None:
        """Close the client: every later call raises ``ClientClosedError``, sending nothing. Its connections are
        closed too (an async client's on every event loop it used that still runs), unless they are a
        ``with_options`` parent's or the ``http_client`` passed in (its owner's)."""
        self._lifetime.close()
        if self._lifetime.is_root:
            await self._connections.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
