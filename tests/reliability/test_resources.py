"""Resource hygiene: clients close what they opened, leave alone what they were given, and warn about nothing.

Connections are counted from /proc (``connections.py``): the emulator's port, this process's sockets,
minus those open before the client existed (the control client's own).
"""

import subprocess
import sys

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, HmacSigner, SpotClient
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl

from .connections import open_connections, port_of, remaining_connections, remaining_connections_async
from .drivers import safe_aiohttp_transport

SIGNER = HmacSigner(DEFAULT_HMAC_SECRET_KEY)


@pytest.fixture
def baseline(emulator: EmulatorControl) -> frozenset[int]:
    """Connections to the emulator before the test's clients exist (the control client's own)."""
    return open_connections(port_of(emulator.base_url))


def opened_since(emulator: EmulatorControl, baseline: frozenset[int]) -> frozenset[int]:
    return open_connections(port_of(emulator.base_url)) - baseline


@pytest.mark.parametrize("closing", ["close()", "with"])
def test_a_sync_client_closes_its_connections(
    emulator: EmulatorControl, baseline: frozenset[int], closing: str
) -> None:
    order_list_id = emulator.create_order_list().order_list_id
    client = SpotClient(api_key=DEFAULT_HMAC_API_KEY, signer=SIGNER, base_url=emulator.base_url)
    if closing == "with":
        with client:
            client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
            in_use = opened_since(emulator, baseline)
    else:
        client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
        in_use = opened_since(emulator, baseline)
        client.close()
    assert len(in_use) == 1, "the cancel kept its connection alive while the client was open"
    assert remaining_connections(port_of(emulator.base_url), baseline) == frozenset()


@pytest.mark.parametrize("closing", ["aclose()", "async with"])
async def test_an_async_client_closes_its_connections(
    emulator: EmulatorControl, baseline: frozenset[int], closing: str
) -> None:
    order_list_id = emulator.create_order_list().order_list_id
    client = AsyncSpotClient(api_key=DEFAULT_HMAC_API_KEY, signer=SIGNER, base_url=emulator.base_url)
    if closing == "async with":
        async with client:
            await client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
            in_use = opened_since(emulator, baseline)
    else:
        await client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
        in_use = opened_since(emulator, baseline)
        await client.aclose()
    assert len(in_use) == 1, "the cancel kept its connection alive while the client was open"
    assert await remaining_connections_async(port_of(emulator.base_url), baseline) == frozenset()


@pytest.mark.parametrize("closing", ["close()", "with"])
def test_a_sync_client_leaves_an_http_client_it_was_given_open(
    emulator: EmulatorControl, baseline: frozenset[int], closing: str
) -> None:
    order_list_id = emulator.create_order_list().order_list_id
    with httpx.Client() as http:
        client = SpotClient(api_key=DEFAULT_HMAC_API_KEY, signer=SIGNER, base_url=emulator.base_url, http_client=http)
        with client:
            client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
            if closing == "close()":
                client.close()
        assert not http.is_closed
        assert len(opened_since(emulator, baseline)) == 1, "its connection is still open"
        assert http.get(f"{emulator.base_url}/api/v3/time").status_code == 200, "and usable"
    assert remaining_connections(port_of(emulator.base_url), baseline) == frozenset(), "its owner closed it"


@pytest.mark.parametrize("closing", ["aclose()", "async with"])
@pytest.mark.parametrize("transport", ["httpx", "aiohttp"])
async def test_an_async_client_leaves_an_http_client_it_was_given_open(
    emulator: EmulatorControl, baseline: frozenset[int], closing: str, transport: str
) -> None:
    order_list_id = emulator.create_order_list().order_list_id
    http = httpx.AsyncClient(transport=safe_aiohttp_transport() if transport == "aiohttp" else None)
    async with http:
        client = AsyncSpotClient(
            api_key=DEFAULT_HMAC_API_KEY, signer=SIGNER, base_url=emulator.base_url, http_client=http
        )
        async with client:
            await client.cancel_order_list(symbol="LTCBTC", order_list_id=order_list_id)
            if closing == "aclose()":
                await client.aclose()
        assert not http.is_closed
        assert len(opened_since(emulator, baseline)) == 1, "its connection is still open"
        assert (await http.get(f"{emulator.base_url}/api/v3/time")).status_code == 200, "and usable"
    assert await remaining_connections_async(port_of(emulator.base_url), baseline) == frozenset(), "owner closed it"


# Creates, uses and closes both clients (and an aiohttp-backed one) in a fresh interpreter. With
# "leave-open" it closes nothing: the negative control that proves the warning check can fail (an
# AsyncSpotClient's own connections are closed by asyncio.run's shutdown anyway: _lifecycle).
SCRIPT = """
import asyncio, gc, sys
import aiohttp, httpx, httpx_aiohttp
from binance_orderlist import AsyncSpotClient, HmacSigner, SpotClient, no_hidden_resend

base_url, api_key, secret, mode, *ids = sys.argv[1:]
closing = mode == "close"
settings = {"api_key": api_key, "signer": HmacSigner(secret), "base_url": base_url}
lists = iter(int(order_list_id) for order_list_id in ids)

def sync_part():
    client = SpotClient(**settings)
    client.cancel_order_list(symbol="LTCBTC", order_list_id=next(lists))
    if closing:
        client.close()
        with SpotClient(**settings) as client:
            client.cancel_order_list(symbol="LTCBTC", order_list_id=next(lists))

async def async_part():
    client = AsyncSpotClient(**settings)
    await client.cancel_order_list(symbol="LTCBTC", order_list_id=next(lists))
    session = lambda: aiohttp.ClientSession(middlewares=[no_hidden_resend])
    http = httpx.AsyncClient(transport=httpx_aiohttp.AiohttpTransport(client=session))
    over_aiohttp = AsyncSpotClient(**settings, http_client=http)
    await over_aiohttp.cancel_order_list(symbol="LTCBTC", order_list_id=next(lists))
    if closing:
        await client.aclose()
        await http.aclose()
        async with AsyncSpotClient(**settings) as client:
            await client.cancel_order_list(symbol="LTCBTC", order_list_id=next(lists))

sync_part()
asyncio.run(async_part())
gc.collect()
print("done")
"""
LISTS_USED = 5


def warnings_of(stderr: str) -> list[str]:
    """The lines of a ``-W error -X dev`` run that report resources left open or warnings raised."""
    markers = ("ResourceWarning", "unclosed", "Unclosed", "Exception ignored", "Warning:")
    return [line for line in stderr.splitlines() if any(marker in line for marker in markers)]


def run_script(emulator: EmulatorControl, mode: str) -> subprocess.CompletedProcess[str]:
    ids = [str(emulator.create_order_list().order_list_id) for _ in range(LISTS_USED)]
    command = [sys.executable, "-W", "error", "-X", "dev", "-c", SCRIPT, emulator.base_url]
    command += [DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, mode, *ids]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_clients_used_and_closed_emit_no_warning_under_w_error_x_dev(emulator: EmulatorControl) -> None:
    done = run_script(emulator, "close")
    assert (done.returncode, done.stdout) == (0, "done\n"), done.stderr
    assert warnings_of(done.stderr) == [], done.stderr


def test_the_warning_check_sees_clients_left_open(emulator: EmulatorControl) -> None:
    done = run_script(emulator, "leave-open")
    assert (done.returncode, done.stdout) == (0, "done\n"), done.stderr
    reported = "\n".join(warnings_of(done.stderr))
    assert "ResourceWarning: unclosed <socket.socket" in reported
    assert "Unclosed connector" in reported, "the caller's httpx-aiohttp transport's"
