"""The emulator as one ASGI app: Binance's paths and the control API, over one shared state."""

from starlette.applications import Starlette

from ._binance_routes import binance_routes
from ._config import EmulatorConfig
from ._control_routes import ControlApi
from ._state import EmulatorState


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    """Serve it with uvicorn, or in-process with ``httpx.ASGITransport(app=create_app())``."""
    state = EmulatorState(config or EmulatorConfig())
    app = Starlette(routes=[*binance_routes(state), *ControlApi(state).routes()])
    app.state.emulator = state
    return app
