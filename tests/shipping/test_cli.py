"""``binance-orderlist cancel`` against the emulator as a real server: output, exit codes, errors, secrecy.

Most cases call ``main()`` in this process (same code as the console script, and pytest's warning
filters apply); a few run the installed console script and ``python -m binance_orderlist``.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from binance_orderlist import CancelOrderListResponse, __version__
from binance_orderlist._cli import ExitCode, main
from binance_orderlist_emulator import (
    DEFAULT_HMAC_SECRET_KEY,
    CreatedOrderList,
    EmulatorControl,
    EmulatorProcess,
    FaultKind,
)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.ports import refused_port

from .conftest import SYMBOL


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def cancel(capsys: pytest.CaptureFixture[str], *arguments: str) -> Outcome:
    exit_code = main(["cancel", "--symbol", SYMBOL, *arguments])
    captured = capsys.readouterr()
    return Outcome(exit_code, captured.out, captured.err)


def assert_one_error_line(outcome: Outcome, error_class: str, *fragments: str) -> None:
    assert outcome.stderr.startswith(f"binance-orderlist: {error_class}: ")
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    for fragment in fragments:
        assert fragment in outcome.stderr


def assert_no_secrets(emulator: EmulatorControl, *outputs: str) -> None:
    """Neither the API secret nor any signature the emulator received appears in what the CLI printed."""
    signatures = [
        part.removeprefix("signature=")
        for logged in emulator.requests()
        for part in logged.query_string.split("&")
        if part.startswith("signature=")
    ]
    for output in outputs:
        assert DEFAULT_HMAC_SECRET_KEY not in output
        for signature in signatures:
            assert signature not in output


def test_cancel_by_id_prints_the_cancelled_list_as_text(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    outcome = cancel(capsys, "--order-list-id", str(order_list.order_list_id))

    assert outcome.exit_code == ExitCode.OK
    assert outcome.stderr == ""
    lines = outcome.stdout.splitlines()
    assert lines[0] == f"Cancelled order list {order_list.order_list_id} on {SYMBOL}"
    assert "  contingency type      OCO" in lines
    assert "  list order status     ALL_DONE" in lines
    assert "  list client order id  cli-test-oco" in lines
    assert any(line.startswith("  request weight used   1m ") for line in lines)
    for order_id, client_order_id in zip(order_list.order_ids, order_list.client_order_ids, strict=True):
        (row,) = [line for line in lines if line.split()[:2] == [str(order_id), client_order_id]]
        assert row.split()[-1] == "CANCELED"
    assert credentials.order_list(order_list.order_list_id).list_order_status == "ALL_DONE"
    assert_no_secrets(credentials, outcome.stdout, outcome.stderr)


def test_json_output_is_the_response_with_binance_field_names(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    outcome = cancel(capsys, "--list-client-order-id", order_list.list_client_order_id, "--json")

    assert outcome.exit_code == ExitCode.OK
    body = json.loads(outcome.stdout)
    assert body["orderListId"] == order_list.order_list_id
    assert body["listOrderStatus"] == "ALL_DONE"
    assert [report["status"] for report in body["orderReports"]] == ["CANCELED", "CANCELED"]
    assert [report["orderId"] for report in body["orderReports"]] == list(order_list.order_ids)
    assert CancelOrderListResponse.from_dict(body).to_dict() == body


def test_every_option_reaches_the_wire(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    outcome = cancel(
        capsys,
        "--order-list-id",
        str(order_list.order_list_id),
        "--list-client-order-id",
        order_list.list_client_order_id,
        "--new-client-order-id",
        "my-cancel-1",
        "--recv-window",
        "6000.346",
        "--json",
    )

    assert outcome.exit_code == ExitCode.OK
    assert {report["clientOrderId"] for report in json.loads(outcome.stdout)["orderReports"]} == {"my-cancel-1"}
    (logged,) = credentials.requests()
    assert f"orderListId={order_list.order_list_id}&listClientOrderId=cli-test-oco" in logged.query_string
    assert "newClientOrderId=my-cancel-1&recvWindow=6000.346&timestamp=" in logged.query_string
    assert logged.signature_valid is True


def test_base_url_option_overrides_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, order_list: CreatedOrderList
) -> None:
    base_url = os.environ["BINANCE_BASE_URL"]
    monkeypatch.setenv("BINANCE_BASE_URL", f"http://127.0.0.1:{refused_port()}")
    outcome = cancel(capsys, "--order-list-id", str(order_list.order_list_id), "--base-url", base_url)
    assert outcome.exit_code == ExitCode.OK, outcome.stderr


def test_a_second_cancel_is_the_typed_unknown_order_list_error(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    assert cancel(capsys, "--order-list-id", str(order_list.order_list_id)).exit_code == ExitCode.OK

    text = cancel(capsys, "--order-list-id", str(order_list.order_list_id))
    as_json = cancel(capsys, "--order-list-id", str(order_list.order_list_id), "--json")

    assert text.exit_code == as_json.exit_code == ExitCode.UNKNOWN_ORDER_LIST
    assert text.stdout == ""
    assert_one_error_line(text, "UnknownOrderListError", "-2011", "Unknown order list sent.")
    assert json.loads(as_json.stdout) == {
        "error": "UnknownOrderListError",
        "exit_code": 6,
        "message": json.loads(as_json.stdout)["message"],
        "status_code": 400,
        "code": -2011,
        "msg": "Unknown order list sent.",
    }
    assert_no_secrets(credentials, text.stdout, text.stderr, as_json.stdout, as_json.stderr)


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        ((), "--order-list-id"),
        (("--order-list-id", "-1"), "--order-list-id"),
        (("--list-client-order-id", "has space"), "--list-client-order-id"),
        (("--order-list-id", "1", "--new-client-order-id", "x" * 37), "--new-client-order-id"),
        (("--order-list-id", "1", "--recv-window", "60001"), "--recv-window"),
        (("--order-list-id", "1", "--recv-window", "1.2345"), "--recv-window"),
    ],
)
def test_invalid_parameters_are_refused_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl, arguments: tuple[str, ...], option: str
) -> None:
    outcome = cancel(capsys, *arguments)
    assert outcome.exit_code == ExitCode.INVALID_PARAMETER
    assert_one_error_line(outcome, "RequestValidationError", f": {option}: ")
    assert credentials.requests() == []


def test_invalid_parameters_win_over_missing_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, credentials: EmulatorControl
) -> None:
    monkeypatch.delenv("BINANCE_API_KEY")
    assert cancel(capsys, "--recv-window", "0").exit_code == ExitCode.INVALID_PARAMETER


@pytest.mark.parametrize(
    "arguments", [["cancel", "--order-list-id", "1"], ["cancel", "--symbol", "X", "--order-list-id", "one"], []]
)
def test_a_malformed_command_line_is_a_usage_error(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> None:
    assert main(arguments) == ExitCode.USAGE
    assert "usage: binance-orderlist" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("unset", "settings", "fragment"),
    [
        ("BINANCE_API_KEY", {}, "BINANCE_API_KEY"),
        ("BINANCE_API_SECRET", {}, "BINANCE_API_SECRET"),
        ("BINANCE_API_SECRET", {"BINANCE_PRIVATE_KEY_FILE": "/nonexistent/key.pem"}, "cannot be read"),
        (None, {"BINANCE_BASE_URL": "ftp://127.0.0.1/"}, "base_url"),
    ],
)
def test_configuration_problems_have_their_own_exit_code(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    credentials: EmulatorControl,
    unset: str | None,
    settings: dict[str, str],
    fragment: str,
) -> None:
    if unset:
        monkeypatch.delenv(unset)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    outcome = cancel(capsys, "--order-list-id", "0")
    assert outcome.exit_code == ExitCode.CONFIGURATION
    assert_one_error_line(outcome, "ConfigurationError", fragment)
    assert credentials.requests() == []


def test_a_wrong_secret_is_an_api_error_that_prints_no_secret_or_signature(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, credentials: EmulatorControl
) -> None:
    wrong_secret = "wrong-" + DEFAULT_HMAC_SECRET_KEY[6:]
    monkeypatch.setenv("BINANCE_API_SECRET", wrong_secret)
    outcome = cancel(capsys, "--order-list-id", "0", "--json")
    assert outcome.exit_code == ExitCode.API_ERROR
    assert_one_error_line(outcome, "InvalidSignatureError", "-1022")
    assert json.loads(outcome.stdout)["code"] == -1022
    assert wrong_secret not in outcome.stdout + outcome.stderr
    assert_no_secrets(credentials, outcome.stdout, outcome.stderr)


@pytest.mark.parametrize(
    ("fault", "exit_code", "error_class"),
    [
        (FaultKind.SERVER_ERROR_EMPTY, ExitCode.UNKNOWN_EXECUTION_STATUS, "UnknownExecutionStatusError"),
        (FaultKind.BACKEND_TIMEOUT, ExitCode.UNKNOWN_EXECUTION_STATUS, "UnknownExecutionStatusError"),
        (FaultKind.DROPPED_CONNECTION, ExitCode.UNKNOWN_EXECUTION_STATUS, "UnknownExecutionStatusError"),
        (FaultKind.RATE_LIMITED, ExitCode.RATE_LIMITED, "RateLimitError"),
        (FaultKind.IP_BANNED, ExitCode.RATE_LIMITED, "IPBanError"),
        (FaultKind.WAF_FORBIDDEN, ExitCode.API_ERROR, "BinanceAPIError"),
        (FaultKind.MALFORMED_JSON, ExitCode.UNREADABLE_RESPONSE, "ResponseDecodeError"),
    ],
)
def test_each_kind_of_failure_has_its_documented_exit_code(
    capsys: pytest.CaptureFixture[str],
    credentials: EmulatorControl,
    order_list: CreatedOrderList,
    fault: FaultKind,
    exit_code: ExitCode,
    error_class: str,
) -> None:
    credentials.add_fault(fault, path="/api/v3/orderList")
    outcome = cancel(capsys, "--order-list-id", str(order_list.order_list_id))
    assert outcome.exit_code == exit_code
    assert_one_error_line(outcome, error_class)
    assert_no_secrets(credentials, outcome.stdout, outcome.stderr)


def test_unknown_execution_status_says_the_cancel_may_have_happened(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl, order_list: CreatedOrderList
) -> None:
    credentials.add_fault(FaultKind.SERVER_ERROR_JSON, path="/api/v3/orderList", status=503)
    outcome = cancel(capsys, "--order-list-id", str(order_list.order_list_id), "--json")
    assert outcome.exit_code == ExitCode.UNKNOWN_EXECUTION_STATUS
    assert_one_error_line(outcome, "UnknownExecutionStatusError", "UNKNOWN", "may or may not be cancelled")
    assert json.loads(outcome.stdout)["status_code"] == 503


def test_an_unreachable_server_is_a_transport_error(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    outcome = cancel(capsys, "--order-list-id", "0", "--base-url", f"http://127.0.0.1:{refused_port()}")
    assert outcome.exit_code == ExitCode.TRANSPORT_ERROR
    assert_one_error_line(outcome, "TransportError", "safe to send again")


def test_an_ed25519_key_file_signs_the_cancel(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    credentials: EmulatorControl,
    order_list: CreatedOrderList,
) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    password = "key-file-password"
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    credentials.register_ed25519_key("cli-ed25519-key", public_pem.decode())
    key_file = tmp_path / "ed25519.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password.encode()),
        )
    )
    monkeypatch.delenv("BINANCE_API_SECRET")
    monkeypatch.setenv("BINANCE_API_KEY", "cli-ed25519-key")
    monkeypatch.setenv("BINANCE_PRIVATE_KEY_FILE", str(key_file))
    monkeypatch.setenv("BINANCE_PRIVATE_KEY_PASSWORD", password)

    outcome = cancel(capsys, "--order-list-id", str(order_list.order_list_id))

    assert outcome.exit_code == ExitCode.OK, outcome.stderr
    assert password not in outcome.stdout + outcome.stderr
    assert_no_secrets(credentials, outcome.stdout, outcome.stderr)


def test_the_console_script_and_python_m_run_the_same_command(credentials: EmulatorControl) -> None:
    script = Path(sys.executable).with_name("binance-orderlist")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert (version.returncode, version.stdout) == (0, f"binance-orderlist {__version__}\n")

    environment = {**os.environ, "BINANCE_ORDERLIST_LOG": "debug"}
    arguments = ["cancel", "--symbol", "LTCBTC", "--order-list-id", "0"]
    first = subprocess.run(
        [sys.executable, "-m", "binance_orderlist", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    second = subprocess.run([str(script), *arguments], env=environment, capture_output=True, text=True, check=False)

    assert first.returncode == ExitCode.OK, first.stderr
    assert first.stdout.startswith("Cancelled order list 0 on LTCBTC")
    assert "DELETE" in first.stderr  # the debug log is on, and redacted
    assert second.returncode == ExitCode.UNKNOWN_ORDER_LIST
    assert_no_secrets(credentials, first.stdout, first.stderr, second.stdout, second.stderr)


NOT_IMPORTED_BY_ONE_CANCEL = {"httpx", "email", "asyncio", "cryptography", "aiohttp"}
"""What the CLI's one cancel with an HMAC key over http:// does not need (its cold run's time): the sync client's own
connections are httpcore's."""


