"""The control API under ``/_emulator/``: set the scene for a test, then read what the client did.

JSON in and out, in the shapes of ``_control_messages``; a request the API cannot use is answered 400
``{"error": "..."}``.
"""

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any

from binance_orderlist_api.models import ContingencyType, OrderSide, OrderType, TimeInForce
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import _control_messages as messages
from ._config import ResponseVersion
from ._faults import FaultKind, FaultRule, build_fault
from ._orders import OrderList, OrderTerms, QueryLag
from ._rate_limits import RateLimitSettings, WeightLimiter
from ._signatures import load_key
from ._state import EmulatorState

Handler = Callable[[Request], Awaitable[Response]]


class ControlApi:
    def __init__(self, state: EmulatorState) -> None:
        self._state = state

    def routes(self) -> list[Route]:
        endpoints: list[tuple[str, str, Handler]] = [
            ("/health", "GET", self.health),
            ("/reset", "POST", self.reset),
            ("/order-lists", "POST", self.create_order_list),
            ("/order-lists", "GET", self.order_lists),
            ("/order-lists/{order_list_id:int}", "GET", self.order_list),
            ("/api-keys", "POST", self.register_api_key),
            ("/faults", "POST", self.add_fault),
            ("/faults", "GET", self.faults),
            ("/faults", "DELETE", self.clear_faults),
            ("/clock", "GET", self.clock),
            ("/clock", "PUT", self.shift_clock),
            ("/response-version", "PUT", self.set_response_version),
            ("/rate-limit", "PUT", self.set_rate_limit),
            ("/query-lag", "PUT", self.set_query_lag),
            ("/requests", "GET", self.requests),
            ("/requests", "DELETE", self.clear_requests),
        ]
        return [
            Route(messages.CONTROL_PREFIX + path, _answering_400(handler), methods=[method])
            for path, method, handler in endpoints
        ]

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reset(self, request: Request) -> Response:
        self._state.reset()
        return JSONResponse({})

    async def create_order_list(self, request: Request) -> Response:
        new = messages.NewOrderList.parse(await _payload(request))
        order_list = self._state.order_lists.create(
            new.symbol,
            ContingencyType(new.contingency_type),
            new.list_client_order_id,
            None if new.orders is None else [_order_terms(spec) for spec in new.orders],
            now_us=self._state.clock.now_us(),
        )
        created = messages.CreatedOrderList(
            order_list.order_list_id,
            order_list.list_client_order_id,
            tuple(order.order_id for order in order_list.orders),
            tuple(order.client_order_id for order in order_list.orders),
        )
        return JSONResponse(messages.to_json(created), status_code=201)

    async def order_lists(self, request: Request) -> Response:
        return JSONResponse([messages.to_json(_held(order_list)) for order_list in self._state.order_lists.all()])

    async def order_list(self, request: Request) -> Response:
        order_list_id: int = request.path_params["order_list_id"]
        order_list = self._state.order_lists.by_id(order_list_id)
        if order_list is None:
            return JSONResponse(messages.refusal(f"no order list {order_list_id}"), status_code=404)
        return JSONResponse(messages.to_json(_held(order_list)))

    async def register_api_key(self, request: Request) -> Response:
        registration = messages.ApiKeyRegistration.parse(await _payload(request))
        self._state.api_keys[registration.api_key] = load_key(registration.key_type, registration.material)
        return JSONResponse(registration.registered_json(), status_code=201)

    async def add_fault(self, request: Request) -> Response:
        wanted = messages.FaultRequest.parse(await _payload(request))
        fault = build_fault(FaultKind(wanted.kind), wanted.params)
        rule = self._state.faults.add(fault, count=wanted.count, path=wanted.path, method=wanted.method)
        return JSONResponse(messages.to_json(_pending(rule)), status_code=201)

    async def faults(self, request: Request) -> Response:
        return JSONResponse([messages.to_json(_pending(rule)) for rule in self._state.faults.pending()])

    async def clear_faults(self, request: Request) -> Response:
        self._state.faults.clear()
        return JSONResponse({})

    async def clock(self, request: Request) -> Response:
        clock = self._state.clock
        return JSONResponse(messages.to_json(messages.ClockReading(clock.offset_ms, clock.now_us() // 1000)))

    async def shift_clock(self, request: Request) -> Response:
        self._state.clock.offset_ms = messages.ClockShift.parse(await _payload(request)).offset_ms
        return await self.clock(request)

    async def set_response_version(self, request: Request) -> Response:
        setting = messages.ResponseVersionSetting.parse(await _payload(request))
        self._state.response_version = ResponseVersion(setting.version)
        return JSONResponse(messages.to_json(setting))

    async def set_rate_limit(self, request: Request) -> Response:
        setting = messages.RateLimitSetting.parse(await _payload(request))
        ban_seconds = self._state.config.ban_seconds if setting.ban_seconds is None else setting.ban_seconds
        self._state.limiter = WeightLimiter(RateLimitSettings(setting.weight_per_minute, ban_seconds))
        return JSONResponse(messages.to_json(messages.RateLimitSetting(setting.weight_per_minute, ban_seconds)))

    async def set_query_lag(self, request: Request) -> Response:
        setting = messages.QueryLagSetting.parse(await _payload(request))
        self._state.query_lag = QueryLag(setting.queries, setting.milliseconds)
        return JSONResponse(messages.to_json(setting))

    async def requests(self, request: Request) -> Response:
        return JSONResponse([messages.to_json(entry) for entry in self._state.request_log.entries()])

    async def clear_requests(self, request: Request) -> Response:
        self._state.request_log.clear()
        return JSONResponse({})


def _answering_400(handler: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except ValueError as error:
            return JSONResponse(messages.refusal(str(error)), status_code=400)

    return endpoint


async def _payload(request: Request) -> Mapping[str, Any]:
    return messages.json_object(await request.json())


def _order_terms(spec: messages.OrderSpec) -> OrderTerms:
    """``spec`` as ``OrderSpec.parse`` read it: enum members and decimals, already checked."""
    return OrderTerms(
        side=OrderSide(spec.side),
        type=OrderType(spec.type),
        price=Decimal(spec.price),
        quantity=Decimal(spec.quantity),
        stop_price=None if spec.stop_price is None else Decimal(spec.stop_price),
        client_order_id=spec.client_order_id,
        time_in_force=TimeInForce(spec.time_in_force),
        conditional_fields=spec.conditional_fields,
    )


def _held(order_list: OrderList) -> messages.OrderListState:
    orders = tuple(
        messages.OrderState(
            order.order_id,
            order.client_order_id,
            order.status,
            *(order.terms.side, order.terms.type, order.terms.price, order.terms.quantity, order.terms.stop_price),
            order.terms.time_in_force,
            order.terms.conditional_fields,
        )
        for order in order_list.orders
    )
    status = (order_list.list_status_type, order_list.list_order_status, order_list.list_client_order_id)
    return messages.OrderListState(
        order_list.order_list_id, order_list.contingency_type, *status, order_list.symbol, orders
    )


def _pending(rule: FaultRule) -> messages.PendingFault:
    return messages.PendingFault(rule.fault_id, rule.fault.kind, rule.remaining, rule.path, rule.method)
