"""``SpotClient``'s own connections: an httpcore pool it builds itself, every socket operation bounded by the
attempt's deadline.

``OwnSyncConnections`` holds an ``httpcore.ConnectionPool`` (httpx's default limits and TLS) whose
``network_backend`` is ``DeadlineBackend``: httpcore's ``SyncBackend`` with each connect, write and read cut to
what is left of the attempt (``_attempts``). Both are public httpcore APIs; the pool is nobody else's, so
nothing outside the library's attempts is touched. httpcore's errors become the httpx errors the client
classifies (``as_httpx_error``). Imported when the first ``SpotClient`` is made, so that
``import binance_orderlist`` does not import httpcore; httpx itself is imported only for a ``base_url`` of an
unusual shape (``_urls``) or an error to classify.
"""

import functools
import os
import ssl
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence

import certifi
import httpcore

from ._attempts import bounded, within_deadline
from ._responses import Answer, BodyReader
from ._sync_reading import read_body
from ._urls import plain_url
from .errors import ConfigurationError

if typing.TYPE_CHECKING:
    import httpx

__all__ = ["DeadlineBackend", "OwnSyncConnections", "ResponseHeaders", "as_httpx_error"]

# httpx's own defaults for a client's pool (httpx.Limits(max_connections=100, max_keepalive_connections=20)).
_MAX_CONNECTIONS = 100
_MAX_KEEPALIVE_CONNECTIONS = 20
_KEEPALIVE_EXPIRY = 5.0


@functools.cache
def _httpx_errors() -> Mapping[type[Exception], type["httpx.HTTPError"]]:
    """httpcore's errors as the httpx errors of the same name (what ``httpx.HTTPTransport`` raises): the client's
    ``_transport_error`` tells the ones raised before any byte was sent (connect, pool, proxy) from the rest. httpx
    is imported when the first error must be classified."""
    import httpx

    return {
        httpcore.ConnectError: httpx.ConnectError,
        httpcore.ConnectTimeout: httpx.ConnectTimeout,
        httpcore.PoolTimeout: httpx.PoolTimeout,
        httpcore.ProxyError: httpx.ProxyError,
        httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
        httpcore.ReadTimeout: httpx.ReadTimeout,
        httpcore.WriteTimeout: httpx.WriteTimeout,
        httpcore.TimeoutException: httpx.TimeoutException,
        httpcore.ReadError: httpx.ReadError,
        httpcore.WriteError: httpx.WriteError,
        httpcore.NetworkError: httpx.NetworkError,
        httpcore.LocalProtocolError: httpx.LocalProtocolError,
        httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
        httpcore.ProtocolError: httpx.ProtocolError,
    }


