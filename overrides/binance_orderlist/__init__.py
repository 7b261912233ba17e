"""Typed client for Binance Spot's Cancel Order list endpoint (DELETE /api/v3/orderList).

    from binance_orderlist import SpotClient, HmacSigner

    with SpotClient(api_key="...", signer=HmacSigner("...")) as client:
        cancelled = client.cancel_order_list(symbol="LTCBTC", order_list_id=0)

Errors are in ``binance_orderlist.errors``; the response models are the generated ones, re-exported here.
"""

from binance_orderlist_api.models import (
    CancelOrderListResponse,
    CancelOrderReport,
    ContingencyType,
    ListOrderStatus,
    ListStatusType,
    OrderList,
    OrderListOrder,
    OrderSide,
    OrderStatus,
    OrderType,
    SelfTradePreventionMode,
    TimeInForce,
)
from binance_orderlist_api.operations import BINANCE_BASE_URLS, OpenOrderLists
from binance_orderlist_api.types import UNSET, Unset

from . import _logging as _logging
from ._client import DEFAULT_BASE_URL, AsyncSpotClient, SpotClient
from ._ensure import CancelConfirmation, CancelState
from ._raw_response import RawResponse
from ._responses import RateLimitUsage
from ._signing import BinanceAuth, Ed25519Signer, HmacSigner, RsaSigner, Signer
from ._version import __version__

__all__ = [
    "BINANCE_BASE_URLS",
    "DEFAULT_BASE_URL",
    "UNSET",
    "AsyncSpotClient",
    "BinanceAuth",
    "CancelConfirmation",
    "CancelOrderListResponse",
    "CancelOrderReport",
    "CancelState",
    "ContingencyType",
    "Ed25519Signer",
    "HmacSigner",
    "ListOrderStatus",
    "ListStatusType",
    "OpenOrderLists",
    "OrderList",
    "OrderListOrder",
    "OrderSide",
    "OrderStatus",
    "OrderType",
    "RateLimitUsage",
    "RawResponse",
    "RsaSigner",
    "SelfTradePreventionMode",
    "Signer",
    "SpotClient",
    "TimeInForce",
    "Unset",
    "__version__",
]
