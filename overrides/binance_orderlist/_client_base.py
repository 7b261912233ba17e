"""What SpotClient and AsyncSpotClient share that is not I/O: options, validation, signing, outcomes.

Each generated method (``binance_orderlist_api.facade``) hands its operation's rules and arguments to the one
request path (``_async_request_path``, and the sync twin ``unasync`` writes from it). Here the arguments are
validated and rendered with the generated rules (``_validation``), percent-encoded and signed by
``BinanceAuth.signed_attempt`` into the final URL for each attempt; every answer, read into a neutral ``Answer``,
becomes the 200 response or its typed error (``_responses``), and whatever an attempt raised becomes a
``BinanceError`` (``_transport_error``). Which base URL an attempt goes to is ``_failover``'s to say, which
connections it may use ``_lifecycle``'s, how long it may take ``_attempts``'s.
"""

from __future__ import annotations  # httpx is named in annotations only: it is imported with the first client

import copy
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, TypeGuard, TypeVar, Unpack
from urllib.parse import quote, urlsplit

from attrs import define
from binance_orderlist_api import operations
from binance_orderlist_api.facade import ParameterOptions, Timeout
from binance_orderlist_api.operations import API_KEY_HEADER, DEFAULT_BASE_URL, TIME_UNIT_HEADER
from binance_orderlist_api.types import UNSET, Unset
from binance_orderlist_rules import Operation

from ._attempts import Connecting, Timeouts, attempt_seconds
from ._clock import ServerClock
from ._failover import Clusters
from ._lifecycle import Lifetime
from ._logging import logger, redact
from ._responses import DEFAULT_MAX_RESPONSE_BYTES, Answer, RateLimitUsage, error_from_response, unknown_outcome_advice
from ._retries import RESYNC_CLOCK, Resync, RetryPolicy
from ._signing import HmacSigner, QuerySigning, Secret, SignedUrl, Signer, signer_from_private_key
from ._urls import plain_url
from ._validation import client_defaults, validate_arguments
from ._version import __version__
from .errors import BinanceError, ConfigurationError, TransportError, UnknownExecutionStatusError

if TYPE_CHECKING:
    import httpx

    from ._ensure import EnsureCancelled

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RETRY_AFTER = 5.0
_LONGEST_SECONDS = 365 * 86_400
"""The longest timeout or wait a client takes (a year): anything longer is a mistake, and NaN or infinity would
overflow the clocks' integer nanoseconds on the first call."""
USER_AGENT = f"binance-orderlist/{__version__}"
# ":" and "/" (legal in client order ids) stay as they are: httpx keeps them and aiohttp's URL parser would
# decode %3A and %2F, so percent-encoding them would make the bytes sent differ from the bytes signed.
QUERY_SAFE = ":/"
_QUOTED = re.compile(r"[A-Za-z0-9_.~:/-]*")
"""A value ``quote(value, safe=QUERY_SAFE)`` leaves as it is (its always-safe characters and QUERY_SAFE's)."""
BaseUrls = str | Sequence[str]
HttpClient = TypeVar("HttpClient", "httpx.Client", "httpx.AsyncClient")
Sender = TypeVar("Sender")

_API_KEY = re.compile(r"[!-~]+")
"""Printable ASCII, no space: a key with a stray space or newline (read from a file) fails here, not later."""
# The body encodings BodyReader decodes, bounded; a server must not pick another (brotli, zstd).
ACCEPT_ENCODING = "gzip, deflate"


def _checked_base_urls(base_url: object) -> tuple[str, ...]:
    """One base URL, or several to fail over among (``_failover``), each checked; else ConfigurationError naming
    the one at fault."""
    if isinstance(base_url, str):
        return (_checked_base_url(base_url, "base_url"),)
    if not isinstance(base_url, Sequence) or isinstance(base_url, bytes | bytearray) or not base_url:
        raise ConfigurationError(
            "base_url must be a URL or a non-empty sequence of URLs (such as binance_orderlist.BINANCE_BASE_URLS)"
        )
    urls = tuple(_checked_base_url(url, f"base_url[{index}]") for index, url in enumerate(base_url))
    for index, url in enumerate(urls):
        if url in urls[:index]:
            raise ConfigurationError(f"base_url[{index}] {url!r} is listed twice (at {urls.index(url)} too)")
    return urls


