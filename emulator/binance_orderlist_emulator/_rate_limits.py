"""Request weight per minute, with Binance's 429 and the 418 ban for going on after a 429."""

import math
from dataclasses import dataclass

from ._errors import BinanceError

WINDOW_SECONDS = 60
DEFAULT_WEIGHT_PER_MINUTE = 6000


def too_much_weight(limit: int) -> BinanceError:
    message = (
        f"Too much request weight used; current limit is {limit} request weight per 1 MINUTE. "
        "Please use WebSocket Streams for live updates to avoid polling the API."
    )
    return BinanceError(-1003, message, http_status=429)


def banned_until(banned_until_ms: int) -> BinanceError:
    message = (
        f"Way too much request weight used; IP banned until {banned_until_ms}. "
        "Please use WebSocket Streams for live updates to avoid bans."
    )
    return BinanceError(-1003, message, http_status=418)


@dataclass(frozen=True)
class RateLimitSettings:
    weight_per_minute: int | None
    """None: no limit."""
    ban_seconds: int


@dataclass(frozen=True)
class Admission:
    used_weight: int
    rejection: BinanceError | None = None
    retry_after: int | None = None


class WeightLimiter:
    """Counts the weight of every request in a one-minute window that opens with the first request.

    Over the limit the answer is 429 until the window closes; a request during that 429 period
    earns a 418 ban of ``ban_seconds``, and every request during the ban is a 418 too.
    """

    def __init__(self, settings: RateLimitSettings) -> None:
        self.settings = settings
        self._window_start = -math.inf
        self._used = 0
        self._limited_until = -math.inf
        self._banned_until = -math.inf

    def admit(self, weight: int, now: float, *, server_time_ms: int) -> Admission:
        """``now`` is monotonic seconds; ``server_time_ms`` only names the ban's end in the message."""
        if now >= self._window_start + WINDOW_SECONDS:
            self._window_start, self._used = now, 0
        self._used += weight
        if now < self._banned_until:
            return self._banned(now, server_time_ms)
        limit = self.settings.weight_per_minute
        if limit is None:
            return Admission(self._used)
        if now < self._limited_until:
            self._banned_until = now + self.settings.ban_seconds
            return self._banned(now, server_time_ms)
        if self._used > limit:
            self._limited_until = self._window_start + WINDOW_SECONDS
            return Admission(self._used, too_much_weight(limit), _seconds(self._limited_until - now))
        return Admission(self._used)

    def _banned(self, now: float, server_time_ms: int) -> Admission:
        remaining = self._banned_until - now
        return Admission(self._used, banned_until(server_time_ms + math.ceil(remaining * 1000)), _seconds(remaining))


def _seconds(duration: float) -> int:
    return max(1, math.ceil(duration))
