"""Timing security: the time unit header, the server clock and the recvWindow rule."""

import time
from decimal import Decimal

from binance_orderlist_api.models import TimeUnit

from ._errors import BinanceError

_MICROS_PER_MS = 1000
_AHEAD_LIMIT_MS = 1000


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
    """``X-MBX-TIME-UNIT``, case-insensitive; absent means milliseconds."""
    if header is None:
        return TimeUnit.MILLISECOND
    unit = TimeUnit(header.upper())
    if not unit.is_known:
        raise BinanceError(-1194, "Invalid value for time unit; expected either MICROSECOND or MILLISECOND.")
    return unit


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