def _checked_base_url(base_url: object, name: str) -> str:
    """``base_url`` without its trailing slash, if every transport can send to it; else ConfigurationError."""
    if not isinstance(base_url, str) or not base_url.isprintable() or any(c.isspace() for c in base_url):
        problem: str | None = "must be a str without spaces or control characters"
    else:
        problem = _base_url_problem(base_url)
        if problem is None:
            return base_url.rstrip("/")
        if "credentials" not in problem:  # never repeat a password
            name = f"{name} {redact(base_url)[:100]!r}"
    raise ConfigurationError(f"{name} {problem}, e.g. {DEFAULT_BASE_URL!r}")


def _base_url_problem(base_url: str) -> str | None:
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0..65535
    except ValueError as error:
        return f"is not a valid URL ({type(error).__name__})"
    if plain_url(base_url) is None:  # not the usual shape: httpx's parser must accept it too
        import httpx

        try:
            httpx.URL(base_url)
        except (ValueError, httpx.InvalidURL) as error:
            return f"is not a valid URL ({type(error).__name__})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must start with https:// (or http://) and name a host"
    if parts.username is not None or parts.password is not None:
        return "must not carry credentials (user:password@)"
    if parts.query or parts.fragment:
        return "must not carry a query or fragment"
    return None


@define
class _Call:
    """One request, validated with the operation's generated rules; signed afresh for each attempt.

    ``timestamp`` is the latest attempt's: the next one is signed strictly later. ``resyncs`` is the clock's
    count of resynchronisations when the latest attempt was signed (one resync serves every request signed
    before it).
    """

    method: str
    path: str
    base_url: str
    """The cluster the latest attempt went to (``_failover``)."""
    params: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    signed: bool
    timeout: Timeouts
    """This call's timeout: the client's, or the one given to the method."""
    attempt_seconds: float | None
    """How long one attempt may take (``_attempts.attempt_seconds`` of ``timeout``)."""
    extensions: Mapping[str, Any]
    """httpx's request extensions: ``timeout`` as httpx reads it."""
    timestamp: int = -1
    resyncs: int = 0

    @property
    def url(self) -> str:
        """The URL of the latest attempt, before its query."""
        return self.base_url + self.path


