"""Timing security: the time unit header, the server clock and the recvWindow rule."""

import time
from decimal import Decimal

from binance_orderlist_api.models import TimeUnit
from binance_orderlist_api.operations import CANCEL_ORDER_LIST

from ._errors import BinanceError
from ._parameters import parameter_error

_MICROS_PER_MS = 1000
_AHEAD_LIMIT_MS = 1000
_TIME_UNIT = CANCEL_ORDER_LIST.parameter("X-MBX-TIME-UNIT")


class ServerClock:
    """Binance's clock as the emulator shows it: the real clock plus an offset, to imitate client clock drift."""

    def __init__(self) -> None:
        self.offset_ms = 0

    def now_us(self) -> int:
        return time.time_ns() // 1000 + self.offset_ms * _MICROS_PER_MS

    def now(self, unit: TimeUnit) -> int:
        """The current time in the unit the request asked for (milliseconds unless MICROSECOND)."""
        return in_unit(self.now_us(), unit)


def in_unit(time_us: int, unit: TimeUnit) -> int:
    return time_us if unit is TimeUnit.MICROSECOND else time_us // _MICROS_PER_MS


def parse_time_unit(header: str | None) -> TimeUnit:
    """``X-MBX-TIME-UNIT`` in one of the spellings openapi.yaml lists (-1194 otherwise); absent, its default."""
    text = _TIME_UNIT.default if header is None else header
    problem = _TIME_UNIT.problem(text or "")
    if problem is not None:
        raise parameter_error(_TIME_UNIT, problem)
    return TimeUnit((text or "").upper())


def check_timestamp(timestamp: int, recv_window_ms: Decimal, unit: TimeUnit, server_time: int) -> None:
    """Accept when ``timestamp < serverTime + 1000 ms`` and ``serverTime - timestamp <= recvWindow``.

    All three times are in the request's unit, so millisecond requests compare whole milliseconds
    as Binance does, and ``recvWindow`` (always milliseconds) is scaled to match.
    """
    per_ms = _MICROS_PER_MS if unit is TimeUnit.MICROSECOND else 1
    if timestamp >= server_time + _AHEAD_LIMIT_MS * per_ms:
        raise BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    if server_time - timestamp > recv_window_ms * per_ms:
        raise BinanceError(-1021, "Timestamp for this request is outside of the recvWindow.")
