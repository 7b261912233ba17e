"""Clients of every key kind, sync and async, pointed at the emulator as a real server on 127.0.0.1.

Tests are ``async def`` and call ``await invoke(client, "cancel_order_list", ...)`` (``tests/harness.py``),
which awaits only for the async client, so one test body covers both.
"""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from binance_orderlist_emulator import EmulatorControl
from binance_orderlist_emulator.control import KeyType

from ..harness import AnyClient, close

MakeClient = Callable[..., AnyClient]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    mode: str = request.param
    return mode


@pytest.fixture
async def make_client(emulator: EmulatorControl, mode: str) -> AsyncIterator[MakeClient]:
    """Builds clients of the test's mode (``key_kind=`` hmac, ed25519 or rsa) and closes them afterwards."""
    clients: list[AnyClient] = []

    def make(key_kind: KeyType = "hmac", **options: Any) -> AnyClient:
        make_one = emulator.spot_client if mode == "sync" else emulator.async_spot_client
        clients.append(make_one(key_kind, **options))
        return clients[-1]

    yield make
    for client in clients:
        await close(client)
