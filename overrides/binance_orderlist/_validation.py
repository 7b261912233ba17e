"""The rules the API description cannot enforce, checked before any byte is sent.

The generator emits no checks for ``maximum``, ``pattern`` or ``maxLength``, and nothing can say
"orderListId or listClientOrderId must be sent". Each rule raises ``RequestValidationError`` naming
the parameter, and every value comes out rendered exactly as it must appear on the wire.
"""

import re
from decimal import Decimal, InvalidOperation

from attrs import frozen
from binance_orderlist_api.models import TimeUnit

from .errors import RequestValidationError

__all__ = ["CancelOrderListParams", "validate_cancel_order_list", "validate_recv_window", "validate_time_unit"]

RecvWindow = int | Decimal | str

CLIENT_ORDER_ID = re.compile(r"[.A-Z:/a-z0-9_-]{1,36}", re.ASCII)
MAX_ORDER_LIST_ID = 2**63 - 1
MAX_SYMBOL_LENGTH = 20
MAX_RECV_WINDOW = Decimal(60000)
RECV_WINDOW_PLACES = 3


@frozen
class CancelOrderListParams:
    """Validated parameters of one cancel, in their wire form."""

    symbol: str
    order_list_id: int | None
    list_client_order_id: str | None
    new_client_order_id: str | None
    recv_window: str | None


def _is_symbol_character(char: str) -> bool:
    return char in "-_." or (char.isalnum() and not char.islower())


def _validate_symbol(symbol: object) -> str:
    """Binance's symbol range ``^[A-Z0-9-_.]{1,20}$``, widened to the non-ASCII letters and digits it now lists."""
    if not isinstance(symbol, str) or not 0 < len(symbol) <= MAX_SYMBOL_LENGTH:
        raise RequestValidationError("symbol", f"must be a str of 1-20 characters such as 'LTCBTC', got {symbol!r}")
    if not all(map(_is_symbol_character, symbol)):
        raise RequestValidationError(
            "symbol", f"allows upper-case letters, digits and - _ . only (no spaces, no lower case), got {symbol!r}"
        )
    return symbol


def _validate_order_list_id(order_list_id: object) -> int | None:
    if order_list_id is None:
        return None
    if isinstance(order_list_id, bool) or not isinstance(order_list_id, int):
        raise RequestValidationError("order_list_id", f"must be an int, got {type(order_list_id).__name__}")
    if not 0 <= order_list_id <= MAX_ORDER_LIST_ID:
        raise RequestValidationError("order_list_id", f"must be between 0 and 2**63-1, got {order_list_id}")
    return order_list_id


def _validate_client_id(parameter: str, client_id: object) -> str | None:
    if client_id is None:
        return None
    if not isinstance(client_id, str) or not CLIENT_ORDER_ID.fullmatch(client_id):
        raise RequestValidationError(
            parameter, f"must be 1-36 characters of A-Z a-z 0-9 . : / _ - (Binance's pattern), got {client_id!r}"
        )
    return client_id


def _without_trailing_zeros(value: Decimal) -> Decimal:
    """``value`` with no zeros after its last significant decimal, exactly: ``normalize()`` would round to the
    caller's decimal context."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # only finite values get here
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return Decimal((sign, digits, exponent))


def validate_recv_window(recv_window: object) -> str | None:
    """Render recvWindow as a plain decimal (``6000.346``, never ``6e3``) after checking 0 < it <= 60000."""
    if recv_window is None:
        return None
    if isinstance(recv_window, bool) or not isinstance(recv_window, int | Decimal | str):
        raise RequestValidationError(
            "recv_window",
            f"must be an int, Decimal or str, got {type(recv_window).__name__} (floats are inexact: use Decimal)",
        )
    try:
        value = Decimal(recv_window.strip() if isinstance(recv_window, str) else recv_window)
    except InvalidOperation:
        raise RequestValidationError("recv_window", f"must be a decimal number, got {recv_window!r}") from None
    if not value.is_finite() or not 0 < value <= MAX_RECV_WINDOW:
        raise RequestValidationError("recv_window", f"must be greater than 0 and at most 60000, got {recv_window!r}")
    exact = _without_trailing_zeros(value)
    if -exact.as_tuple().exponent > RECV_WINDOW_PLACES:  # type: ignore[operator]
        raise RequestValidationError("recv_window", f"allows at most 3 decimal places, got {recv_window!r}")
    return format(exact, "f")


def validate_time_unit(time_unit: object) -> TimeUnit:
    if isinstance(time_unit, str) and time_unit.upper() in TimeUnit.__members__:
        return TimeUnit[time_unit.upper()]
    raise RequestValidationError("time_unit", f"must be 'MILLISECOND' or 'MICROSECOND', got {time_unit!r}")


def validate_cancel_order_list(
    *,
    symbol: object,
    order_list_id: object,
    list_client_order_id: object,
    new_client_order_id: object,
    recv_window: object,
) -> CancelOrderListParams:
    params = CancelOrderListParams(
        symbol=_validate_symbol(symbol),
        order_list_id=_validate_order_list_id(order_list_id),
        list_client_order_id=_validate_client_id("list_client_order_id", list_client_order_id),
        new_client_order_id=_validate_client_id("new_client_order_id", new_client_order_id),
        recv_window=validate_recv_window(recv_window),
    )
    if params.order_list_id is None and params.list_client_order_id is None:
        raise RequestValidationError(
            "order_list_id", "either order_list_id or list_client_order_id must be given (both may be)"
        )
    return params
