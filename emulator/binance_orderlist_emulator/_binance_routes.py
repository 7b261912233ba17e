"""Binance's paths: rate limit, faults, the endpoint, the request log and the used-weight header, in that order."""

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable

from binance_orderlist_api.models import TimeUnit
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ._endpoints import IncomingRequest, cancel_order_list, server_time
from ._replies import Answer, Outcome, Reply, json_bytes
from ._request_log import LoggedRequest
from ._state import EmulatorState

USED_WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1M"
_WEIGHT = 1  # both endpoints weigh 1

Endpoint = Callable[[EmulatorState, IncomingRequest], Answer]


def binance_routes(state: EmulatorState) -> list[Route]:
    return [
        Route("/api/v3/orderList", _serving(state, cancel_order_list), methods=["DELETE"]),
        Route("/api/v3/time", _serving(state, server_time), methods=["GET"]),
    ]


def _serving(state: EmulatorState, endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        method, path, raw_query = request.method, request.scope["path"], request.scope["query_string"]
        headers = request.headers
        incoming = IncomingRequest(raw_query, headers.get("x-mbx-apikey"), headers.get("x-mbx-time-unit"))
        arrival_ms = state.clock.now(TimeUnit.MILLISECOND)
        outcome = Outcome(functools.partial(endpoint, state, incoming), server_time_ms=arrival_ms)
        admission = state.limiter.admit(_WEIGHT, time.monotonic_ns() // 1_000_000, server_time_ms=arrival_ms)
        fault = None
        if admission.rejection is not None:
            retry_after = {"Retry-After": str(admission.retry_after)}
            reply = Reply(admission.rejection.http_status, json_bytes(admission.rejection.body()), headers=retry_after)
        else:
            fault = state.faults.take(method, path)
            reply = Reply.of(outcome.answer()) if fault is None else fault.reply(outcome)
        if state.request_log.enabled:
            state.request_log.record(
                LoggedRequest(
                    method=method,
                    path=path,
                    query_string=raw_query.decode(errors="backslashreplace"),
                    status=reply.status,
                    time_ms=arrival_ms,
                    signature_valid=outcome.signature_valid,
                    fault=None if fault is None else fault.kind,
                )
            )
        return _WireResponse(reply, used_weight=admission.used_weight)

    return serve


class _WireResponse(Response):
    """Sends a Reply, including the faults that bend HTTP: a late start and a body cut short."""

    def __init__(self, reply: Reply, *, used_weight: int) -> None:
        headers = {**reply.headers, USED_WEIGHT_HEADER: str(used_weight)}
        super().__init__(reply.body, reply.status, headers, reply.media_type)
        self._delay_seconds = reply.delay_seconds
        self._drop_after_bytes = reply.drop_after_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._delay_seconds:
            await asyncio.sleep(self._delay_seconds)
        if self._drop_after_bytes is None:
            await super().__call__(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body[: self._drop_after_bytes], "more_body": True})
        # Returning without the final body message makes the server close the connection mid-response.
