"""A local Binance Spot emulator for Cancel Order list (DELETE /api/v3/orderList), with a control API.

Run it with ``binance-orderlist-emulator --port 0`` (prints its base URL) or in-process with
``httpx.ASGITransport(app=create_app())``; drive it with ``EmulatorControl``. See docs/emulator.md.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from ._config import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorConfig, ResponseVersion
    from ._control_messages import CreatedOrderList, OrderListState, OrderSpec, OrderState
    from ._faults import FaultKind
    from ._process import EmulatorProcess
    from ._request_log import LoggedRequest
    from .control import Credentials, EmulatorControl, EmulatorControlError

_HOMES = {
    "DEFAULT_HMAC_API_KEY": "._config",
    "DEFAULT_HMAC_SECRET_KEY": "._config",
    "EmulatorConfig": "._config",
    "ResponseVersion": "._config",
    "FaultKind": "._faults",
    "EmulatorProcess": "._process",
    "LoggedRequest": "._request_log",
    "CreatedOrderList": "._control_messages",
    "Credentials": ".control",
    "EmulatorControl": ".control",
    "EmulatorControlError": ".control",
    "OrderListState": "._control_messages",
    "OrderSpec": "._control_messages",
    "OrderState": "._control_messages",
}
"""Where each public name lives: imported on first use, so that the pytest plugin, which pytest loads in every
run of every project in the environment, imports nothing of the emulator's (nor the generated package, attrs or
httpx) until a test asks for it."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


EXTRA_HINT = "the emulator's server needs the 'emulator' extra: pip install 'binance-orderlist[emulator]'"


def create_app(config: "EmulatorConfig | None" = None) -> "Starlette":
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
