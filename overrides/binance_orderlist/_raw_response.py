"""``client.with_raw_response.<method>(...)``: one response's own facts, parsed only when asked.

``client.rate_limit_usage`` is the most recent response's, which with calls in flight at once may be
another call's; a ``RawResponse`` keeps the status code, headers and rate-limit usage of exactly the
response its call got.
"""

from typing import Generic

import httpx
from attrs import frozen
from binance_orderlist_api.operations import Model

from ._responses import RateLimitUsage, parse_success

__all__ = ["RawResponse"]


@frozen
class RawResponse(Generic[Model]):
    """A successful (HTTP 200) response before parsing; errors are raised as they are by the plain methods."""

    http_response: httpx.Response
    model: type[Model]

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def rate_limit_usage(self) -> RateLimitUsage:
        """Request weight and order counts this response reported."""
        return RateLimitUsage.from_headers(self.http_response.headers)

    def parse(self) -> Model:
        """The typed model, or ``ResponseDecodeError`` saying what is wrong with the body."""
        return parse_success(self.http_response, self.model)
