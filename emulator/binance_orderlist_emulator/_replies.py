"""What an endpoint answers and what goes on the wire, kept apart so faults can stand between them."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus

JSON = "application/json"
HTML = "text/html"


@dataclass(frozen=True)
class EndpointResult:
    """An endpoint's own response, before any fault changes it."""

    status: int
    body: dict[str, object] | list[dict[str, object]]
    signature_valid: bool | None = None
    """None when the request never got as far as the signature check (or has none)."""


@dataclass(frozen=True)
class Reply:
    """The bytes to send, and how to send them."""

    status: int
    body: bytes
    media_type: str | None = JSON
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0
    drop_after_bytes: int | None = None
    """Close the connection after this many body bytes, although Content-Length promises them all."""

    @classmethod
    def of(cls, result: EndpointResult) -> "Reply":
        return cls(result.status, json_bytes(result.body))


def json_bytes(body: Mapping[str, object] | list[dict[str, object]]) -> bytes:
    """Compact JSON, as Binance sends it."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def html_page(status: int, detail: str) -> bytes:
    """The kind of page a proxy or firewall in front of Binance answers with."""
    title = f"{status} {HTTPStatus(status).phrase}"
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{detail}</p></body></html>".encode()


class Outcome:
    """The endpoint's result, computed at most once and only if asked for.

    A fault that stands in for the server (a 5XX whose cancel did not happen, a WAF page) never asks,
    so the order list stays as it was.
    """

    def __init__(self, endpoint: Callable[[], EndpointResult], *, server_time_ms: int) -> None:
        self._endpoint = endpoint
        self._result: EndpointResult | None = None
        self.server_time_ms = server_time_ms

    def result(self) -> EndpointResult:
        if self._result is None:
            self._result = self._endpoint()
        return self._result

    @property
    def signature_valid(self) -> bool | None:
        return None if self._result is None else self._result.signature_valid
