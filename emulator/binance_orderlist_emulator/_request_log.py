"""The record of every request that reached a Binance path, for tests that ask what the client sent."""

from collections import deque
from dataclasses import dataclass

MAX_LOGGED_REQUESTS = 10_000


@dataclass(frozen=True)
class LogEntry:
    method: str
    path: str
    query_string: str
    """Exactly as received, percent-encoding included."""
    status: int
    time_ms: int
    """Server time (clock shift included) when the request arrived."""
    signature_valid: bool | None
    fault: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "queryString": self.query_string,
            "status": self.status,
            "time": self.time_ms,
            "signatureValid": self.signature_valid,
            "fault": self.fault,
        }


class RequestLog:
    """The latest requests, oldest first; off in benchmark mode."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._entries: deque[LogEntry] = deque(maxlen=MAX_LOGGED_REQUESTS)

    def record(self, entry: LogEntry) -> None:
        self._entries.append(entry)

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def clear(self) -> None:
        self._entries.clear()
