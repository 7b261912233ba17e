"""Reading the cancel request's parameters with Binance's error codes for every way they can be wrong."""

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl

from ._errors import BinanceError, empty_parameter, illegal_characters, mandatory_parameter

SYMBOL = "symbol"
ORDER_LIST_ID = "orderListId"
LIST_CLIENT_ORDER_ID = "listClientOrderId"
NEW_CLIENT_ORDER_ID = "newClientOrderId"
RECV_WINDOW = "recvWindow"
TIMESTAMP = "timestamp"
_READ_BY_THIS_ENDPOINT = frozenset(
    {SYMBOL, ORDER_LIST_ID, LIST_CLIENT_ORDER_ID, NEW_CLIENT_ORDER_ID, RECV_WINDOW, TIMESTAMP}
)
# Parameters of Binance's other order endpoints: known to the API, so Binance names them (-1106) instead of -1104.
_NOT_REQUIRED_HERE = frozenset(
    {"orderId", "origClientOrderId", "side", "type", "quantity", "price", "stopPrice", "timeInForce"}
    | {"cancelRestrictions", "newOrderRespType", "selfTradePreventionMode", "quoteOrderQty", "icebergQty"}
)

CLIENT_ORDER_ID_RANGE = r"^[\.A-Z\:/a-z0-9_-]{1,36}$"
_CLIENT_ORDER_ID = re.compile(r"[.A-Z:/a-z0-9_-]{1,36}")
_LONG_RANGE = "^[0-9]{1,20}$"
_LONG = re.compile(r"[0-9]{1,19}")
_SYMBOL_RANGE = "^[A-Z0-9-_.]{1,20}$"
_DECIMAL_RANGE = r"^[0-9]{1,20}(\.[0-9]{1,3})?$"
_DECIMAL = re.compile(r"[0-9]{1,20}(?:\.([0-9]+))?")
_RECV_WINDOW_DECIMALS = 3
_RECV_WINDOW_MAX_MS = 60000
DEFAULT_RECV_WINDOW_MS = Decimal(5000)


@dataclass(frozen=True)
class CancelParameters:
    symbol: str
    order_list_id: int | None
    list_client_order_id: str | None
    new_client_order_id: str | None
    recv_window_ms: Decimal
    timestamp: int


def parse_cancel_parameters(query: bytes, body: bytes, *, decimal_recv_window: bool) -> CancelParameters:
    """The parameters of the query and the form body (both without the signature); ``decimal_recv_window`` is
    the newer document's DECIMAL recvWindow."""
    sent = sent_parameters(query, body)
    symbol = _symbol(_mandatory(sent, SYMBOL))
    order_list_id = sent.get(ORDER_LIST_ID)
    list_client_order_id = sent.get(LIST_CLIENT_ORDER_ID)
    if not order_list_id and not list_client_order_id:
        raise BinanceError(
            -1102, f"Param '{ORDER_LIST_ID}' or '{LIST_CLIENT_ORDER_ID}' must be sent, but both were empty/null!"
        )
    parameters = CancelParameters(
        symbol=symbol,
        order_list_id=None if order_list_id is None else _long(ORDER_LIST_ID, _not_empty(ORDER_LIST_ID, order_list_id)),
        list_client_order_id=_client_order_id(LIST_CLIENT_ORDER_ID, list_client_order_id),
        new_client_order_id=_client_order_id(NEW_CLIENT_ORDER_ID, sent.get(NEW_CLIENT_ORDER_ID)),
        recv_window_ms=_recv_window(sent.get(RECV_WINDOW), decimal=decimal_recv_window),
        timestamp=_long(TIMESTAMP, _mandatory(sent, TIMESTAMP)),
    )
    _reject_unread(sent)
    return parameters


def sent_parameters(query: bytes, body: bytes) -> dict[str, str]:
    """Query and body merged; a parameter sent in both places takes the query string's value (Binance's rule)."""
    return {**_decode(body), **_decode(query)}


def _decode(payload: bytes) -> dict[str, str]:
    """One part's parameters; a name twice in the same part is -1101."""
    try:
        pairs = parse_qsl(payload.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise BinanceError(-1100, "Illegal characters found in a parameter.") from None
    sent = dict(pairs)
    if len(sent) != len(pairs):
        raise BinanceError(-1101, "Duplicate values for a parameter detected.")
    return sent


def _mandatory(sent: dict[str, str], name: str) -> str:
    value = sent.get(name)
    if not value:
        raise mandatory_parameter(name)
    return value


def _not_empty(name: str, value: str) -> str:
    if not value:
        raise empty_parameter(name)
    return value


def is_legal_symbol(value: str) -> bool:
    """Binance's range for ASCII symbols, widened to the non-ASCII letters and digits symbols may now have."""
    return 0 < len(value) <= 20 and all(char in "-_." or (char.isalnum() and not char.islower()) for char in value)


def is_client_order_id(value: str) -> bool:
    return _CLIENT_ORDER_ID.fullmatch(value) is not None


def _symbol(value: str) -> str:
    if not is_legal_symbol(value):
        raise illegal_characters(SYMBOL, _SYMBOL_RANGE)
    return value


def _long(name: str, value: str) -> int:
    if not _LONG.fullmatch(value) or int(value) >= 2**63:
        raise illegal_characters(name, _LONG_RANGE)
    return int(value)


def _client_order_id(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not is_client_order_id(_not_empty(name, value)):
        raise illegal_characters(name, CLIENT_ORDER_ID_RANGE)
    return value


def _recv_window(value: str | None, *, decimal: bool) -> Decimal:
    if value is None:
        return DEFAULT_RECV_WINDOW_MS
    matched = _DECIMAL.fullmatch(_not_empty(RECV_WINDOW, value))
    fraction = matched.group(1) if matched else None
    if not matched or (fraction is not None and not decimal):
        raise illegal_characters(RECV_WINDOW, _DECIMAL_RANGE if decimal else _LONG_RANGE)
    if fraction is not None and len(fraction) > _RECV_WINDOW_DECIMALS:
        raise BinanceError(-1111, f"Parameter '{RECV_WINDOW}' has too much precision.")
    recv_window = Decimal(value)
    if recv_window > _RECV_WINDOW_MAX_MS:
        raise BinanceError(-1131, f"recvWindow must be less than {_RECV_WINDOW_MAX_MS}.")
    return recv_window


def _reject_unread(sent: dict[str, str]) -> None:
    for name in sent:
        if name in _NOT_REQUIRED_HERE:
            raise BinanceError(-1106, f"Parameter '{name}' sent when not required.")
    read = sum(name in _READ_BY_THIS_ENDPOINT for name in sent)
    if read != len(sent):
        # Binance counts the signature among the parameters it read.
        raise BinanceError(
            -1104, f"Not all sent parameters were read; read '{read + 1}' parameter(s) but was sent '{len(sent) + 1}'."
        )
