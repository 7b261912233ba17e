"""When a failed attempt may be sent again, and after how long.

Only outcomes that certainly executed nothing are retried: a transport failure before sending, a
429 whose Retry-After is short, and one -1021 after the clock is re-synchronised. 418, 5XX, -1007
and anything after the request was sent are never retried: re-sending a cancel whose outcome is
unknown can turn a success into a confusing -2011.
"""

import random
from enum import Enum

from attrs import frozen

from .errors import RateLimitError, TimestampError, TransportError

__all__ = ["RESYNC_CLOCK", "Resync", "RetryPolicy"]


class Resync(Enum):
    """Re-synchronise the clock with the server, then send again."""

    RESYNC_CLOCK = "resync-clock"


RESYNC_CLOCK = Resync.RESYNC_CLOCK


@frozen
class RetryPolicy:
    max_retries: int
    max_retry_after: float
    initial_backoff: float = 0.25
    max_backoff: float = 4.0

    def backoff(self, retry_number: int) -> float:
        """Exponential backoff with jitter (between half and all of the step), so clients do not retry in step."""
        step = min(self.max_backoff, self.initial_backoff * 2.0**retry_number)
        return step / 2 + random.uniform(0, step / 2)  # noqa: S311

    def decide(self, error: Exception, retries_done: int, clock_resynced: bool) -> float | Resync | None:
        """Seconds to wait before the next attempt, RESYNC_CLOCK, or None to raise ``error``."""
        if isinstance(error, TimestampError):
            return None if clock_resynced else RESYNC_CLOCK
        if retries_done >= self.max_retries:
            return None
        if isinstance(error, TransportError):
            return self.backoff(retries_done)
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return error.retry_after if error.retry_after <= self.max_retry_after else None
        return None
