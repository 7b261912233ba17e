"""The library's subclasses of httpx classes, imported only when one is needed, so that ``import
binance_orderlist`` (and a client on its own connections) does not import httpx: ``BinanceAuth``, the clients'
request signing (``_signing.QuerySigning``) as an ``httpx.Auth``; ``SignedRequest``, what a caller's
``http_client`` is sent.
"""

from collections.abc import Generator

import httpx
from binance_orderlist_api.operations import API_KEY_HEADER, TIME_UNIT_HEADER

from ._clock import ServerClock
from ._logging import redact
from ._signing import QuerySigning, Signer

__all__ = ["BinanceAuth", "SignedRequest"]


class BinanceAuth(httpx.Auth, QuerySigning):
    """Binance request signing: a fresh ``timestamp``, then ``signature`` over the exact query, last.

    The clients call ``signed_attempt`` before any transport sees the URL; as an ``httpx.Auth`` it signs
    any request sent through httpx, e.g. one built by the generated endpoint functions. The timestamp
    is in microseconds when the request carries ``X-MBX-TIME-UNIT: MICROSECOND``.
    """

    def __init__(self, api_key: str, signer: Signer, clock: ServerClock | None = None) -> None:
        super().__init__(signer, clock)
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._api_key
        microseconds = request.headers.get(TIME_UNIT_HEADER, "").upper() == "MICROSECOND"
        # The generated functions require a timestamp argument: the fresh one replaces it.
        pairs = request.url.query.decode("ascii").split("&")
        unsigned = "&".join(pair for pair in pairs if pair and not pair.startswith(("timestamp=", "signature=")))
        query = self.signed_query(unsigned, microseconds=microseconds)
        request.url = request.url.copy_with(query=query.encode("ascii"))
        yield request

    def __repr__(self) -> str:
        return f"BinanceAuth(signer={self._signer!r})"


class SignedRequest(httpx.Request):
    """A signed request whose repr (shown in tracebacks and recorded frame locals) hides the signature."""

    def __repr__(self) -> str:
        return redact(super().__repr__())
