"""AsyncSpotClient's own connections through aiohttp, with no httpx objects on the way out.

httpx's async connection pool degrades with many requests in flight, and wrapping aiohttp in
httpx's request objects (httpx-aiohttp) costs about a third of a call. Here the signed URL goes to
aiohttp as it is, marked as encoded so that yarl does not re-quote the bytes that were signed;
the answer comes back as an ``httpx.Response`` so that one piece of code handles every outcome;
aiohttp's errors become httpx's, split the way the clients decide on retries: a connection that
could not be opened (nothing was sent) versus everything after it (the outcome is unknown).
Imported only when the ``aiohttp`` extra is installed and an AsyncSpotClient owns its connections.
"""

from collections.abc import Mapping

import aiohttp
import httpx
import yarl

from ._logging import redact

__all__ = ["AiohttpSender"]


class AiohttpSender:
    """One aiohttp session, opened on first use inside the running event loop, closed by ``aclose()``."""

    def __init__(self, headers: Mapping[str, str], timeout: httpx.Timeout) -> None:
        self._headers = dict(headers)
        self._httpx_timeout = timeout
        self._timeout = _client_timeout(timeout)
        self._session: aiohttp.ClientSession | None = None

    async def send(
        self, method: str, url: str, headers: Mapping[str, str], call_timeout: httpx.Timeout | None = None
    ) -> httpx.Response:
        """``call_timeout`` is this call's, when it is not the client's."""
        timeout = self._timeout
        if call_timeout is not None and call_timeout != self._httpx_timeout:
            timeout = _client_timeout(call_timeout)
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers, auto_decompress=False)
        try:
            async with self._session.request(
                method, yarl.URL(url, encoded=True), headers=headers, allow_redirects=False, timeout=timeout
            ) as answer:
                body = await answer.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise httpx.ConnectTimeout(redact(str(error))) from error
        except aiohttp.ClientConnectorError as error:
            raise httpx.ConnectError(redact(str(error))) from error
        except TimeoutError as error:
            raise httpx.ReadTimeout(redact(str(error)) or "timed out") from error
        except aiohttp.ClientError as error:
            raise httpx.ReadError(redact(str(error)) or type(error).__name__) from error
        return self._response(answer, body)

    @staticmethod
    def _response(answer: aiohttp.ClientResponse, body: bytes) -> httpx.Response:
        # The body is still encoded as the headers say (auto_decompress=False): httpx decodes it once.
        return httpx.Response(answer.status, headers=answer.raw_headers, content=body)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _client_timeout(timeout: httpx.Timeout) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(connect=timeout.pool, sock_connect=timeout.connect, sock_read=timeout.read)