def assert_one_cancel_imports_only_what_it_needs(order_list: CreatedOrderList) -> None:
    probe = (
        "import sys; from binance_orderlist._cli import main; exit_code = main(sys.argv[1:]); "
        "print(*sys.modules, file=sys.stderr); sys.exit(exit_code)"
    )
    arguments = ["cancel", "--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id)]
    run = subprocess.run([sys.executable, "-c", probe, *arguments], capture_output=True, text=True, check=False)

    assert run.returncode == ExitCode.OK, run.stderr
    assert run.stdout.startswith(f"Cancelled order list {order_list.order_list_id} on {SYMBOL}")
    loaded = {name.partition(".")[0] for name in run.stderr.split()}
    assert "httpcore" in loaded  # sent on the client's own connections (and the listing is the whole run's)
    assert not loaded & NOT_IMPORTED_BY_ONE_CANCEL


def test_one_cancel_imports_only_what_it_needs(credentials: EmulatorControl, order_list: CreatedOrderList) -> None:
    assert_one_cancel_imports_only_what_it_needs(order_list)


def test_one_cancel_over_https_imports_only_what_it_needs(
    credentials: EmulatorControl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against the emulator serving https:// with a certificate from a CA made here, trusted through
    ``SSL_CERT_FILE`` as httpx reads it: the TLS set-up needs no httpx either."""
    authority, server = trustme.CA(), tmp_path / "server.pem"
    authority.cert_pem.write_to_path(tmp_path / "ca.pem")
    authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(server)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    with EmulatorProcess(certfile=str(server)) as process, EmulatorControl(process.base_url) as emulator:
        assert process.base_url.startswith("https://")
        monkeypatch.setenv("BINANCE_BASE_URL", process.base_url)
        order_list = emulator.create_order_list(symbol=SYMBOL)
        assert_one_cancel_imports_only_what_it_needs(order_list)
        assert emulator.order_list(order_list.order_list_id).list_order_status == "ALL_DONE"


def test_exit_codes_are_the_documented_numbers() -> None:
    documented = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    assert {code.name: code.value for code in ExitCode} == {
        "OK": 0,
        "INTERNAL_ERROR": 1,
        "USAGE": 2,
        "INVALID_PARAMETER": 3,
        "CONFIGURATION": 4,
        "API_ERROR": 5,
        "UNKNOWN_ORDER_LIST": 6,
        "RATE_LIMITED": 7,
        "UNKNOWN_EXECUTION_STATUS": 8,
        "TRANSPORT_ERROR": 9,
        "UNREADABLE_RESPONSE": 10,
        "NOT_ALL_CLOSED": 11,
    }
    for code in ExitCode:
        assert f"| {code.value} | `{code.name}` |" in documented
