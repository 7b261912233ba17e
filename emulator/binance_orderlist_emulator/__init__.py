"""A local Binance Spot emulator for Cancel Order list (DELETE /api/v3/orderList), with a control API.

Run it with ``binance-orderlist-emulator --port 0`` (prints its base URL) or in-process with
``httpx.ASGITransport(app=create_app())``; drive it with ``EmulatorControl``. See docs/emulator.md.
"""

from ._app import create_app
from ._config import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorConfig, ResponseVersion
from ._faults import FaultKind
from ._process import EmulatorProcess
from ._request_log import LoggedRequest
from .control import (
    CreatedOrderList,
    EmulatorControl,
    EmulatorControlError,
    OrderListState,
    OrderSpec,
    OrderState,
)

__all__ = [
    "DEFAULT_HMAC_API_KEY",
    "DEFAULT_HMAC_SECRET_KEY",
    "CreatedOrderList",
    "EmulatorConfig",
    "EmulatorControl",
    "EmulatorControlError",
    "EmulatorProcess",
    "FaultKind",
    "LoggedRequest",
    "OrderListState",
    "OrderSpec",
    "OrderState",
    "ResponseVersion",
    "create_app",
]
