"""The control API's messages, each JSON shape written once: its server (``_control_routes``) reads requests and
writes replies with them, its client (``control``) writes requests and reads replies with them.

A message's JSON is its fields by their camelCase names (``to_json``, ``from_json``); a request's ``parse``
refuses what the emulator cannot use with a ValueError that names the field, which the server answers 400
``{"error": "..."}`` (``refusal``).
"""

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any, Literal, Self, TypeVar

from binance_orderlist_api.models import ContingencyType, OrderSide, OrderType, TimeInForce

from ._config import ApiKeyType, ResponseVersion
from ._faults import FaultKind
from ._parameters import CLIENT_ORDER_ID, is_client_order_id, is_legal_symbol
from ._response_bodies import checked_conditional_fields

_Message = TypeVar("_Message")
_Value = TypeVar("_Value")
_Enum = TypeVar("_Enum", bound=StrEnum)
_ERROR = "error"
CONTROL_PREFIX = "/_emulator"
"""Where the control API's paths start, beside Binance's."""


def refusal(reason: str) -> dict[str, str]:
    """The body of every 400 (and 404) the control API answers."""
    return {_ERROR: reason}


def refusal_reason(body: object) -> str | None:
    return body.get(_ERROR) if isinstance(body, dict) else None


def json_object(payload: object) -> Mapping[str, Any]:
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


def to_json(message: object) -> dict[str, object]:
    """A message (a dataclass) as JSON: each field by its camelCase name (or its ``json`` metadata), decimals and
    enum members as strings, nested messages as objects."""
    return {_json_name(item): _json_value(getattr(message, item.name)) for item in dataclasses.fields(message)}  # type: ignore[arg-type]


def from_json(message_type: type[_Message], raw: Mapping[str, Any]) -> _Message:
    """The message ``to_json`` wrote, read back: decimals as ``Decimal``, arrays as tuples, nested messages typed."""
    hints = typing.get_type_hints(message_type)
    fields = dataclasses.fields(message_type)  # type: ignore[arg-type]
    return message_type(**{item.name: _read(hints[item.name], raw[_json_name(item)]) for item in fields})


def _json_name(item: "dataclasses.Field[Any]") -> str:
    head, *rest = item.name.split("_")
    name: str = item.metadata.get("json", head + "".join(word.title() for word in rest))
    return name


