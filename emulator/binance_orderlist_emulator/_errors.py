"""Binance's rejections: an error code, a message and the HTTP status they travel with."""

from typing import Final

UNKNOWN_ORDER_LIST: Final = "Unknown order list sent."


class BinanceError(Exception):
    """Raised where a rule is broken; the route turns it into Binance's ``{"code", "msg"}`` body."""

    def __init__(self, code: int, msg: str, *, http_status: int = 400) -> None:
        super().__init__(f"{code}: {msg}")
        self.code = code
        self.msg = msg
        self.http_status = http_status

    def body(self) -> dict[str, object]:
        return {"code": self.code, "msg": self.msg}


def mandatory_parameter(name: str) -> BinanceError:
    return BinanceError(-1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")


def illegal_characters(name: str, legal_range: str) -> BinanceError:
    return BinanceError(-1100, f"Illegal characters found in parameter '{name}'; legal range is '{legal_range}'.")


def empty_parameter(name: str) -> BinanceError:
    return BinanceError(-1105, f"Parameter '{name}' was empty.")


def unknown_order_list() -> BinanceError:
    return BinanceError(-2011, UNKNOWN_ORDER_LIST)


def no_such_order_list() -> BinanceError:
    """A query's answer for a list that does not exist (NO_SUCH_ORDER)."""
    return BinanceError(-2013, "Order list does not exist.")


def invalid_symbol() -> BinanceError:
    return BinanceError(-1121, "Invalid symbol.")
