"""How an emulator starts: response version, request log, rate limits, the API key it accepts out of the box."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from ._rate_limits import DEFAULT_WEIGHT_PER_MINUTE

# Binance's published HMAC example key pair (binance-rules.md), accepted out of the box.
DEFAULT_HMAC_API_KEY: Final = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
DEFAULT_HMAC_SECRET_KEY: Final = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"  # noqa: S105


class ApiKeyType(StrEnum):
    """The three kinds of API key Binance issues."""

    HMAC = "HMAC"
    ED25519 = "ED25519"
    RSA = "RSA"


class ResponseVersion(StrEnum):
    """Which seed document the emulator behaves like."""

    NEWER = "newer"
    """Reports carry ``origQuoteOrderQty``; recvWindow is DECIMAL; both ids must agree."""
    OLDER = "older"
    """No ``origQuoteOrderQty``; recvWindow is LONG; ``orderListId`` takes precedence over ``listClientOrderId``."""


@dataclass(frozen=True)
class EmulatorConfig:
    """Start-up settings; ``reset`` returns to them."""

    response_version: ResponseVersion = ResponseVersion.NEWER
    request_log: bool = True
    weight_limit_per_minute: int | None = DEFAULT_WEIGHT_PER_MINUTE
    ban_seconds: int = 120

    @classmethod
    def for_benchmark(cls, response_version: ResponseVersion = ResponseVersion.NEWER) -> "EmulatorConfig":
        """Nothing that costs time per request: no request log, no rate limit."""
        return cls(response_version=response_version, request_log=False, weight_limit_per_minute=None)
