"""The control API under ``/_emulator/``: set the scene for a test, then read what the client did.

JSON in and out; a request the API cannot use is answered 400 ``{"error": "..."}``.
"""

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from binance_orderlist_api.models import ContingencyType, OrderSide, OrderType, TimeInForce
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._config import ResponseVersion
from ._faults import FaultKind, FaultRule, build_fault
from ._orders import OrderList, OrderTerms, QueryLag
from ._parameters import CLIENT_ORDER_ID, is_client_order_id, is_legal_symbol
from ._rate_limits import RateLimitSettings, WeightLimiter
from ._reports import checked_conditional_fields, list_status
from ._signatures import KeyType, load_key
from ._state import EmulatorState

PREFIX = "/_emulator"
_Value = TypeVar("_Value")
_Enum = TypeVar("_Enum", bound=StrEnum)
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
        return [Route(PREFIX + path, _answering_400(handler), methods=[method]) for path, method, handler in endpoints]

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reset(self, request: Request) -> Response:
        self._state.reset()
        return JSONResponse({})

    async def create_order_list(self, request: Request) -> Response:
        payload = await _payload(request)
        symbol = _required(payload, "symbol", str)
        if not is_legal_symbol(symbol):
            raise ValueError(f"symbol {symbol!r} is not a legal Binance symbol")
        raw_orders = _optional(payload, "orders", list)
        order_list = self._state.order_lists.create(
            symbol,
            _enum(payload, "contingencyType", ContingencyType, ContingencyType.OCO),
            _client_id(payload, "listClientOrderId"),
            None if raw_orders is None else [_order_terms(raw) for raw in raw_orders],
            now_us=self._state.clock.now_us(),
        )
        created = {
            "orderListId": order_list.order_list_id,
            "listClientOrderId": order_list.list_client_order_id,
            "orderIds": [order.order_id for order in order_list.orders],
            "clientOrderIds": [order.client_order_id for order in order_list.orders],
        }
        return JSONResponse(created, status_code=201)

    async def order_lists(self, request: Request) -> Response:
        return JSONResponse([_order_list_json(order_list) for order_list in self._state.order_lists.all()])

    async def order_list(self, request: Request) -> Response:
        order_list_id: int = request.path_params["order_list_id"]
        order_list = self._state.order_lists.by_id(order_list_id)
        if order_list is None:
            return JSONResponse({"error": f"no order list {order_list_id}"}, status_code=404)
        return JSONResponse(_order_list_json(order_list))

    async def register_api_key(self, request: Request) -> Response:
        payload = await _payload(request)
        api_key = _required(payload, "apiKey", str)
        key_type = _enum(payload, "type", KeyType, KeyType.HMAC)
        material = _required(payload, "secret" if key_type is KeyType.HMAC else "publicKey", str)
        self._state.api_keys[api_key] = load_key(key_type, material)
        return JSONResponse({"apiKey": api_key, "type": key_type}, status_code=201)

    async def add_fault(self, request: Request) -> Response:
        payload = await _payload(request)
        kind = _enum(payload, "kind", FaultKind, None)
        fault = build_fault(kind, _optional(payload, "params", dict) or {})
        count = _optional(payload, "count", int) if "count" in payload else 1
        rule = self._state.faults.add(
            fault, count=count, path=_optional(payload, "path", str), method=_optional(payload, "method", str)
        )
        return JSONResponse(_fault_json(rule), status_code=201)

    async def faults(self, request: Request) -> Response:
        return JSONResponse([_fault_json(rule) for rule in self._state.faults.pending()])

    async def clear_faults(self, request: Request) -> Response:
        self._state.faults.clear()
        return JSONResponse({})

    async def clock(self, request: Request) -> Response:
        clock = self._state.clock
        return JSONResponse({"offsetMs": clock.offset_ms, "serverTime": clock.now_us() // 1000})

    async def shift_clock(self, request: Request) -> Response:
        self._state.clock.offset_ms = _required(await _payload(request), "offsetMs", int)
        return await self.clock(request)

    async def set_response_version(self, request: Request) -> Response:
        version = _enum(await _payload(request), "version", ResponseVersion, None)
        self._state.response_version = version
        return JSONResponse({"version": version})

    async def set_rate_limit(self, request: Request) -> Response:
        payload = await _payload(request)
        weight_per_minute = _optional(payload, "weightPerMinute", int)
        ban_seconds = _optional(payload, "banSeconds", int)
        if ban_seconds is None:
            ban_seconds = self._state.config.ban_seconds
        if (weight_per_minute is not None and weight_per_minute < 1) or ban_seconds < 1:
            raise ValueError("weightPerMinute and banSeconds must be at least 1")
        self._state.limiter = WeightLimiter(RateLimitSettings(weight_per_minute, ban_seconds))
        return JSONResponse({"weightPerMinute": weight_per_minute, "banSeconds": ban_seconds})

    async def set_query_lag(self, request: Request) -> Response:
        payload = await _payload(request)
        queries = _optional(payload, "queries", int) or 0
        milliseconds = _optional(payload, "milliseconds", int) or 0
        if queries < 0 or milliseconds < 0:
            raise ValueError("queries and milliseconds must not be negative")
        self._state.query_lag = QueryLag(queries, milliseconds)
        return JSONResponse({"queries": queries, "milliseconds": milliseconds})

    async def requests(self, request: Request) -> Response:
        return JSONResponse([entry.to_json() for entry in self._state.request_log.entries()])

    async def clear_requests(self, request: Request) -> Response:
        self._state.request_log.clear()
        return JSONResponse({})


def _answering_400(handler: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=400)

    return endpoint


async def _payload(request: Request) -> Mapping[str, object]:
    payload = await request.json()
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


def _optional(payload: Mapping[str, object], name: str, expected: type[_Value]) -> _Value | None:
    value = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        raise ValueError(f"{name} must be of type {expected.__name__}")
    return value


def _required(payload: Mapping[str, object], name: str, expected: type[_Value]) -> _Value:
    value = _optional(payload, name, expected)
    if value is None:
        raise ValueError(f"{name} is required")
    return value


def _enum(payload: Mapping[str, object], name: str, enum: type[_Enum], default: _Enum | None) -> _Enum:
    raw = _optional(payload, name, str)
    if raw is None:
        if default is None:
            raise ValueError(f"{name} is required")
        return default
    known = [member.value for member in enum]
    if raw not in known:
        raise ValueError(f"{name} must be one of {known}")
    return enum(raw)


def _client_id(payload: Mapping[str, object], name: str) -> str | None:
    value = _optional(payload, name, str)
    if value is not None and not is_client_order_id(value):
        raise ValueError(f"{name} {value!r} does not match {CLIENT_ORDER_ID.pattern_source}")
    return value


def _amount(payload: Mapping[str, object], name: str) -> Decimal | None:
    value = payload.get(name)
    if value is None:
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise ValueError(f"{name} must be a positive decimal string")
    return amount


def _order_terms(raw: object) -> OrderTerms:
    if not isinstance(raw, dict):
        raise ValueError("every order must be a JSON object")
    price, quantity = _amount(raw, "price"), _amount(raw, "quantity")
    if price is None or quantity is None:
        raise ValueError("every order needs a price and a quantity")
    return OrderTerms(
        side=_enum(raw, "side", OrderSide, None),
        type=_enum(raw, "type", OrderType, None),
        price=price,
        quantity=quantity,
        stop_price=_amount(raw, "stopPrice"),
        client_order_id=_client_id(raw, "clientOrderId"),
        time_in_force=_enum(raw, "timeInForce", TimeInForce, TimeInForce.GTC),
        conditional_fields=checked_conditional_fields(raw.get("conditionalFields")),
    )


def _order_list_json(order_list: OrderList) -> dict[str, object]:
    return {
        **list_status(order_list),
        "symbol": order_list.symbol,
        "orders": [
            {
                "orderId": order.order_id,
                "clientOrderId": order.client_order_id,
                "status": order.status,
                "side": order.terms.side,
                "type": order.terms.type,
                "price": str(order.terms.price),
                "quantity": str(order.terms.quantity),
                "stopPrice": None if order.terms.stop_price is None else str(order.terms.stop_price),
                "timeInForce": order.terms.time_in_force,
                "conditionalFields": dict(order.terms.conditional_fields),
            }
            for order in order_list.orders
        ],
    }


def _fault_json(rule: FaultRule) -> dict[str, object]:
    return {
        "id": rule.fault_id,
        "kind": rule.fault.kind,
        "remaining": rule.remaining,
        "path": rule.path,
        "method": rule.method,
    }
