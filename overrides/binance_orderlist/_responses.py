"""Turn every HTTP outcome into a typed model or a typed error, keeping status, headers and raw body.

The generated ``from_dict`` is strict (``templates/model.py.jinja`` and ``templates/property_templates``): it checks
each JSON value's exact type and each exact-decimal string as it builds the model, in one pass, and names
the place of a mismatch (every decimal field at fault). Here the body is decoded and every failure becomes a
``ResponseDecodeError`` that carries what the server sent.
"""

import contextlib
import json
import math
import re
import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from attrs import frozen
from binance_orderlist_api.models import ErrorResponse
from binance_orderlist_api.operations import API_ERRORS, TIMEOUT
from binance_orderlist_rules import DecimalFieldsError

from . import errors
from .errors import (
    BinanceAPIError,
    IPBanError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    UnknownExecutionStatusError,
    body_preview,
)

if TYPE_CHECKING:
    import httpx

__all__ = ["Answer", "BodyReader", "RateLimitUsage", "error_from_response", "parse_success", "unknown_outcome_advice"]

Model = TypeVar("Model", bound="FromDict")

ERRORS_BY_CODE: Mapping[int, type[BinanceAPIError]] = {
    code: getattr(errors, error.error_class) for code, error in API_ERRORS.items() if error.error_class
}
"""The error class of each code openapi.yaml gives one (``x-error-class``); the others are BinanceAPIError."""
_USAGE_HEADER = re.compile(r"x-mbx-(used-weight|order-count)-(\d+[smhd])", re.IGNORECASE)
_COUNTER = re.compile(r"[0-9]{1,18}")
"""A usage counter as a plain number that fits in an int64; anything longer is not a counter (and int()
refuses more than 4,300 digits)."""
DEFAULT_MAX_RESPONSE_BYTES = 1 << 20
"""A cancel's answer is a few KB; a MiB is far above it and far below a problem."""


class FromDict(Protocol):
    @classmethod
    def from_dict(cls: type[Model], src_dict: Any) -> Model: ...


@frozen
class RateLimitUsage:
    """Usage counters Binance reported in one response, keyed by interval (``"1m"``, ``"10s"``, ``"1d"``)."""

    used_weight: Mapping[str, int]
    order_count: Mapping[str, int]

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> "RateLimitUsage":
        counters: dict[str, dict[str, int]] = {"used-weight": {}, "order-count": {}}
        for name, value in headers.items():
            match = _USAGE_HEADER.fullmatch(name)
            if match and _COUNTER.fullmatch(value.strip()):
                counters[match[1].lower()][match[2].lower()] = int(value)
        return cls(used_weight=counters["used-weight"], order_count=counters["order-count"])


class Answer(NamedTuple):
    """A response as the outcome handling reads it, whichever library carried it: an ``httpx.Response`` or
    aiohttp's answer is read into one without building the other's objects."""

    status_code: int
    headers: Mapping[str, str]
    """Case-insensitive (``httpx.Headers``, ``_own_connections.ResponseHeaders``, aiohttp's ``CIMultiDictProxy``)."""
    content: bytes
    """The body, decoded; its first ``max_response_bytes`` when ``refused``."""
    refused: bool = False
    """The body passed ``max_response_bytes`` and was not read further."""

    @classmethod
    def of(cls, response: "httpx.Response") -> "Answer":
        return cls(response.status_code, response.headers, response.content)


