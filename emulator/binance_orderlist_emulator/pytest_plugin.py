"""pytest fixtures for testing trading code against the emulator; pytest loads them by itself (``pytest11``).

``binance_emulator`` is the control object of one emulator process per session (per worker under
pytest-xdist), reset before each test; ``binance_client`` and ``binance_async_client`` are clients
pointed at it. ``--binance-emulator-version=older`` serves the older document's shape. See the README's
"Testing your code".

Loaded in every pytest run of every project in the environment, so loading it imports only pytest and this
package's small modules (never httpx, the server or the client), and a fixture says what is missing (the
``emulator`` extra, pytest-asyncio) only when a test asks for it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from . import EXTRA_HINT

if TYPE_CHECKING:
    from binance_orderlist import AsyncSpotClient, SpotClient

    from ._process import EmulatorProcess
    from .control import EmulatorControl

VERSION_OPTION = "--binance-emulator-version"
SERVER_PACKAGES = ("starlette", "uvicorn")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("binance-orderlist").addoption(
        VERSION_OPTION,
        choices=("newer", "older"),
        default="newer",
        help="which of Binance's documents the emulator behaves like (default: newer); a reset returns to it",
    )


def pytest_configure(config: pytest.Config) -> None:
    # The async client lives in the test's event loop: its fixture is pytest-asyncio's to run.
    if config.pluginmanager.has_plugin("asyncio"):
        from . import _pytest_asyncio

        config.pluginmanager.register(_pytest_asyncio, "binance_orderlist_asyncio")
    else:
        config.pluginmanager.register(_WithoutPytestAsyncio(), "binance_orderlist_asyncio")


@pytest.fixture(scope="session")
def binance_emulator_process(pytestconfig: pytest.Config) -> Iterator[EmulatorProcess]:
    """One emulator process on a free port of 127.0.0.1, started when a test first needs it, stopped at the end of
    the session (each pytest-xdist worker has its own)."""
    missing = [name for name in SERVER_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        pytest.fail(f"binance_emulator: {EXTRA_HINT} ({', '.join(missing)} missing)", pytrace=False)
    from ._process import EmulatorProcess

    with EmulatorProcess(response_version=pytestconfig.getoption(VERSION_OPTION)) as process:
        yield process


@pytest.fixture
def binance_emulator(binance_emulator_process: EmulatorProcess) -> Iterator[EmulatorControl]:
    """The session's emulator, reset before this test: the seed list, the default key, no faults, an empty log."""
    from .control import EmulatorControl

    with EmulatorControl(binance_emulator_process.base_url) as control:
        control.reset()
        yield control


@pytest.fixture
def binance_client(binance_emulator: EmulatorControl) -> Iterator[SpotClient]:
    """A ``SpotClient`` on the emulator with its default HMAC key (``binance_emulator.spot_client("rsa")`` for
    another key type or other options)."""
    with binance_emulator.spot_client() as client:
        yield client


class _WithoutPytestAsyncio:
    @pytest.fixture
    def binance_async_client(self) -> AsyncSpotClient:
        """Needs pytest-asyncio; without it, ``async with binance_emulator.async_spot_client() as client:``."""
        pytest.fail(
            "binance_async_client needs pytest-asyncio (pip install pytest-asyncio); with another runner use "
            "'async with binance_emulator.async_spot_client() as client:'",
            pytrace=False,
        )