class _SpotClientBase(Generic[HttpClient, Sender]):
    """Options, validation, request building and outcome handling: everything but the I/O.

    Requests are signed before httpx (or aiohttp) sees them, so a URL is parsed at most once (on the
    client's own connections, not at all: base_url is split once per client). Without an ``http_client``
    they go straight to connections the client owns (no cookie jar, redirects or auth hooks to run);
    with one, through its ``send()``.
    """

    def __init__(
        self,
        *,
        api_key: str,
        signer: Signer,
        base_url: BaseUrls = DEFAULT_BASE_URL,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: HttpClient | None = None,
        **options: Unpack[ParameterOptions],
    ) -> None:
        if not isinstance(api_key, str) or not _API_KEY.fullmatch(api_key):
            raise ConfigurationError(
                "api_key must be a non-empty str of printable ASCII without spaces or control characters (check "
                "for surrounding whitespace, such as a newline read from a file)"
            )
        if not callable(getattr(signer, "sign", None)):
            raise ConfigurationError("signer must be an HmacSigner, Ed25519Signer or RsaSigner")
        self._clusters = Clusters(_checked_base_urls(base_url))
        if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) or max_response_bytes <= 0:
            raise ConfigurationError("max_response_bytes must be an int > 0")
        self._configure(timeout=timeout, max_retries=max_retries, max_retry_after=max_retry_after, **options)
        self._max_response_bytes = max_response_bytes
        self._clock = ServerClock()
        self._signing = QuerySigning(signer, self._clock)
        self._usage_headers: Mapping[str, str] = {}
        self._headers = {
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": USER_AGENT,
            API_KEY_HEADER: api_key,
        }
        self._lifetime = Lifetime()
        self._connections = self._new_connections(http_client)

    def _configure(self, *, timeout: Any, max_retries: Any, max_retry_after: Any, **options: Any) -> None:
        """The options ``with_options`` can change, checked and turned into what every call uses; ``options``
        are those that set parameters (``ParameterOptions``, from openapi.yaml)."""
        settings = {"timeout": timeout, "max_retries": max_retries, "max_retry_after": max_retry_after, **options}
        self._settings = settings
        self._defaults = client_defaults(options)
        self._timeout = _timeout(settings["timeout"])
        self._attempt_seconds = attempt_seconds(self._timeout)
        self._extensions = {"timeout": self._timeout.as_dict()}
        self._retry_policy = RetryPolicy(
            max_retries=_max_retries(settings["max_retries"]),
            max_retry_after=_max_retry_after(settings["max_retry_after"]),
        )

    def _new_connections(self, http_client: HttpClient | None) -> Any:
        """What every call asks for its connections (``_lifecycle``): the client's own, or ``http_client``."""
        raise NotImplementedError

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """A client configured from BINANCE_API_KEY, BINANCE_API_SECRET or BINANCE_PRIVATE_KEY_FILE
        (+ BINANCE_PRIVATE_KEY_PASSWORD), and BINANCE_BASE_URL (one URL, or several separated by commas to fail
        over among); ``options`` override them."""
        # The environment holds the secrets: only a redacting wrapper of it stays in this frame's locals.
        source = Secret(os.environ if environ is None else environ)
        del environ
        return cls(**{**cls._settings_from_env(source), **options})

    def with_options(
        self,
        *,
        timeout: Timeout | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        max_retry_after: float | Unset = UNSET,
        base_url: BaseUrls | Unset = UNSET,
        **options: Unpack[ParameterOptions],
    ) -> Self:
        """A client with other defaults that shares this one's connections, key, clock offset and memory of which
        base URLs could not be reached.

        Closing it closes it, and its own children, but leaves the connections open: the client they came from
        (or your ``http_client``) owns them; closing that one closes this one too. Its ``rate_limit_usage`` is its
        own responses'.
        """
        given = {"timeout": timeout, "max_retries": max_retries, "max_retry_after": max_retry_after, **options}
        client = copy.copy(self)
        client._configure(**self._settings | {name: value for name, value in given.items() if value is not UNSET})
        if not isinstance(base_url, Unset):
            client._clusters = self._clusters.with_base_urls(_checked_base_urls(base_url))
        client._lifetime = Lifetime(parent=self._lifetime)
        return client

    @property
    def base_urls(self) -> tuple[str, ...]:
        """The base URLs this client sends to, in the order it tries them when one cannot be reached."""
        return self._clusters.base_urls

    @property
    def rate_limit_usage(self) -> RateLimitUsage:
        """Request weight and order counts Binance reported in the most recent response (success or error).

        "Most recent" is the response that arrived last on this client: with several calls in flight at
        once (threads, or tasks of an ``AsyncSpotClient``) it may be another call's. For the counters of
        one call's own response, use ``client.with_raw_response.<method>(...).rate_limit_usage``.
        """
        return RateLimitUsage.from_headers(self._usage_headers)

    @property
    def time_offset_ms(self) -> float:
        """Binance's clock minus the local clock, as last measured (0 before the first synchronisation)."""
        return self._clock.offset_ms

    @staticmethod
    def _settings_from_env(source: Secret[Mapping[str, str]]) -> dict[str, Any]:
        """api_key, signer and base_url from BINANCE_* environment variables."""
        environ = source.reveal
        api_key = environ().get("BINANCE_API_KEY")
        if not api_key:
            raise ConfigurationError("set BINANCE_API_KEY (and BINANCE_API_SECRET or BINANCE_PRIVATE_KEY_FILE)")
        signer: Signer
        if environ().get("BINANCE_PRIVATE_KEY_FILE"):
            path = environ()["BINANCE_PRIVATE_KEY_FILE"]
            try:
                with open(path, "rb") as key_file:
                    pem = Secret(key_file.read())
            except OSError as error:
                raise ConfigurationError(
                    f"BINANCE_PRIVATE_KEY_FILE {path!r} cannot be read: {error.strerror}"
                ) from None
            signer = signer_from_private_key(pem.reveal(), environ().get("BINANCE_PRIVATE_KEY_PASSWORD") or None)
        elif environ().get("BINANCE_API_SECRET"):
            signer = HmacSigner(environ()["BINANCE_API_SECRET"])
        else:
            raise ConfigurationError("set BINANCE_API_SECRET (HMAC) or BINANCE_PRIVATE_KEY_FILE (Ed25519 or RSA)")
        base_urls = [url.strip() for url in environ().get("BINANCE_BASE_URL", "").split(",")]
        base_url: BaseUrls = base_urls if len(base_urls) > 1 else base_urls[0] or DEFAULT_BASE_URL
        return {"api_key": api_key, "signer": signer, "base_url": base_url}

    def _call(self, operation: Operation[Any], arguments: Mapping[str, object], timeout: Timeout | Unset) -> _Call:
        """One call of ``operation``, its arguments checked with the operation's rules from openapi.yaml."""
        validated = validate_arguments(operation, arguments, self._defaults)
        own_timeout = isinstance(timeout, Unset)
        call_timeout = self._timeout if own_timeout else _timeout(timeout)
        return _Call(
            method=operation.method,
            path=operation.path,
            base_url=self._clusters.base_urls[0],
            params=validated.query,
            headers=validated.headers,
            signed=operation.signed,
            timeout=call_timeout,
            attempt_seconds=self._attempt_seconds if own_timeout else attempt_seconds(call_timeout),
            extensions=self._extensions if own_timeout else {"timeout": call_timeout.as_dict()},
        )

    def _policy(self, max_retries: int | Unset) -> RetryPolicy:
        if isinstance(max_retries, Unset):
            return self._retry_policy
        return RetryPolicy(max_retries=_max_retries(max_retries), max_retry_after=self._retry_policy.max_retry_after)

    def _url(self, call: _Call) -> SignedUrl:
        """The URL as it goes on the wire: parameters percent-encoded, then signed (timestamp, signature)."""
        query = "&".join(
            f"{name}={value if _is_quoted(value) else quote(value, safe=QUERY_SAFE)}" for name, value in call.params
        )
        if call.signed:
            microseconds = call.headers.get(TIME_UNIT_HEADER, "").upper() == "MICROSECOND"
            call.resyncs = self._clock.resyncs
            query, call.timestamp = self._signing.signed_attempt(query, microseconds=microseconds, after=call.timestamp)
        return SignedUrl(f"{call.url}?{query}" if query else call.url)

    def _http_request(self, call: _Call, connecting: Connecting | None = None) -> httpx.Request:
        """The request a caller's ``http_client`` is sent."""
        from ._httpx_classes import SignedRequest

        headers = {**self._headers, **call.headers}
        extensions = call.extensions if connecting is None else {**call.extensions, "trace": connecting.httpcore_trace}
        return SignedRequest(call.method, self._url(call), headers=headers, extensions=extensions)

    def _server_time_call(self) -> _Call:
        return self._call(operations.GET_SERVER_TIME, {}, UNSET)

    def _checked(self, call: _Call, response: Answer) -> Answer:
        """The 200 response, or the typed error for anything else; records rate-limit usage either way."""
        self._usage_headers = response.headers  # parsed when rate_limit_usage is read
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s %s -> HTTP %d, used weight %s",
                call.method,
                call.url,
                call.params,
                response.status_code,
                self.rate_limit_usage.used_weight,
            )
        if response.status_code == 200:
            return response
        raise error_from_response(response, call.method)

    @staticmethod
    def _transport_error(call: _Call, error: Exception) -> BinanceError:
        """The BinanceError for whatever an attempt raised: httpx's errors, aiohttp's (also through a caller's
        httpx-aiohttp transport, which labels a lost connection ``ConnectTimeout``), the deadline's, or any other
        transport's. Only httpx errors are chained: aiohttp's and unknown ones may carry the signed URL."""
        import httpx  # when an error must be classified (the client's own connections raise httpx's errors)

        aiohttp_error = error if _raised_by_aiohttp(error) else error.__cause__
        if isinstance(aiohttp_error, Exception) and _raised_by_aiohttp(aiohttp_error):
            from ._aiohttp import as_httpx_error  # only when aiohttp raised

            error = as_httpx_error(aiohttp_error)
        if isinstance(error, TimeoutError):
            error = httpx.ReadTimeout(f"no complete response within the attempt's timeout ({call.method})")
        failure: BinanceError
        # httpx errors raised before any byte of the request left this machine; every other transport error
        # may have happened after Binance received the request.
        if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ProxyError):
            failure = TransportError(
                f"{call.method} {call.url} could not be sent ({type(error).__name__}: {redact(str(error))}); nothing "
                "reached Binance, so it is safe to send again."
            )
        elif isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
            failure = ConfigurationError(f"{call.url} is not a URL httpx can send to ({redact(str(error))})")
        else:
            failure = UnknownExecutionStatusError(
                f"{call.method} {call.url} was sent but no complete response came back ({type(error).__name__}: "
                f"{redact(str(error)):.200}). {unknown_outcome_advice(call.method)}",
                status_code=None,
            )
        failure.__cause__ = error if isinstance(error, httpx.HTTPError) else None
        return failure

    def _resync_needed(self, call: _Call) -> bool:
        """Whether no resynchronisation began after ``call``'s attempt was signed (then one is due)."""
        return self._clock.resyncs == call.resyncs

    def _after_resync(self, call: _Call, timestamp_error: BinanceError) -> None:
        """Raise the -1021 if the resync it waited for failed (that failure is its cause); else let the call retry,
        signed on the new offset."""
        failure = self._clock.resync_failure
        if failure is not None and self._clock.resyncs > call.resyncs:
            timestamp_error.add_note(f"The clock re-synchronisation (GET /api/v3/time) failed: {failure}")
            raise timestamp_error from failure
        call.timestamp = -1  # the new offset may move the clock back: the next timestamp is simply the new one

    def _ensure_rule(
        self, symbol: str, order_list_id: int | None, list_client_order_id: str | None, recv_window: object
    ) -> EnsureCancelled:
        """The decision rule of ``ensure_order_list_cancelled``; each client runs its steps with its own I/O."""
        from ._ensure import EnsureCancelled  # imported with the first ensure, not with the package

        return EnsureCancelled(symbol, order_list_id, list_client_order_id, recv_window, self._retry_policy.backoff)

    def _next_step(
        self, policy: RetryPolicy, error: BinanceError, retries_done: int, clock_resynced: bool
    ) -> float | Resync | None:
        decision = policy.decide(error, retries_done, clock_resynced)
        if decision is RESYNC_CLOCK:
            logger.info("%s: re-synchronising the clock and retrying once", type(error).__name__)
        elif decision is not None:
            logger.info("%s: retrying in %.3f s", type(error).__name__, decision)
        return decision


