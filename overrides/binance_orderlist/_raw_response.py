"""``client.with_raw_response.<method>(...)``: one response's own facts, parsed only when asked.

``client.rate_limit_usage`` is the most recent response's, which with calls in flight at once may be
another call's; a ``RawResponse`` keeps the status code, headers and rate-limit usage of exactly the
response its call got.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Generic

from attrs import frozen
from binance_orderlist_rules import Model

from ._responses import Answer, RateLimitUsage, parse_success

if TYPE_CHECKING:
    import httpx

__all__ = ["RawResponse"]


@frozen
class RawResponse(Generic[Model]):
    """A successful (HTTP 200) response before parsing; errors are raised as they are by the plain methods."""

    answer: Answer
    """The response as the client read it (whichever library carried it: httpx or aiohttp)."""
    model: type[Model]
    base_url: str
    """The cluster that answered: one of the client's base URLs (``_failover``)."""

    @property
    def status_code(self) -> int:
        return self.answer.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        """Case-insensitive: ``httpx.Headers``, the sync client's own connections' ``ResponseHeaders`` (read as httpx
        reads them), or aiohttp's ``CIMultiDictProxy`` on its own aiohttp session."""
        return self.answer.headers

    @property
    def http_response(self) -> "httpx.Response":
        """The response as an ``httpx.Response`` (built when asked: the client's own connections make none)."""
        import httpx

        return httpx.Response(self.status_code, headers=list(self.headers.items()), content=self.answer.content)

    @property
    def rate_limit_usage(self) -> RateLimitUsage:
        """Request weight and order counts this response reported."""
        return RateLimitUsage.from_headers(self.answer.headers)

    def parse(self) -> Model:
        """The typed model, or ``ResponseDecodeError`` saying what is wrong with the body."""
        return parse_success(self.answer, self.model)
