"""Four real Binance clients, pinned, each in its own venv, against the emulator as a real process.

Every (client, check) either passes or is a recorded limitation: ``LIMITATIONS`` names the outcome
the client gets and why, and the test asserts exactly that outcome, so it fails the day the client
starts working or fails differently. Nothing is skipped.
"""

import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pytest
from binance_orderlist_emulator import (
    DEFAULT_HMAC_API_KEY,
    DEFAULT_HMAC_SECRET_KEY,
    EmulatorControl,
    EmulatorProcess,
    LoggedRequest,
)

from ..overrides.keys import ed25519_key, pem_of, public_pem_of, rsa_key
from .venvs import ROOT, PeerClient, venv_python

pytestmark = pytest.mark.timeout(900)  # a cold run builds the client's venv inside its first test

PEERS = (
    PeerClient("binance-sdk-spot", "binance-sdk-spot==13.3.0", "binance_sdk_spot"),
    PeerClient("python-binance", "python-binance==1.0.37", "python_binance"),
    PeerClient("binance-connector", "binance-connector==3.13.0", "binance_connector"),
    PeerClient("ccxt", "ccxt==4.5.90", "ccxt_binance"),
)
ED25519_API_KEY = "interop-ed25519-key"
RSA_API_KEY = "interop-rsa-key"
NON_ASCII_SYMBOL = "１２３４５６"
SLASH_COLON_ID = "interop/list:id-1"
BY_CLIENT_ID = "interop-by-client-id"
DRIVER_TIMEOUT_S = 120

# check -> (scenario, index of the cancel within it); docs/interop.md's table has a row per check, in this order
CHECKS: Mapping[str, tuple[str, int]] = {
    "hmac_by_order_list_id": ("hmac", 0),
    "by_list_client_order_id": ("by_client_id", 0),
    "ed25519": ("ed25519", 0),
    "rsa": ("rsa", 0),
    "second_cancel_is_the_clients_2011_error": ("hmac", 1),
    "microsecond_header": ("microsecond", 0),
    "slash_and_colon_in_ids": ("slash_colon", 0),
    "non_ascii_symbol": ("non_ascii", 0),
}
OWN_2011_ERROR = {
    "binance-sdk-spot": "binance_common.errors.BadRequestError",
    "python-binance": "binance.exceptions.BinanceAPIException",
    "binance-connector": "binance.error.ClientError",
    "ccxt": "ccxt.base.errors.OrderNotFound",
}
PARAMETERS_IN_THE_BODY = {"python-binance"}  # its default mode; the others send DELETE parameters in the query


@dataclass(frozen=True)
class Limitation:
    error: str
    code: int | None
    reason: str


LIMITATIONS: Mapping[tuple[str, str], Limitation] = {
    ("python-binance", "slash_and_colon_in_ids"): Limitation(
        "binance.exceptions.BinanceAPIException",
        -1022,
        "signs the values as written (interop/list:id-1) but requests form-encodes the body it sends "
        "(interop%2Flist%3Aid-1): the bytes signed are not the bytes sent, which Binance rejects too",
    ),
}


@dataclass(frozen=True)
class PeerRun:
    peer: PeerClient
    outcomes: Mapping[str, list[dict[str, Any]]]
    expected: Mapping[str, dict[str, object]]
    """Per scenario, what a successful first cancel returns."""
    requests: list[LoggedRequest]


