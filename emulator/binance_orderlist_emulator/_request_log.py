"""The record of every request that reached a Binance path, for tests that ask what the client sent."""

from collections import deque
from dataclasses import dataclass
from typing import Any

MAX_LOGGED_REQUESTS = 10_000


@dataclass(frozen=True)
class LoggedRequest:
    """One request that reached a Binance path, faulted or not."""

    method: str
    path: str
    query_string: str
    """Raw, exactly as sent (percent-encoding included)."""
    status: int
    time_ms: int
    """Server time (clock shift included) when the request arrived."""
    signature_valid: bool | None
    """None when the request never reached the signature check (or has none)."""
    fault: str | None
    """The fault kind that answered or spoiled this request."""
    body: str = ""
    """Raw, exactly as sent (form-encoded parameters, or whatever else came); non-UTF-8 bytes as escapes."""

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "queryString": self.query_string,
            "status": self.status,
            "time": self.time_ms,
            "signatureValid": self.signature_valid,
            "fault": self.fault,
            "body": self.body,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "LoggedRequest":
        return cls(
            method=raw["method"],
            path=raw["path"],
            query_string=raw["queryString"],
            status=raw["status"],
            time_ms=raw["time"],
            signature_valid=raw["signatureValid"],
            fault=raw["fault"],
            body=raw["body"],
        )


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
