"""The one sync/async harness: a test body written once calls either client the same way.

Async tests ``await invoke(client, "cancel_order_list", ...)``; sync tests ``call(client, ...)``, which runs an
async client's call on the event loop given (a client that calls again keeps its loop) or on a new one. The
integration tests, the unit tests on ``httpx.MockTransport`` and the hostile-server drivers all use it.
"""

import asyncio
import inspect
import sys
from collections.abc import Callable
from typing import Any
from unittest import mock

from binance_orderlist import AsyncSpotClient, SpotClient

AnyClient = SpotClient | AsyncSpotClient


def method_of(client: AnyClient, method: str) -> Callable[..., Any]:
    """``client.<method>``; ``method`` may be dotted: ``"with_raw_response.cancel_order_list"``."""
    target: Any = client
    for attribute in method.split("."):
        target = getattr(target, attribute)
    return target  # type: ignore[no-any-return]


async def invoke(client: AnyClient, method: str, **arguments: Any) -> Any:
    """The call's result, awaited only for the async client."""
    result = method_of(client, method)(**arguments)
    return await result if inspect.isawaitable(result) else result


def call(client: AnyClient, method: str, *, on: asyncio.Runner | None = None, **arguments: Any) -> Any:
    """``invoke`` from synchronous code: an async client's call runs on the loop ``on``, else on a new one."""
    if isinstance(client, SpotClient):
        return method_of(client, method)(**arguments)
    awaited = invoke(client, method, **arguments)
    return asyncio.run(awaited) if on is None else on.run(awaited)


async def close(client: AnyClient) -> None:
    """``close()`` or ``aclose()``, whichever the client has."""
    if isinstance(client, SpotClient):
        client.close()
    else:
        await client.aclose()


def async_client_without_aiohttp(**settings: Any) -> AsyncSpotClient:
    """An ``AsyncSpotClient`` made as if the ``aiohttp`` extra were not installed: its own connections are an
    ``httpx.AsyncClient``'s for its whole life (tests/overrides/test_client.py proves it by what carries its calls)."""
    with mock.patch.dict(sys.modules, {"binance_orderlist._aiohttp": None}):
        return AsyncSpotClient(**settings)


def call_once(client: AnyClient, method: str, **arguments: Any) -> Any:
    """``call`` on a fresh client, closed afterwards on the loop its call ran on."""
    with asyncio.Runner() as loop:
        try:
            return call(client, method, on=loop, **arguments)
        finally:
            loop.run(close(client))