def _header_dict(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case names, repeated headers joined with ", " (as ``httpx.Headers`` reads them; a multidict's
    ``dict()`` would keep only the first)."""
    joined: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


def _outcome(response: Answer) -> dict[str, Any]:
    return {"status_code": response.status_code, "headers": _header_dict(response.headers), "body": response.content}


# ---- reading bodies, bounded ----------------------------------------------------------------------------------


class BodyTooLarge(Exception):
    """Raised by ``BodyReader.feed`` once the decoded body passes the limit: stop reading."""


class BodyReader:
    """Decodes a body (identity, gzip or deflate) as its bytes arrive and refuses it past ``limit`` decoded
    bytes, so a gzip bomb or an endless body never fills memory. A body that does not decode is kept as
    sent (bounded the same way): the parser then refuses it like any other malformed body."""

    def __init__(self, headers: Mapping[str, str], limit: int, *, decoded: bool = False) -> None:
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        self.refused = False
        self.decoded = decoded
        encoding = "identity" if decoded else headers.get("Content-Encoding", "identity").strip().lower()
        self._decoder: Any = (
            zlib.decompressobj(zlib.MAX_WBITS | 16)
            if encoding in ("gzip", "x-gzip")
            else zlib.decompressobj()
            if encoding == "deflate"
            else None
        )
        self._undecodable = encoding not in ("", "identity", "gzip", "x-gzip", "deflate")
        length = headers.get("Content-Length", "").strip()
        announced = int(length) if _COUNTER.fullmatch(length) else None
        plain = self._decoder is None and not self._undecodable
        # A plain body announced as too large is refused at its first chunk, unread.
        self.refused = plain and announced is not None and announced > limit
        self.plain_within_limit = plain and announced is not None and announced <= limit
        """The body is as sent and its Content-Length (which httpx and aiohttp hold it to) is within the limit."""

    def _refuse(self) -> None:
        self.refused = True
        raise BodyTooLarge

    def feed(self, chunk: bytes) -> None:
        if self.refused:
            raise BodyTooLarge
        if self._decoder is not None and not self._undecodable:
            try:
                chunk = self._decoder.decompress(chunk, self._limit - self._size + 1)
            except zlib.error:
                self._undecodable = True  # kept raw from here on: the parser refuses it
        self._keep(chunk)

    def _keep(self, data: bytes) -> None:
        data = data[: self._limit - self._size + 1]
        self._chunks.append(data)
        self._size += len(data)
        if self._size > self._limit:
            self._refuse()

    def body(self) -> bytes:
        if self._decoder is not None and not self._undecodable and not self.refused:
            with contextlib.suppress(zlib.error, BodyTooLarge):  # BodyTooLarge has marked it refused
                self._keep(self._decoder.flush())
        return b"".join(self._chunks)[: self._limit]

    def answer(self, status_code: int, headers: Mapping[str, str]) -> Answer:
        """The answer with its decoded (or refused, cut) body; Content-Encoding is dropped as it is decoded."""
        if self._decoder is not None:
            import httpx  # only for a compressed body

            headers = httpx.Headers(
                [(name, value) for name, value in headers.items() if name.lower() != "content-encoding"]
            )
        body = self.body()
        return Answer(status_code, headers, body, self.refused)


# ---- success bodies -------------------------------------------------------------------------------------------


def parse_success(response: Answer, model: type[Model]) -> Model:
    """The 200 body as ``model``, or ``ResponseDecodeError`` saying exactly what is wrong with it."""
    if response.refused:
        raise ResponseTooLargeError(
            f"HTTP {response.status_code} body is larger than max_response_bytes ({len(response.content)}): the "
            "request was executed, its answer was refused unread. Raise max_response_bytes only if this server "
            "is trusted.",
            **_outcome(response),
        )
    try:
        body = json.loads(response.content)
        array = issubclass(model, list)
        if not isinstance(body, list if array else dict):
            raise TypeError(f"expected a JSON {'array' if array else 'object'}, got {type(body).__name__}")
        parsed = model.from_dict(body)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON ({error.msg} at character {error.pos})"
    except UnicodeDecodeError:
        problem = "not UTF-8 text"
    except RecursionError:
        problem = "nested too deeply"
    except KeyError as error:
        problem = f"required field {error.args[0]!r} is missing"
    except DecimalFieldsError as error:
        problem = "; ".join(problem.removeprefix(".") for problem in error.problems[:5])
    except (TypeError, ValueError, AttributeError) as error:
        problem = f"unexpected structure ({str(error).removeprefix('.')})"
    else:
        return parsed
    raise ResponseDecodeError(
        f"HTTP {response.status_code} body is not a valid {model.__name__}: {problem}. "
        f"The request was executed; its result could not be read. Body: {body_preview(response.content)}",
        **_outcome(response),
    )


# ---- error outcomes -------------------------------------------------------------------------------------------


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, or None when absent or not a wait (negative, NaN, infinite, a date in the past)."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime  # an HTTP date: rare, and email is slow to import

        try:
            seconds = parsedate_to_datetime(value).timestamp() - parsedate_to_datetime(headers["Date"]).timestamp()
        except (KeyError, TypeError, ValueError, IndexError, OverflowError):
            return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _error_body(response: Answer) -> ErrorResponse | None:
    try:
        body = json.loads(response.content)
        if not isinstance(body, dict):
            return None
        parsed = ErrorResponse.from_dict(body)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if isinstance(parsed.code, bool) or not isinstance(parsed.code, int) or not isinstance(parsed.msg, str):
        return None
    return parsed


def unknown_outcome_advice(method: str) -> str:
    """What to do after an answer that never came: only a cancel can have changed anything; a query (GET) cannot."""
    if method == "GET":
        return "It was a query, which changes nothing: it is safe to send again (it was not retried)."
    return (
        "The execution status is UNKNOWN: the order list may or may not be cancelled. Query it "
        "(GET /api/v3/orderList, or ensure_order_list_cancelled) before acting again; this was not retried."
    )


def error_from_response(response: Answer, method: str) -> Exception:
    """The typed error for any response other than a 200 to a ``method`` request."""
    status = response.status_code
    error_body = _error_body(response)
    code, msg = (error_body.code, error_body.msg) if error_body else (None, None)
    details = (
        f"Binance error {code}: {(msg or '').rstrip('.')}" if error_body else f"body {body_preview(response.content)}"
    )
    outcome = {**_outcome(response), "code": code, "msg": msg}
    if 300 <= status < 400:
        return UnknownExecutionStatusError(
            f"HTTP {status} redirect, not followed: a signed request is never sent anywhere but base_url (check "
            f"it). {unknown_outcome_advice(method)}",
            **outcome,
        )
    if status >= 500 or code == TIMEOUT or not 400 <= status < 500:
        return UnknownExecutionStatusError(
            f"HTTP {status}, {details}. {unknown_outcome_advice(method)}",
            **outcome,
        )
    if status == 429:
        retry_after = _retry_after(response.headers)
        return RateLimitError(
            f"HTTP 429 rate limit broken, {details}. Wait {retry_after} s (Retry-After) before sending again; "
            "going on gets the IP banned (418).",
            retry_after=retry_after,
            **outcome,
        )
    if status == 418:
        retry_after = _retry_after(response.headers)
        return IPBanError(
            f"HTTP 418 IP banned, {details}. Send nothing for {retry_after} s (Retry-After).",
            retry_after=retry_after,
            **outcome,
        )
    if status == 403 and error_body is None:
        return BinanceAPIError(
            f"HTTP 403 blocked by Binance's web application firewall, {details}. Nothing was executed; check the "
            "request's parameters and the network you send from.",
            **outcome,
        )
    error_class: Callable[..., BinanceAPIError] = ERRORS_BY_CODE.get(code, BinanceAPIError) if code else BinanceAPIError
    return error_class(f"HTTP {status}, {details}. Nothing was executed.", **outcome)
