"""The emulator as a real process: the issue's end-to-end cancel, and the command line's promises."""

import signal
import subprocess
import sys

import httpx
import pytest
from binance_orderlist_emulator import EmulatorControl, EmulatorProcess, FaultKind

from .by_hand import assert_matches_spec, cancel_params, error_of, hmac_signed, send_cancel

SEED_ORDERS = [
    {"symbol": "LTCBTC", "orderId": 2, "clientOrderId": "pO9ufTiFGg3nw2fOdgeOXa"},
    {"symbol": "LTCBTC", "orderId": 3, "clientOrderId": "TXOvglzXuaubXAaENpaRCB"},
]


def test_create_cancel_then_cancel_again_over_real_http(emulator: EmulatorControl) -> None:
    created = emulator.create_order_list(symbol="BTCUSDT", list_client_order_id="my-list-1")
    assert created.order_list_id > 0
    params = cancel_params(symbol="BTCUSDT", orderListId=created.order_list_id, newClientOrderId="cancel-1")
    with httpx.Client(base_url=emulator.base_url) as client:
        first = send_cancel(client, hmac_signed(params))
        second = send_cancel(client, hmac_signed(params))

    assert first.status_code == 200
    assert_matches_spec(first)
    body = first.json()
    assert list(body) == [
        "orderListId",
        "contingencyType",
        "listStatusType",
        "listOrderStatus",
        "listClientOrderId",
        "transactionTime",
        "symbol",
        "orders",
        "orderReports",
    ]
    assert (body["orderListId"], body["listClientOrderId"]) == (created.order_list_id, "my-list-1")
    assert (body["listStatusType"], body["listOrderStatus"]) == ("ALL_DONE", "ALL_DONE")
    assert [order["orderId"] for order in body["orders"]] == list(created.order_ids)
    assert [report["origClientOrderId"] for report in body["orderReports"]] == list(created.client_order_ids)
    assert {report["clientOrderId"] for report in body["orderReports"]} == {"cancel-1"}
    assert {report["status"] for report in body["orderReports"]} == {"CANCELED"}
    assert all("origQuoteOrderQty" in report for report in body["orderReports"])
    assert error_of(second) == (400, -2011, "Unknown order list sent.")
    assert {order.status for order in emulator.order_list(created.order_list_id).orders} == {"CANCELED"}


def test_the_seed_documents_example_list_is_there_out_of_the_box(emulator: EmulatorControl) -> None:
    with httpx.Client(base_url=emulator.base_url) as client:
        response = send_cancel(client, hmac_signed(cancel_params(listClientOrderId="C3wyj4WVEktd7u9aVBRXcN")))
    body = response.json()
    assert (body["orderListId"], body["symbol"], body["orders"]) == (0, "LTCBTC", SEED_ORDERS)
    assert [report["price"] for report in body["orderReports"]] == ["1.00000000", "3.00000000"]
    assert "stopPrice" in body["orderReports"][0]
    assert "stopPrice" not in body["orderReports"][1]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"timestamp": 1499827319559}, (400, -1021, "Timestamp for this request is outside of the recvWindow.")),
        (
            {"orderListId": None},
            (400, -1102, "Param 'orderListId' or 'listClientOrderId' must be sent, but both were empty/null!"),
        ),
        ({"recvWindow": 60001}, (400, -1131, "recvWindow must be less than 60000.")),
        ({"listClientOrderId": "not-the-seed-list"}, (400, -2011, "Unknown order list sent.")),
    ],
)
def test_documented_errors_over_real_http(
    emulator: EmulatorControl, overrides: dict[str, object], expected: tuple[int, int, str]
) -> None:
    with httpx.Client(base_url=emulator.base_url) as client:
        assert error_of(send_cancel(client, hmac_signed(cancel_params(**overrides)))) == expected


def test_a_bad_signature_over_real_http(emulator: EmulatorControl) -> None:
    with httpx.Client(base_url=emulator.base_url) as client:
        response = send_cancel(client, hmac_signed(cancel_params(), secret="not-the-secret"))
    assert error_of(response) == (400, -1022, "Signature for this request is not valid.")
    assert emulator.order_list(0).list_order_status == "EXECUTING"


def test_the_command_prints_only_its_url_logs_nothing_and_ends_cleanly_on_sigterm() -> None:
    command = [sys.executable, "-m", "binance_orderlist_emulator", "--port", "0", "--response-version", "older"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rstrip("\n")
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/api/v3/time").status_code == 200
        with EmulatorControl(url) as control:
            control.add_fault(FaultKind.DROPPED_CONNECTION)
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{url}/api/v3/time")
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=10)
    assert (process.returncode, stdout, stderr) == (0, "", "")


def test_bench_mode_keeps_no_request_log() -> None:
    with EmulatorProcess(bench=True) as process, EmulatorControl(process.base_url) as control:
        with httpx.Client(base_url=process.base_url) as client:
            responses = [client.get("/api/v3/time") for _ in range(3)]
        assert [response.status_code for response in responses] == [200, 200, 200]
        assert control.requests() == []


def test_a_process_that_prints_no_url_is_reported() -> None:
    broken = EmulatorProcess(response_version="sideways", stderr=subprocess.DEVNULL)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="did not print its URL"):
        broken.start()
    with pytest.raises(RuntimeError, match="has not been started"):
        _ = broken.base_url


def test_a_key_without_its_certificate_is_a_usage_error() -> None:
    """``--keyfile`` alone would reach uvicorn's assert and die with a traceback and no URL: refused as usage."""
    done = subprocess.run(
        [sys.executable, "-m", "binance_orderlist_emulator", "--keyfile", "key.pem"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--keyfile needs --certfile" in done.stderr
    assert "Traceback" not in done.stderr
