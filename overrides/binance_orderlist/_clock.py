"""The offset between the local clock and Binance's, applied to every timestamp.

Clock drift is the most reported problem of Binance clients (-1021). The offset is learned from
``GET /api/v3/time`` at the midpoint of the round trip, lazily on the first -1021 or when the user
calls ``sync_time()``. ``resyncs`` counts the measurements tried (successful or not), so that requests
which met -1021 together share one ``GET /api/v3/time``: only one whose attempt was signed before the
latest measurement started needs another.
"""

import threading
import time

__all__ = ["ServerClock"]


class ServerClock:
    """Local time corrected by the last measured offset to Binance's server time."""

    def __init__(self) -> None:
        self._offset_us = 0
        self._lock = threading.Lock()
        self.resyncs = 0
        self.resync_failure: Exception | None = None
        """Why the latest measurement failed (None when it succeeded)."""

    @property
    def offset_ms(self) -> float:
        """Binance's time minus the local time, in milliseconds (0 until the first synchronisation)."""
        return self._offset_us / 1000

    def timestamp_ms(self) -> int:
        return (time.time_ns() // 1000 + self._offset_us) // 1000

    def timestamp_us(self) -> int:
        return time.time_ns() // 1000 + self._offset_us

    @staticmethod
    def local_us() -> int:
        return time.time_ns() // 1000

    def record(self, server_time_ms: int, sent_at_us: int, received_at_us: int) -> None:
        """Learn the offset from one round trip: the server read its clock about halfway through it."""
        midpoint_us = (sent_at_us + received_at_us) // 2
        with self._lock:
            self._offset_us = server_time_ms * 1000 - midpoint_us
            self.resyncs, self.resync_failure = self.resyncs + 1, None

    def record_failure(self, failure: Exception) -> None:
        with self._lock:
            self.resyncs, self.resync_failure = self.resyncs + 1, failure
