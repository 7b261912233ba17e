"""The async client's fixture, registered by the pytest plugin only where pytest-asyncio runs: the client's
connections belong to the test's event loop, so it is opened and closed there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest_asyncio

if TYPE_CHECKING:
    from binance_orderlist import AsyncSpotClient

    from .control import EmulatorControl


@pytest_asyncio.fixture
async def binance_async_client(binance_emulator: EmulatorControl) -> AsyncIterator[AsyncSpotClient]:
    """An ``AsyncSpotClient`` on the emulator with its default HMAC key (``binance_emulator.async_spot_client("rsa")``
    for another key type or other options)."""
    async with binance_emulator.async_spot_client() as client:
        yield client
