"""The record of every request that reached a Binance path, for tests that ask what the client sent."""

from collections import deque
from dataclasses import dataclass, field

MAX_LOGGED_REQUESTS = 10_000


@dataclass(frozen=True)
class LoggedRequest:
    """One request that reached a Binance path, faulted or not; a control API message (``_control_messages``)."""

    method: str
    path: str
    query_string: str
    """Raw, exactly as sent (percent-encoding included)."""
    status: int
    time_ms: int = field(metadata={"json": "time"})
    """Server time (clock shift included) when the request arrived."""
    signature_valid: bool | None
    """None when the request never reached the signature check (or has none)."""
    fault: str | None
    """The fault kind that answered or spoiled this request."""
    body: str = ""
    """Raw, exactly as sent (form-encoded parameters, or whatever else came); non-UTF-8 bytes as escapes."""


class RequestLog:
    """The latest requests, oldest first; off in benchmark mode."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._entries: deque[LoggedRequest] = deque(maxlen=MAX_LOGGED_REQUESTS)

    def record(self, entry: LoggedRequest) -> None:
        self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        return list(self._entries)

    def clear(self) -> None:
        self._entries.clear()
