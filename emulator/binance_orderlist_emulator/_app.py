"""The emulator as one ASGI app: Binance's paths and the control API, over one shared state."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from ._binance_routes import binance_routes
from ._config import EmulatorConfig
from ._control_routes import ControlApi
from ._state import EmulatorState

# Binance's page for a path it does not have, sent only to clients that accept HTML (CHANGELOG, 2024-12-09).
_NOT_FOUND_PAGE = b"<html><body><h2>404 Not found</h2></body></html>"


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    """Serve it with uvicorn, or in-process with ``httpx.ASGITransport(app=create_app())``."""
    state = EmulatorState(config or EmulatorConfig())
    app = Starlette(routes=[*binance_routes(state), *ControlApi(state).routes()], exception_handlers={404: _not_found})
    app.state.emulator = state
    return app


async def _not_found(request: Request, _: Exception) -> Response:
    """404 as Binance sends it: its HTML page when ``Accept`` names ``text/html``, else no body (our choice)."""
    if "text/html" in request.headers.get("accept", ""):
        return Response(_NOT_FOUND_PAGE, 404, media_type="text/html")
    return Response(b"", 404)
