"""Timing security: the time unit header, the server clock and the recvWindow rule."""

import time
from decimal import Decimal

from binance_orderlist_api.models import TimeUnit
from binance_orderlist_api.operations import CANCEL_ORDER_LIST, INVALID_TIMESTAMP, TIME_UNIT_HEADER

from ._parameters import parameter_error
from ._rejections import BinanceRejection

_MICROS_PER_MS = 1000
_AHEAD_LIMIT_MS = 1000
TIME_UNIT = CANCEL_ORDER_LIST.parameter(TIME_UNIT_HEADER)
MICROSECOND_TIMESTAMPS_FROM = 10**14
"""Binance tells the two units apart by size: 10^14 is the year 5138 in ms and 1973 in µs (our choice of line)."""


class EmulatorClock:
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
    """``X-MBX-TIME-UNIT`` in one of the spellings openapi.yaml lists (-1194 otherwise); absent, its default.
    It sets the unit of the response's times, never of ``timestamp``."""
    text = TIME_UNIT.default if header is None else header
    problem = TIME_UNIT.problem(text or "")
    if problem is not None:
        raise parameter_error(TIME_UNIT, problem)
    return TimeUnit((text or "").upper())


def timestamp_unit(timestamp: int) -> TimeUnit:
    """A timestamp parameter may be in milliseconds or microseconds whatever the header says."""
    return TimeUnit.MICROSECOND if timestamp >= MICROSECOND_TIMESTAMPS_FROM else TimeUnit.MILLISECOND


def check_timestamp(timestamp: int, recv_window_ms: Decimal, server_time_us: int) -> None:
    """Accept when ``timestamp < serverTime + 1000 ms`` and ``serverTime - timestamp <= recvWindow``.

    Both times are compared in the timestamp's own unit, so millisecond requests compare whole
    milliseconds as Binance does, and ``recvWindow`` (always milliseconds, up to 3 decimals) is
    scaled to match.
    """
    unit = timestamp_unit(timestamp)
    per_ms = _MICROS_PER_MS if unit is TimeUnit.MICROSECOND else 1
    server_time = in_unit(server_time_us, unit)
    if timestamp >= server_time + _AHEAD_LIMIT_MS * per_ms:
        raise BinanceRejection.of(INVALID_TIMESTAMP, variant="ahead")
    if server_time - timestamp > recv_window_ms * per_ms:
        raise BinanceRejection.of(INVALID_TIMESTAMP)