def _json_value(value: object) -> object:
    if dataclasses.is_dataclass(value):
        return to_json(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_json_value(item) for item in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _read(hint: object, value: Any) -> object:
    if value is None:
        return None
    if isinstance(hint, types.UnionType):
        hint = next(option for option in typing.get_args(hint) if option is not type(None))
    if typing.get_origin(hint) is tuple:
        item_hint = typing.get_args(hint)[0]
        return tuple(_read(item_hint, item) for item in value)
    if hint is Decimal:
        return Decimal(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_json(hint, value)
    return value


@dataclass(frozen=True)
class OrderSpec:
    """One order of a list to create; decimals as strings or ``Decimal``."""

    side: OrderSide | Literal["BUY", "SELL"]
    type: str
    price: Decimal | str
    quantity: Decimal | str
    stop_price: Decimal | str | None = None
    client_order_id: str | None = None
    time_in_force: str = "GTC"
    conditional_fields: Mapping[str, object] = field(default_factory=dict)
    """Fields its cancel report carries because they apply (``icebergQty``, ``usedSor``, ``pegPriceType``...: the
    report's fields with an ``x-source`` in openapi.yaml), by Binance's names and in its JSON types."""

    @classmethod
    def parse(cls, raw: object) -> Self:
        """Checked: known enum values, positive decimals, a legal client id, conditional fields openapi.yaml types."""
        if not isinstance(raw, dict):
            raise ValueError("every order must be a JSON object")
        price, quantity = _amount(raw, "price"), _amount(raw, "quantity")
        if price is None or quantity is None:
            raise ValueError("every order needs a price and a quantity")
        return cls(
            side=_enum(raw, "side", OrderSide, None),
            type=_enum(raw, "type", OrderType, None),
            price=price,
            quantity=quantity,
            stop_price=_amount(raw, "stopPrice"),
            client_order_id=_client_id(raw, "clientOrderId"),
            time_in_force=_enum(raw, "timeInForce", TimeInForce, TimeInForce.GTC),
            conditional_fields=checked_conditional_fields(raw.get("conditionalFields")),
        )


@dataclass(frozen=True)
class NewOrderList:
    """A list to create; without ``orders`` the emulator picks its default ones for the contingency type."""

    symbol: str
    contingency_type: str = ContingencyType.OCO
    list_client_order_id: str | None = None
    orders: tuple[OrderSpec, ...] | None = None

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        symbol = _required(payload, "symbol", str)
        if not is_legal_symbol(symbol):
            raise ValueError(f"symbol {symbol!r} is not a legal Binance symbol")
        raw_orders = _optional(payload, "orders", list)
        return cls(
            symbol=symbol,
            contingency_type=_enum(payload, "contingencyType", ContingencyType, ContingencyType.OCO),
            list_client_order_id=_client_id(payload, "listClientOrderId"),
            orders=None if raw_orders is None else tuple(OrderSpec.parse(raw) for raw in raw_orders),
        )


@dataclass(frozen=True)
class CreatedOrderList:
    """The ids the emulator gave a new list and its orders (generated where the request named none)."""

    order_list_id: int
    list_client_order_id: str
    order_ids: tuple[int, ...]
    client_order_ids: tuple[str, ...]
    """In the list's order, as ``order_ids``."""


@dataclass(frozen=True)
class OrderState:
    """One order of a list as the emulator holds it; decimals as ``Decimal``."""

    order_id: int
    client_order_id: str
    status: str
    """``NEW``, ``PENDING_NEW`` (an OTO list's orders after the working one) or ``CANCELED``."""
    side: str
    type: str
    price: Decimal
    quantity: Decimal
    stop_price: Decimal | None
    """None for an order type without a stop price."""
    time_in_force: str
    conditional_fields: Mapping[str, object] = field(default_factory=dict)
    """As ``OrderSpec.conditional_fields``: the fields its cancel report carries because they apply."""


@dataclass(frozen=True)
class OrderListState:
    """A list as the emulator holds it now."""

    order_list_id: int
    contingency_type: str
    list_status_type: str
    list_order_status: str
    """``EXECUTING`` while open, ``ALL_DONE`` once cancelled."""
    list_client_order_id: str
    symbol: str
    orders: tuple[OrderState, ...]


@dataclass(frozen=True)
class FaultRequest:
    """A fault of ``kind`` with its own ``params``, for the next ``count`` (None: all until
    cleared) requests that match ``path`` and ``method`` (None: any)."""

    kind: FaultKind | str
    count: int | None = 1
    path: str | None = None
    method: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            kind=_enum(payload, "kind", FaultKind, None),
            count=_optional(payload, "count", int) if "count" in payload else 1,
            path=_optional(payload, "path", str),
            method=_optional(payload, "method", str),
            params=_optional(payload, "params", dict) or {},
        )


@dataclass(frozen=True)
class PendingFault:
    """A fault waiting for requests, as the control API lists it (and answers the request that added it)."""

    id: int
    kind: str
    remaining: int | None
    path: str | None
    method: str | None


@dataclass(frozen=True)
class ClockShift:
    """How far the emulator's clock is from the real one."""

    offset_ms: int

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        return cls(_required(payload, "offsetMs", int))


@dataclass(frozen=True)
class ClockReading:
    """The shift and the server time (milliseconds) the emulator shows with it."""

    offset_ms: int
    server_time: int


@dataclass(frozen=True)
class ResponseVersionSetting:
    version: ResponseVersion | str

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        return cls(_enum(payload, "version", ResponseVersion, None))


@dataclass(frozen=True)
class RateLimitSetting:
    """A weight limit per minute (None: unlimited) and how long a 418 ban lasts (None, in a request: the start-up
    setting)."""

    weight_per_minute: int | None
    ban_seconds: int | None

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        setting = cls(_optional(payload, "weightPerMinute", int), _optional(payload, "banSeconds", int))
        if any(value is not None and value < 1 for value in (setting.weight_per_minute, setting.ban_seconds)):
            raise ValueError("weightPerMinute and banSeconds must be at least 1")
        return setting


@dataclass(frozen=True)
class QueryLagSetting:
    """Queries of a list changed from now on show it as it was for ``queries`` reads or ``milliseconds``."""

    queries: int = 0
    milliseconds: int = 0

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        setting = cls(_optional(payload, "queries", int) or 0, _optional(payload, "milliseconds", int) or 0)
        if setting.queries < 0 or setting.milliseconds < 0:
            raise ValueError("queries and milliseconds must not be negative")
        return setting


@dataclass(frozen=True)
class ApiKeyRegistration:
    """An API key the emulator accepts from now on (until a reset)."""

    api_key: str
    key_type: ApiKeyType
    """Sent as ``type``; it names the field of ``material``."""
    material: str
    """The HMAC secret (``secret``), or the Ed25519 or RSA public key as PEM (``publicKey``)."""

    def to_json(self) -> dict[str, object]:
        return {"apiKey": self.api_key, "type": str(self.key_type), self._material_field(self.key_type): self.material}

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        api_key = _required(payload, "apiKey", str)
        key_type = _enum(payload, "type", ApiKeyType, ApiKeyType.HMAC)
        return cls(api_key, key_type, _required(payload, cls._material_field(key_type), str))

    def registered_json(self) -> dict[str, object]:
        """The reply: the key and its type, never its material."""
        return {"apiKey": self.api_key, "type": str(self.key_type)}

    @staticmethod
    def _material_field(key_type: ApiKeyType) -> str:
        return "secret" if key_type is ApiKeyType.HMAC else "publicKey"


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