@pytest.fixture(scope="module", params=PEERS, ids=[peer.name for peer in PEERS])
def peer_run(request: pytest.FixtureRequest, binance_emulator_process: EmulatorProcess) -> Iterator[PeerRun]:
    """One driver run per client: every scenario, then the emulator's record of what the client sent."""
    peer: PeerClient = request.param
    python = venv_python(peer)
    with EmulatorControl(binance_emulator_process.base_url) as emulator:
        emulator.reset()
        scenarios, expected = _set_up(emulator)
        for scenario in scenarios:
            scenario["base_url"] = emulator.base_url
        completed = subprocess.run(
            [python, "-m", f"tests.interop.drivers.{peer.driver}"],
            input=json.dumps(scenarios),
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=DRIVER_TIMEOUT_S,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        outcomes: dict[str, list[dict[str, Any]]] = {}
        for line in completed.stdout.splitlines():
            outcome = json.loads(line)
            outcomes.setdefault(outcome.pop("scenario"), []).append(outcome)
        yield PeerRun(peer, outcomes, expected, emulator.requests())


def _set_up(emulator: EmulatorControl) -> tuple[list[dict[str, Any]], dict[str, dict[str, object]]]:
    """Keys of all three types, one open list per scenario, and the scenarios for the driver."""
    emulator.register_ed25519_key(ED25519_API_KEY, public_pem_of(ed25519_key()))
    emulator.register_rsa_key(RSA_API_KEY, public_pem_of(rsa_key()))
    hmac_key = {"type": "HMAC", "secret": DEFAULT_HMAC_SECRET_KEY}
    keys = {
        "hmac": (DEFAULT_HMAC_API_KEY, hmac_key),
        "ed25519": (ED25519_API_KEY, {"type": "ED25519", "pem": pem_of(ed25519_key()).decode()}),
        "rsa": (RSA_API_KEY, {"type": "RSA", "pem": pem_of(rsa_key()).decode()}),
    }
    plans = [  # scenario, key, symbol, listClientOrderId or None (cancel by orderListId), time unit
        ("hmac", "hmac", "LTCBTC", None, None),
        ("by_client_id", "hmac", "BTCUSDT", BY_CLIENT_ID, None),
        ("ed25519", "ed25519", "ETHBTC", None, None),
        ("rsa", "rsa", "BNBUSDT", None, None),
        ("microsecond", "hmac", "LTCBTC", None, "MICROSECOND"),
        ("slash_colon", "hmac", "ETHBTC", SLASH_COLON_ID, None),
        ("non_ascii", "hmac", NON_ASCII_SYMBOL, None, None),
    ]
    scenarios, expected = [], {}
    for name, key_name, symbol, client_id, time_unit in plans:
        created = emulator.create_order_list(symbol=symbol, list_client_order_id=client_id)
        by = {"listClientOrderId": client_id} if client_id else {"orderListId": created.order_list_id}
        cancel = {"symbol": symbol, **by}
        api_key, key = keys[key_name]
        repeats = 2 if name == "hmac" else 1
        scenarios.append(
            {"name": name, "api_key": api_key, "key": key, "time_unit": time_unit, "cancels": [cancel] * repeats}
        )
        expected[name] = {
            "ok": True,
            "orderListId": created.order_list_id,
            "listClientOrderId": created.list_client_order_id,
            "symbol": symbol,
        }
    return scenarios, expected


@pytest.mark.parametrize("check", CHECKS)
def test_check(peer_run: PeerRun, check: str) -> None:
    scenario, index = CHECKS[check]
    outcome = peer_run.outcomes[scenario][index]
    limitation = LIMITATIONS.get((peer_run.peer.name, check))
    if limitation is not None:
        assert (outcome["ok"], outcome.get("error"), outcome.get("code")) == (False, limitation.error, limitation.code)
    elif check == "second_cancel_is_the_clients_2011_error":
        assert outcome == {"ok": False, "error": OWN_2011_ERROR[peer_run.peer.name], "code": -2011}
    else:
        transaction_time = outcome.pop("transactionTime", None)
        assert outcome == peer_run.expected[scenario]
        assert isinstance(transaction_time, int)
        # 10^15 µs is 2001 and 10^15 ms far in the future: the header alone sets the response's unit.
        assert (transaction_time >= 10**15) is (scenario == "microsecond")


def test_where_the_parameters_travel(peer_run: PeerRun) -> None:
    """python-binance's default mode puts the signed DELETE parameters in a form body; the others in the query."""
    cancels = [entry for entry in peer_run.requests if entry.method == "DELETE"]
    assert len(cancels) == sum(len(outcomes) for outcomes in peer_run.outcomes.values())
    in_the_body = peer_run.peer.name in PARAMETERS_IN_THE_BODY
    for entry in cancels:
        signed_part, other_part = (entry.body, entry.query_string) if in_the_body else (entry.query_string, entry.body)
        assert ("signature=" in signed_part, other_part) == (True, "")


def test_every_client_sent_millisecond_timestamps(peer_run: PeerRun) -> None:
    """So the MICROSECOND scenario passing shows the unit of ``timestamp`` is told by its size, not the header."""
    for entry in peer_run.requests:
        if entry.method == "DELETE":
            sent = dict(parse_qsl(entry.body)) | dict(parse_qsl(entry.query_string))  # the query wins
            assert int(sent["timestamp"]) < 10**14


def test_start_up_calls_reach_real_endpoints(peer_run: PeerRun) -> None:
    """python-binance pings once per client it builds; no client calls a path the emulator lacks."""
    others = [entry for entry in peer_run.requests if entry.method != "DELETE"]
    assert all(entry.status == 200 for entry in others)
    pings = [entry for entry in others if entry.path == "/api/v3/ping"]
    assert len(pings) == (len(peer_run.outcomes) if peer_run.peer.name == "python-binance" else 0)


def test_the_documented_table_marks_exactly_the_recorded_limitations() -> None:
    """docs/interop.md says what the tests assert: ✗ and the Binance code where, and only where, one is recorded."""
    text = (ROOT / "docs" / "interop.md").read_text()
    table = text[text.index("| check |") :].split("\n\n")[0].splitlines()
    header = [cell.strip() for cell in table[0].strip("|").split("|")][1:]
    rows = [[cell.strip() for cell in line.strip("|").split("|")][1:] for line in table[2 : 2 + len(CHECKS)]]
    assert header == [peer.name for peer in PEERS]
    for check, cells in zip(CHECKS, rows, strict=True):
        for peer, cell in zip(PEERS, cells, strict=True):
            limitation = LIMITATIONS.get((peer.name, check))
            expected = "✓" if limitation is None else f"✗ `{limitation.code}`"
            assert cell.startswith(expected), (peer.name, check, cell)
