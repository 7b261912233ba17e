"""Clients of every key kind, sync and async, pointed at the emulator as a real server on 127.0.0.1.

Tests are ``async def`` and call ``await invoke(client, "cancel_order_list", ...)``, which awaits
only for the async client, so one test body covers both.
"""

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from binance_orderlist import AsyncSpotClient, Ed25519Signer, HmacSigner, RsaSigner, SpotClient
from binance_orderlist._signing import Signer
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl

from ..overrides.keys import ed25519_key, pem_of, public_pem_of, rsa_key

AnyClient = SpotClient | AsyncSpotClient
MakeClient = Callable[..., AnyClient]


def credentials(emulator: EmulatorControl, key_kind: str) -> tuple[str, Signer]:
    """An API key registered with the emulator and the signer that belongs to it."""
    if key_kind == "hmac":
        return DEFAULT_HMAC_API_KEY, HmacSigner(DEFAULT_HMAC_SECRET_KEY)
    if key_kind == "ed25519":
        emulator.register_ed25519_key("ed25519-key", public_pem_of(ed25519_key()))
        return "ed25519-key", Ed25519Signer(pem_of(ed25519_key()))
    emulator.register_rsa_key("rsa-key", public_pem_of(rsa_key()))
    return "rsa-key", RsaSigner(pem_of(rsa_key()))


async def invoke(client: AnyClient, method: str, **kwargs: Any) -> Any:
    """``method`` may be dotted: ``"with_raw_response.cancel_order_list"``."""
    target: Any = client
    for attribute in method.split("."):
        target = getattr(target, attribute)
    result = target(**kwargs)
    return await result if inspect.isawaitable(result) else result


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    mode: str = request.param
    return mode


@pytest.fixture
async def make_client(emulator: EmulatorControl, mode: str) -> AsyncIterator[MakeClient]:
    """Builds clients of the test's mode (``key_kind=`` hmac, ed25519 or rsa) and closes them afterwards."""
    clients: list[AnyClient] = []

    def make(key_kind: str = "hmac", **options: Any) -> AnyClient:
        api_key, signer = credentials(emulator, key_kind)
        settings = {"api_key": api_key, "signer": signer, "base_url": emulator.base_url, **options}
        clients.append(SpotClient(**settings) if mode == "sync" else AsyncSpotClient(**settings))
        return clients[-1]

    yield make
    for client in clients:
        if isinstance(client, SpotClient):
            client.close()
        else:
            await client.aclose()