def _is_quoted(value: str) -> bool:
    """Whether ``quote(value, safe=QUERY_SAFE)`` would leave ``value`` as it is: ASCII letters and digits (most
    values, told without the pattern), or only ``_QUOTED``'s characters."""
    return (value.isascii() and value.isalnum()) or _QUOTED.fullmatch(value) is not None


def _raised_by_aiohttp(error: BaseException) -> bool:
    """Whether ``error`` is one of aiohttp's (or a subclass of one, as ``_aiohttp.SentThenLost``), told without
    importing aiohttp."""
    return any(kind.__module__.partition(".")[0] == "aiohttp" for kind in type(error).__mro__)


def _timeout(timeout: object) -> Timeouts:
    httpx = sys.modules.get("httpx")  # an httpx.Timeout exists only once httpx is imported: no need to import it
    timeouts = None
    if httpx is not None and isinstance(timeout, httpx.Timeout):
        timeouts = Timeouts(**timeout.as_dict())
    elif timeout is None or _is_seconds(timeout):
        timeouts = Timeouts(timeout, timeout, timeout, timeout)  # as httpx.Timeout(timeout) sets them
    if timeouts is not None and all(part is None or (_is_seconds(part) and part > 0) for part in timeouts):
        return timeouts
    raise ConfigurationError(
        f"timeout must be a number of seconds > 0 and at most {_LONGEST_SECONDS:,}, an httpx.Timeout of such"
        " numbers, or None (no limit)"
    )


def _is_seconds(value: object) -> TypeGuard[float]:
    """A number of seconds the clocks and timers can wait: not a bool, not NaN or infinite (``time.sleep`` and the
    deadline's integer nanoseconds overflow), at most ``_LONGEST_SECONDS``."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value <= _LONGEST_SECONDS


def _max_retries(max_retries: object) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError("max_retries must be an int >= 0")
    return max_retries


def _max_retry_after(max_retry_after: object) -> float:
    if not _is_seconds(max_retry_after) or max_retry_after < 0:
        raise ConfigurationError(f"max_retry_after must be a number of seconds >= 0 and at most {_LONGEST_SECONDS:,}")
    return max_retry_after
