"""Typed client for Binance Spot's Cancel Order list endpoint (DELETE /api/v3/orderList).

    from binance_orderlist import SpotClient, HmacSigner

    with SpotClient(api_key="...", signer=HmacSigner("...")) as client:
        cancelled = client.cancel_order_list(symbol="LTCBTC", order_list_id=0)

Errors are in ``binance_orderlist.errors``; the response models are the generated ones, re-exported here.
"""

import importlib
from typing import TYPE_CHECKING

# Imported by its full name: pyright follows `__all__ += _public.__all__` only for a module imported so.
import binance_orderlist_api.public as _public
from binance_orderlist_api.operations import BINANCE_BASE_URLS, DEFAULT_BASE_URL
from binance_orderlist_api.public import *  # noqa: F403 - the models openapi.yaml's operations answer with
from binance_orderlist_api.types import UNSET, Unset

from . import _logging as _logging
from ._client import AsyncSpotClient, SpotClient
from ._raw_response import RawResponse
from ._responses import RateLimitUsage
from ._signing import Ed25519Signer, HmacSigner, RsaSigner, Signer
from ._version import __version__

if TYPE_CHECKING:
    from ._aiohttp import no_hidden_resend
    from ._ensure import CancelConfirmation, CancelState
    from ._httpx_classes import BinanceAuth

__all__ = [
    "BINANCE_BASE_URLS",
    "DEFAULT_BASE_URL",
    "UNSET",
    "AsyncSpotClient",
    "BinanceAuth",
    "CancelConfirmation",
    "CancelState",
    "Ed25519Signer",
    "HmacSigner",
    "RateLimitUsage",
    "RawResponse",
    "RsaSigner",
    "Signer",
    "SpotClient",
    "Unset",
    "__version__",
    "no_hidden_resend",
]
__all__ += _public.__all__


_IMPORTED_WHEN_ASKED_FOR = {
    "no_hidden_resend": "._aiohttp",  # imports aiohttp (the ``aiohttp`` extra)
    "BinanceAuth": "._httpx_classes",  # imports httpx
    "CancelConfirmation": "._ensure",  # needed by ensure_order_list_cancelled only
    "CancelState": "._ensure",
}


def __getattr__(name: str) -> object:
    """The names whose modules are imported only when one of them is asked for (import time)."""
    if name in _IMPORTED_WHEN_ASKED_FOR:
        return getattr(importlib.import_module(_IMPORTED_WHEN_ASKED_FOR[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
