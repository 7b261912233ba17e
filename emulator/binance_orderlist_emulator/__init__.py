"""A local Binance Spot emulator for Cancel Order list (DELETE /api/v3/orderList), with a control API.

Run it with ``binance-orderlist-emulator --port 0`` (prints its base URL) or in-process with
``httpx.ASGITransport(app=create_app())``; drive it with ``EmulatorControl``. See docs/emulator.md.
"""

from typing import TYPE_CHECKING

from ._config import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorConfig, ResponseVersion
from ._faults import FaultKind
from ._process import EmulatorProcess
from ._request_log import LoggedRequest
from .control import (
    CreatedOrderList,
    Credentials,
    EmulatorControl,
    EmulatorControlError,
    OrderListState,
    OrderSpec,
    OrderState,
)

if TYPE_CHECKING:
    from starlette.applications import Starlette

EXTRA_HINT = "the emulator's server needs the 'emulator' extra: pip install 'binance-orderlist[emulator]'"


def create_app(config: EmulatorConfig | None = None) -> "Starlette":
    """Serve it with uvicorn, or in-process with ``httpx.ASGITransport(app=create_app())``.

    Imported on first use, so that ``EmulatorControl`` works without starlette installed.
    """
    try:
        from ._app import create_app as create
    except ModuleNotFoundError as missing:
        raise ModuleNotFoundError(f"{EXTRA_HINT} ({missing.name} is missing)", name=missing.name) from None
    return create(config)


__all__ = [
    "DEFAULT_HMAC_API_KEY",
    "DEFAULT_HMAC_SECRET_KEY",
    "CreatedOrderList",
    "Credentials",
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
