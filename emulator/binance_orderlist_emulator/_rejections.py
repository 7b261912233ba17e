"""Binance's rejections: an error code, a message and the HTTP status they travel with.

Codes and messages are openapi.yaml's (``components.x-binance-errors``, generated into ``API_ERRORS``).
"""

from binance_orderlist_api.operations import (
    API_ERRORS,
    BAD_API_KEY_FMT,
    BAD_SYMBOL,
    CANCEL_REJECTED,
    ILLEGAL_CHARS,
    MANDATORY_PARAM_EMPTY_OR_MALFORMED,
    NO_SUCH_ORDER,
    PARAM_EMPTY,
    REJECTED_MBX_KEY,
)


class BinanceRejection(Exception):
    """Raised where a rule is broken; the route turns it into Binance's ``{"code", "msg"}`` body."""

    def __init__(self, code: int, msg: str, *, http_status: int = 400) -> None:
        super().__init__(f"{code}: {msg}")
        self.code = code
        self.msg = msg
        self.http_status = http_status

    @classmethod
    def of(cls, code: int, *values: object, variant: str | None = None, http_status: int = 400) -> "BinanceRejection":
        """Binance's error ``code`` with its message from openapi.yaml (or that ``variant`` of it), ``values``
        filled in where Binance fills them in."""
        return cls(code, API_ERRORS[code].message(*values, variant=variant), http_status=http_status)

    def body(self) -> dict[str, object]:
        return {"code": self.code, "msg": self.msg}


def mandatory_parameter(name: str) -> BinanceRejection:
    return BinanceRejection.of(MANDATORY_PARAM_EMPTY_OR_MALFORMED, name)


def illegal_characters(name: str, legal_range: str) -> BinanceRejection:
    return BinanceRejection.of(ILLEGAL_CHARS, name, legal_range)


def empty_parameter(name: str) -> BinanceRejection:
    return BinanceRejection.of(PARAM_EMPTY, name)


def unknown_order_list() -> BinanceRejection:
    return BinanceRejection.of(CANCEL_REJECTED)


def no_such_order_list() -> BinanceRejection:
    """A query's answer for a list that does not exist."""
    return BinanceRejection.of(NO_SUCH_ORDER)


def invalid_symbol() -> BinanceRejection:
    return BinanceRejection.of(BAD_SYMBOL)


def missing_api_key() -> BinanceRejection:
    return BinanceRejection.of(BAD_API_KEY_FMT, http_status=401)


def unknown_api_key() -> BinanceRejection:
    return BinanceRejection.of(REJECTED_MBX_KEY, http_status=401)