def as_httpx_error(error: Exception) -> Exception:
    """The httpx error for an httpcore one (its most specific class; the httpcore error as its cause), else
    ``error`` itself."""
    for kind in type(error).__mro__:
        if (httpx_error := _httpx_errors().get(kind)) is not None:
            mapped = httpx_error(str(error))
            mapped.__cause__ = error
            return mapped
    return error


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        limit = bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every operation's timeout cut to the current attempt's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        limit = bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, limit, local_address, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class OwnSyncConnections:
    """``SpotClient``'s own connections, sent a prebuilt ``httpcore.Request`` (the bytes ``httpx.HTTPTransport``
    would put on the wire), with ``base_url``'s scheme, host, port and headers worked out once per client: a call
    makes no ``httpx.Request`` (no URL parse), no ``httpx.Response`` and no stream wrappers. TLS is httpx's
    default (certifi, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``: ``_tls_context``), loaded only for an https
    ``base_url``."""

    def __init__(self, base_url: str, headers: Mapping[str, str], max_response_bytes: int) -> None:
        scheme, host, self._port, path, netloc = _url_parts(base_url)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_tls_context() if scheme == b"https" else None,
            max_connections=_MAX_CONNECTIONS,
            max_keepalive_connections=_MAX_KEEPALIVE_CONNECTIONS,
            keepalive_expiry=_KEEPALIVE_EXPIRY,
            network_backend=DeadlineBackend(httpcore.SyncBackend()),
        )
        self._base_url_length = len(base_url)
        self._scheme, self._host = scheme, host
        self._path = path.rstrip(b"/")
        self._headers = [(b"Host", netloc), *((name.encode(), value.encode()) for name, value in headers.items())]
        self._max_response_bytes = max_response_bytes

    def send(self, method: str, url: str, headers: Mapping[str, str], extensions: Mapping[str, typing.Any]) -> Answer:
        """``url`` is ``base_url`` followed by the path and the encoded, signed query; ``extensions`` holds the
        call's ``timeout`` as httpcore reads it."""
        try:
            response = self._pool.handle_request(
                httpcore.Request(
                    method.encode(),
                    httpcore.URL(
                        scheme=self._scheme,
                        host=self._host,
                        port=self._port,
                        target=self._path + url[self._base_url_length :].encode("ascii"),
                    ),
                    headers=[*self._headers, *((name.encode(), value.encode()) for name, value in headers.items())],
                    extensions=dict(extensions),
                )
            )
            try:
                return self._read(response)
            finally:
                response.close()
        except Exception as error:  # outside the except block below: only the httpx error's own cause is chained
            failure = as_httpx_error(error)
        raise failure

    def _read(self, response: httpcore.Response) -> Answer:
        headers = ResponseHeaders(response.headers)
        reader = BodyReader(headers, self._max_response_bytes)
        chunks = within_deadline(response.iter_stream(), httpcore.ReadTimeout)
        return read_body(reader, response.status, headers, chunks, response.read)  # every read stops at the deadline

    def close(self) -> None:
        self._pool.close()


def _url_parts(base_url: str) -> tuple[bytes, bytes, int | None, bytes, bytes]:
    """Scheme, host, port (None: the scheme's default), path and Host header, as ``httpx.URL`` makes them."""
    plain = plain_url(base_url)
    if plain is not None:
        return plain.scheme.encode(), plain.host.encode(), plain.port, plain.path.encode(), plain.netloc.encode()
    import httpx  # a base URL of another shape: httpx's parser, as _client_base's check

    url = httpx.URL(base_url)
    return url.raw_scheme, url.raw_host, url.port, url.raw_path, url.netloc


def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS as ``httpx.create_ssl_context()`` makes it (certifi, or ``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR``), without importing httpx: an https cancel from a cold process need not pay for it. Tests
    check that both make the same context. CA certificates that cannot be loaded are a ``ConfigurationError``."""
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if cafile:
        where, capath = f"SSL_CERT_FILE={cafile!r}", None
    elif capath:
        where, cafile = f"SSL_CERT_DIR={capath!r}", None
    else:
        cafile, capath = certifi.where(), None
        where = f"certifi's {cafile!r}"
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except OSError as error:  # ssl.SSLError included
        raise ConfigurationError(
            f"the CA certificates in {where} cannot be loaded for https ({error}); nothing was sent"
        ) from None


class ResponseHeaders(Mapping[str, str]):
    """A response's headers as ``httpx.Headers`` reads them, without importing httpx: names case-insensitive
    (iterated lower-case), a repeated header's values joined with ", ", and bytes decoded as ASCII, else UTF-8,
    else ISO-8859-1."""

    __slots__ = ("_joined",)

    def __init__(self, raw: Sequence[tuple[bytes, bytes]]) -> None:
        encoding = _encoding(raw)
        joined: dict[str, str] = {}
        for raw_name, raw_value in raw:
            name, value = raw_name.decode(encoding).lower(), raw_value.decode(encoding)
            joined[name] = f"{joined[name]}, {value}" if name in joined else value
        self._joined = joined

    def __getitem__(self, name: str) -> str:
        return self._joined[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._joined)

    def __len__(self) -> int:
        return len(self._joined)

    def __repr__(self) -> str:
        return f"ResponseHeaders({self._joined!r})"


def _encoding(raw: Sequence[tuple[bytes, bytes]]) -> str:
    for encoding in ("ascii", "utf-8"):
        try:
            for name, value in raw:
                name.decode(encoding)
                value.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "iso-8859-1"
