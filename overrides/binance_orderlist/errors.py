"""Everything the library raises.

    BinanceError
    ├── RequestValidationError       bad input, rejected before any byte is sent (also a ValueError)
    ├── ConfigurationError           bad client set-up: key, URL, environment (also a ValueError)
    ├── TransportError               failed before the request was sent; safe to retry
    ├── ClientUnusableError          this client cannot send from here; nothing was sent (also a RuntimeError):
    │   │                            its http_client belongs to another process (fork) or event loop
    │   └── ClientClosedError        close()/aclose() was called on it, or on the client it came from
    ├── UnknownExecutionStatusError  5XX, -1007, timeout or connection lost after sending: the cancel MAY have happened
    ├── ResponseDecodeError          a body that cannot be parsed; keeps the raw body and status
    │   └── ResponseTooLargeError    a 200 body larger than max_response_bytes: refused unread
    └── BinanceAPIError              Binance rejected the request (4XX, usually with {"code", "msg"})
        ├── RateLimitError           429: back off for retry_after seconds
        ├── IPBanError               418: the IP is banned for retry_after seconds; never retry sooner
        ├── TimestampError           -1021: the request's timestamp is outside recvWindow (clock drift)
        ├── InvalidSignatureError    -1022: the signature does not match (wrong secret or key)
        └── UnknownOrderListError    -2011: no such open order list (never existed, or already cancelled);
                                     -2013: a query's "Order list does not exist."

Error messages never contain secrets, private keys or signatures.
"""

from collections.abc import Mapping
from typing import TypedDict, Unpack

__all__ = [
    "BinanceAPIError",
    "BinanceError",
    "ClientClosedError",
    "ClientUnusableError",
    "ConfigurationError",
    "IPBanError",
    "InvalidSignatureError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "TimestampError",
    "TransportError",
    "UnknownExecutionStatusError",
    "UnknownOrderListError",
]

_BODY_PREVIEW = 200


class BinanceError(Exception):
    """Base of everything the library raises."""


class RequestValidationError(BinanceError, ValueError):
    """A parameter breaks a rule; nothing was sent."""

    def __init__(self, parameter: str, rule: str) -> None:
        self.parameter = parameter
        self.rule = rule
        super().__init__(f"{parameter}: {rule}")


class ConfigurationError(BinanceError, ValueError):
    """The client cannot be set up as asked (a key that does not load, a missing environment variable)."""


class TransportError(BinanceError):
    """The request could not be sent (connection refused, DNS, connect timeout); nothing reached Binance."""


class ClientUnusableError(BinanceError, RuntimeError):
    """This client cannot send the request from where it was called; nothing was sent and no connection opened.

    An ``http_client`` you passed in is refused in a process other than the one the client was made in (after
    ``os.fork()`` its pooled sockets are shared with the parent), and an ``httpx.AsyncClient`` on an event loop
    other than the one it was first used on. The client's own connections are renewed in both cases instead.
    """


class ClientClosedError(ClientUnusableError):
    """``close()`` or ``aclose()`` was called on this client, or on the client it came from (``with_options``);
    nothing was sent. Make a new client."""


class _ResponseError(BinanceError):
    """An outcome that came with (part of) an HTTP response; keeps everything the server sent."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        code: int | None = None,
        msg: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers: Mapping[str, str] = dict(headers or {})
        self.body = body
        self.code = code
        self.msg = msg
        super().__init__(message)


class UnknownExecutionStatusError(_ResponseError):
    """The request reached Binance but its outcome is unknown: the order list may or may not be cancelled.

    Never treat it as a failure, and never blindly as a success: query the order list
    (GET /api/v3/orderList) to learn its status before acting again. Never retried automatically.
    """


class ResponseDecodeError(_ResponseError):
    """The response body is not what the API description promises (not JSON, truncated, a field missing)."""


class _Rejection(TypedDict, total=False):
    """What a rejection keeps of its response besides the status code."""

    headers: Mapping[str, str] | None
    body: bytes
    code: int | None
    msg: str | None


class ResponseTooLargeError(ResponseDecodeError):
    """A 200 whose (decompressed) body grew past ``max_response_bytes``: the request was executed, its answer
    refused before it could fill memory. ``body`` holds the first ``max_response_bytes`` at most."""


class BinanceAPIError(_ResponseError):
    """Binance rejected the request; ``code`` and ``msg`` are Binance's, ``headers`` and ``body`` the raw response.

    ``status_code`` is always an ``int``: a rejection always came with a response.
    """

    status_code: int

    def __init__(self, message: str, *, status_code: int, **response: Unpack[_Rejection]) -> None:
        super().__init__(message, status_code=status_code, **response)


class _RetryAfter(BinanceAPIError):
    """A rejection that says, in ``retry_after``, how many seconds to wait (``Retry-After``)."""

    def __init__(
        self, message: str, *, retry_after: float | None, status_code: int, **response: Unpack[_Rejection]
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status_code=status_code, **response)


class RateLimitError(_RetryAfter):
    """HTTP 429: a request rate limit was broken. Wait ``retry_after`` seconds; going on leads to an IP ban."""


class IPBanError(_RetryAfter):
    """HTTP 418: the IP is banned for going on after 429s. Send nothing before ``retry_after`` seconds."""


class TimestampError(BinanceAPIError):
    """-1021: the timestamp is outside recvWindow or ahead of the server; the local clock drifts."""


class InvalidSignatureError(BinanceAPIError):
    """-1022: the signature is not valid; the secret or private key does not belong to the API key."""


class UnknownOrderListError(BinanceAPIError):
    """-2011: no open order list matches (it never existed or is already cancelled); -2013 from a query: the list
    does not exist. ``code`` tells them apart."""


def body_preview(body: bytes) -> str:
    """A short, printable excerpt of a response body for error messages."""
    text = body[:_BODY_PREVIEW].decode("utf-8", errors="replace")
    return repr(text) + ("…" if len(body) > _BODY_PREVIEW else "")
