"""Request weight per minute, with Binance's 429 and the 418 ban for going on after a 429.

All instants are whole milliseconds of a monotonic clock: with float seconds, ``ceil(end - now)``
for a fresh 300 s ban came out as 301 whenever the subtraction landed a hair over 300.
"""

from dataclasses import dataclass

from binance_orderlist_api.operations import TOO_MANY_REQUESTS

from ._rejections import BinanceRejection

WINDOW_MS = 60_000
DEFAULT_WEIGHT_PER_MINUTE = 6000
_MS_PER_SECOND = 1000
_NEVER = -(2**63)


def too_much_weight(limit: int) -> BinanceRejection:
    return BinanceRejection.of(TOO_MANY_REQUESTS, limit, http_status=429)


def banned_until(banned_until_ms: int) -> BinanceRejection:
    return BinanceRejection.of(TOO_MANY_REQUESTS, banned_until_ms, variant="banned", http_status=418)


@dataclass(frozen=True)
class RateLimitSettings:
    weight_per_minute: int | None
    """None: no limit."""
    ban_seconds: int


@dataclass(frozen=True)
class Admission:
    used_weight: int
    rejection: BinanceRejection | None = None
    retry_after: int | None = None
    """Whole seconds, rounded up, never more than what is left of the 429 period or the ban."""


class WeightLimiter:
    """Counts the weight of every request in a one-minute window that opens with the first request.

    Over the limit the answer is 429 until the window closes; a request during that 429 period
    earns a 418 ban of ``ban_seconds``, and every request during the ban is a 418 too.
    """

    def __init__(self, settings: RateLimitSettings) -> None:
        self.settings = settings
        self._window_start_ms = _NEVER
        self._used = 0
        self._limited_until_ms = _NEVER
        self._banned_until_ms = _NEVER

    def admit(self, weight: int, now_ms: int, *, server_time_ms: int) -> Admission:
        """``now_ms`` is monotonic milliseconds; ``server_time_ms`` only names the ban's end in the message."""
        if now_ms >= self._window_start_ms + WINDOW_MS:
            self._window_start_ms, self._used = now_ms, 0
        self._used += weight
        if now_ms < self._banned_until_ms:
            return self._banned(now_ms, server_time_ms)
        limit = self.settings.weight_per_minute
        if limit is None:
            return Admission(self._used)
        if now_ms < self._limited_until_ms:
            self._banned_until_ms = now_ms + self.settings.ban_seconds * _MS_PER_SECOND
            return self._banned(now_ms, server_time_ms)
        if self._used > limit:
            self._limited_until_ms = self._window_start_ms + WINDOW_MS
            remaining_ms = self._limited_until_ms - now_ms
            return Admission(self._used, too_much_weight(limit), _whole_seconds(remaining_ms))
        return Admission(self._used)

    def refund(self, weight: int) -> int:
        """Give back weight charged on admission (a successful cancel costs 0); the weight now used."""
        self._used -= weight
        return self._used

    def _banned(self, now_ms: int, server_time_ms: int) -> Admission:
        remaining_ms = self._banned_until_ms - now_ms
        return Admission(self._used, banned_until(server_time_ms + remaining_ms), _whole_seconds(remaining_ms))


def _whole_seconds(duration_ms: int) -> int:
    """Rounded up, so a client that waits this long finds the period over; at least 1 (it is not over yet)."""
    return max(1, -(-duration_ms // _MS_PER_SECOND))
