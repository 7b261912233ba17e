"""The sync client's connections on httpcore: every socket operation bounded by the attempt's deadline.

``DeadlineBackend`` goes under the pool of an ``httpx.HTTPTransport`` (the client's own, or a
caller's) and cuts each connect, write and read to what is left of the attempt (``_transports``);
``OwnSyncConnections`` is the client's own pool, sent prebuilt httpcore requests. Imported when the
first ``SpotClient`` is made, so that ``import binance_orderlist`` does not import httpcore.
"""

import contextlib
import ssl
import typing
from collections.abc import Iterable, Mapping

import httpcore
import httpx
from httpx._transports.default import map_httpcore_exceptions

from ._responses import Answer, BodyReader, BodyTooLarge
from ._transports import bounded

__all__ = ["DeadlineBackend", "OwnSyncConnections", "with_deadlines"]


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
    """``SpotClient``'s own connections: the httpcore pool of an ``httpx.HTTPTransport`` (its TLS and pool
    settings), sent a prebuilt ``httpcore.Request`` as the transport would build it (the same bytes on the wire),
    with ``base_url``'s scheme, host, port and headers worked out once per client. A call then makes no
    ``httpx.Request`` (whose URL parse is the largest cost of one), no ``httpx.Response`` and no stream wrappers;
    httpcore's errors become httpx's exactly as the transport maps them."""

    def __init__(self, base_url: str, headers: Mapping[str, str], max_response_bytes: int) -> None:
        self._transport = httpx.HTTPTransport()
        with_deadlines(self._transport)
        self._pool = self._transport._pool
        url = httpx.URL(base_url)
        self._base_url_length = len(base_url)
        self._scheme, self._host, self._port = url.raw_scheme, url.raw_host, url.port
        self._path = url.raw_path.rstrip(b"/")
        self._headers = [(b"Host", url.netloc), *((name.encode(), value.encode()) for name, value in headers.items())]
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
            failure = error
        with map_httpcore_exceptions():  # raises the httpx error httpx.HTTPTransport would have raised
            raise failure

    def _read(self, response: httpcore.Response) -> Answer:
        headers = httpx.Headers(response.headers)
        reader = BodyReader(headers, self._max_response_bytes)
        if reader.plain_within_limit:  # every read stops at the deadline (DeadlineBackend)
            return Answer(response.status, headers, response.read())
        with contextlib.suppress(BodyTooLarge):
            for chunk in response.iter_stream():
                reader.feed(chunk)
                bounded(None, httpcore.ReadTimeout)
        return reader.answer(response.status, headers)

    def close(self) -> None:
        self._transport.close()


def with_deadlines(transport: httpx.BaseTransport) -> bool:
    """Puts ``DeadlineBackend`` under the pool of an ``httpx.HTTPTransport`` (httpx has no public parameter for
    it), the client's own or a caller's: outside the library's attempts it changes nothing. False for other
    transports, whose reads only the checks between body chunks bound."""
    if not isinstance(transport, httpx.HTTPTransport):
        return False
    pool = transport._pool
    if not isinstance(pool._network_backend, DeadlineBackend):
        pool._network_backend = DeadlineBackend(pool._network_backend)
    return True
