"""Binance's paths: the front door (a GET with a body), rate limit, faults, the endpoint, weight, request log."""

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from binance_orderlist_api import operations
from binance_orderlist_api.models import TimeUnit
from binance_orderlist_rules import Operation
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ._endpoints import (
    IncomingRequest,
    cancel_order_list,
    ping,
    query_open_order_lists,
    query_order_list,
    server_time,
)
from ._replies import HTML, EndpointResult, Outcome, Reply, html_page, json_bytes
from ._request_log import LoggedRequest
from ._state import EmulatorState

USED_WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1M"

Endpoint = Callable[[EmulatorState, IncomingRequest], EndpointResult]


@dataclass(frozen=True)
class Weight:
    """Request weight as Binance charges it: ``on_success`` for a 200, else the documented weight."""

    documented: int
    on_success: int

    @classmethod
    def of(cls, operation: Operation[Any]) -> "Weight":
        """openapi.yaml's ``x-weight`` and ``x-weight-on-success`` (since 2026-04-02 a successful cancel costs 0)."""
        documented = operation.weight or 0
        return cls(documented, documented if operation.weight_on_success is None else operation.weight_on_success)


# Method, path and weight of each are openapi.yaml's (the generated rules); only what it does is written here.
BINANCE_ENDPOINTS: tuple[tuple[Operation[Any], Endpoint], ...] = (
    (operations.CANCEL_ORDER_LIST, cancel_order_list),
    (operations.QUERY_ORDER_LIST, query_order_list),
    (operations.QUERY_OPEN_ORDER_LISTS, query_open_order_lists),
    (operations.GET_SERVER_TIME, server_time),
    (operations.PING, ping),
)


def binance_routes(state: EmulatorState) -> list[Route]:
    return [
        Route(operation.path, _serving(state, endpoint, Weight.of(operation)), methods=[operation.method])
        for operation, endpoint in BINANCE_ENDPOINTS
    ]


def _serving(state: EmulatorState, endpoint: Endpoint, weight: Weight) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        method, path, raw_query = request.method, request.scope["path"], request.scope["query_string"]
        raw_body = await request.body()
        incoming = IncomingRequest(method, path, raw_query, request.headers, raw_body)
        arrival_ms = state.clock.now(TimeUnit.MILLISECOND)
        if method == "GET" and raw_body:
            served = _Served(_get_with_a_body())
        else:
            served = _admitted(state, endpoint, weight, incoming, arrival_ms)
        if state.request_log.enabled:
            state.request_log.record(
                LoggedRequest(
                    method=method,
                    path=path,
                    query_string=raw_query.decode(errors="backslashreplace"),
                    status=served.reply.status,
                    time_ms=arrival_ms,
                    signature_valid=served.signature_valid,
                    fault=served.fault,
                    body=raw_body.decode(errors="backslashreplace"),
                )
            )
        return _WireResponse(served.reply, used_weight=served.used_weight)

    return serve


@dataclass(frozen=True)
class _Served:
    reply: Reply
    used_weight: int | None = None
    """None: the request never reached Binance, so no used-weight header."""
    signature_valid: bool | None = None
    fault: str | None = None


def _admitted(
    state: EmulatorState, endpoint: Endpoint, weight: Weight, incoming: IncomingRequest, arrival_ms: int
) -> _Served:
    """A request past the front door: rate limit, then a fault or the endpoint itself, then its weight."""
    outcome = Outcome(functools.partial(endpoint, state, incoming), server_time_ms=arrival_ms)
    admission = state.limiter.admit(weight.documented, time.monotonic_ns() // 1_000_000, server_time_ms=arrival_ms)
    if admission.rejection is not None:
        retry_after = {"Retry-After": str(admission.retry_after)}
        reply = Reply(admission.rejection.http_status, json_bytes(admission.rejection.body()), headers=retry_after)
        return _Served(reply, admission.used_weight)
    fault = state.faults.take(incoming.method, incoming.path)
    reply = Reply.of(outcome.result()) if fault is None else fault.reply(outcome)
    used_weight = admission.used_weight
    if reply.status == 200 and weight.on_success != weight.documented:
        used_weight = state.limiter.refund(weight.documented - weight.on_success)
    return _Served(reply, used_weight, outcome.signature_valid, None if fault is None else fault.kind)


def _get_with_a_body() -> Reply:
    """Binance's documents only say GET parameters go in the query. Its CDN answers a GET that has a body
    with a 403 page before Binance sees it (our choice to imitate): not weighed, no Binance headers."""
    return Reply(403, html_page(403, "The request could not be satisfied: a GET request may not have a body."), HTML)


class _WireResponse(Response):
    """Sends a Reply, including the faults that bend HTTP: a late start and a body cut short."""

    def __init__(self, reply: Reply, *, used_weight: int | None) -> None:
        headers = dict(reply.headers)
        if used_weight is not None:
            headers[USED_WEIGHT_HEADER] = str(used_weight)
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
