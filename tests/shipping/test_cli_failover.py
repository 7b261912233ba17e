"""The command line in an outage: several ``--base-url``, ``--failover``, a comma-separated BINANCE_BASE_URL and
``ping``, against the emulator, a refused port and a server that reads the request and drops the connection."""

import json

import pytest
from binance_orderlist import BINANCE_BASE_URLS
from binance_orderlist import _cli as cli
from binance_orderlist._cli import ExitCode
from binance_orderlist_emulator import CreatedOrderList, EmulatorControl

from tests.ports import refused_port
from tests.reliability.hostile import close_after_reading, hostile

from .conftest import SYMBOL
from .test_cli import assert_no_secrets
from .test_cli_certainty import run, sent

PATH = "/api/v3/orderList"
DEAD = f"http://127.0.0.1:{refused_port()}"


def test_cancel_goes_on_past_a_dead_base_url(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    ids = ("--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id))
    outcome = run(capsys, "cancel", *ids, "--base-url", DEAD, "--base-url", credentials.base_url)
    assert (outcome.exit_code, outcome.stderr) == (ExitCode.OK, "")
    assert outcome.stdout.startswith(f"Cancelled order list {order_list.order_list_id} on {SYMBOL}")
    assert sent(credentials) == [("DELETE", PATH)]


def test_a_cancel_that_may_have_been_read_is_not_sent_elsewhere(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    with hostile(close_after_reading) as dropper:
        urls = ("--base-url", DEAD, "--base-url", dropper.base_url, "--base-url", credentials.base_url)
        outcome = run(capsys, "cancel", "--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id), *urls)
    assert outcome.exit_code == ExitCode.UNKNOWN_EXECUTION_STATUS
    assert dropper.count() == 1
    assert sent(credentials) == []


def test_binance_base_url_may_list_several(
    capsys: pytest.CaptureFixture[str],
    order_list: CreatedOrderList,
    credentials: EmulatorControl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BINANCE_BASE_URL", f"{DEAD},{credentials.base_url}")
    outcome = run(capsys, "cancel-all", "--symbol", SYMBOL)
    assert outcome.exit_code == ExitCode.OK, outcome.stderr
    assert sent(credentials) == [("GET", "/api/v3/openOrderList"), ("DELETE", PATH)]


def test_ping_shows_every_base_url(capsys: pytest.CaptureFixture[str], credentials: EmulatorControl) -> None:
    tls = credentials.base_url.replace("http://", "https://")
    outcome = run(capsys, "ping", "--base-url", DEAD, "--base-url", credentials.base_url, "--base-url", tls)
    assert outcome.exit_code == ExitCode.OK, outcome.stderr
    dead, emulator, handshake = outcome.stdout.splitlines()
    width = len(tls)
    assert dead.startswith(f"{DEAD.ljust(width)}  failed  TransportError: GET {DEAD}/api/v3/ping could not be sent")
    assert emulator.startswith(f"{credentials.base_url.ljust(width)}  open    ")
    assert emulator.endswith(" ms")
    assert handshake.startswith(f"{tls}  failed  TransportError: ")
    assert sent(credentials) == [("GET", "/api/v3/ping")]
    as_json = run(capsys, "ping", "--base-url", DEAD, "--base-url", credentials.base_url, "--json")
    answers = json.loads(as_json.stdout)
    assert [(answer["baseUrl"], answer["open"], answer["error"]) for answer in answers] == [
        (DEAD, False, "TransportError"),
        (credentials.base_url, True, None),
    ]
    assert answers[1]["roundTripMs"] > 0
    assert_no_secrets(credentials, outcome.stdout, as_json.stdout)


def test_ping_exits_as_a_transport_error_when_no_door_is_open(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    tls = credentials.base_url.replace("http://", "https://")
    outcome = run(capsys, "ping", "--base-url", DEAD, "--base-url", tls)
    assert outcome.exit_code == ExitCode.TRANSPORT_ERROR
    assert [line.split()[:2] for line in outcome.stdout.splitlines()] == [[DEAD, "failed"], [tls, "failed"]]
    assert credentials.requests() == []


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], {}),
        (["--base-url", "http://a.test"], {"base_url": ["http://a.test"]}),
        (["--failover"], {"base_url": list(BINANCE_BASE_URLS)}),
        (["--base-url", "http://a.test", "--failover"], {"base_url": ["http://a.test", *BINANCE_BASE_URLS]}),
        (
            ["--base-url", BINANCE_BASE_URLS[2], "--failover"],
            {"base_url": [BINANCE_BASE_URLS[2], *BINANCE_BASE_URLS[:2], *BINANCE_BASE_URLS[3:]]},
        ),
    ],
)
def test_failover_adds_the_documented_clusters_after_the_given_ones(
    arguments: list[str], expected: dict[str, list[str]]
) -> None:
    args = cli._parser().parse_args(["open-lists", *arguments])
    assert cli._client_options(args) == expected


def test_a_base_url_given_twice_is_a_configuration_error(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    outcome = run(capsys, "open-lists", "--base-url", credentials.base_url, "--base-url", credentials.base_url + "/")
    assert outcome.exit_code == ExitCode.CONFIGURATION
    assert "base_url[1]" in outcome.stderr
    assert "listed twice" in outcome.stderr
    assert credentials.requests() == []
