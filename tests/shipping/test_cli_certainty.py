"""``cancel --confirm``, ``status``, ``open-lists`` and ``cancel-all`` against the emulator as a real server."""

import json

import pytest
from binance_orderlist import _cli as cli
from binance_orderlist._cli import CANCEL_ALL_IN_FLIGHT, ExitCode, main
from binance_orderlist_emulator import CreatedOrderList, EmulatorControl, FaultKind

from .conftest import SYMBOL
from .test_cli import Outcome, assert_no_secrets

PATH = "/api/v3/orderList"


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> Outcome:
    exit_code = main(list(arguments))
    captured = capsys.readouterr()
    return Outcome(exit_code, captured.out, captured.err)


def sent(emulator: EmulatorControl) -> list[tuple[str, str]]:
    return [(logged.method, logged.path) for logged in emulator.requests()]


def test_confirm_after_a_plain_cancel_says_cancelled(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    outcome = run(capsys, "cancel", "--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id), "--confirm")
    assert outcome.exit_code == ExitCode.OK
    assert outcome.stdout.startswith("State: CANCELLED (1 cancel(s), 0 query(ies))\nCancelled order list")
    assert sent(credentials) == [("DELETE", PATH)]


@pytest.mark.parametrize("kind", [FaultKind.BACKEND_TIMEOUT, FaultKind.SERVER_ERROR_HTML])
def test_confirm_resolves_a_lost_answer(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl, kind: FaultKind
) -> None:
    credentials.add_fault(kind, path=PATH, method="DELETE", apply_cancel=True)
    outcome = run(capsys, "cancel", "--symbol", SYMBOL, "--list-client-order-id", "cli-test-oco", "--confirm", "--json")
    assert outcome.exit_code == ExitCode.OK, outcome.stderr
    answer = json.loads(outcome.stdout)
    assert (answer["state"], answer["report"], answer["cancelsSent"], answer["queriesSent"]) == ("NOT_OPEN", None, 1, 1)
    assert answer["orderList"]["listOrderStatus"] == "ALL_DONE"
    assert sent(credentials) == [("DELETE", PATH), ("GET", PATH)]
    assert_no_secrets(credentials, outcome.stdout, outcome.stderr)


def test_without_confirm_a_lost_answer_stays_unknown(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    credentials.add_fault(FaultKind.BACKEND_TIMEOUT, path=PATH, method="DELETE", apply_cancel=True)
    outcome = run(capsys, "cancel", "--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id))
    assert outcome.exit_code == ExitCode.UNKNOWN_EXECUTION_STATUS
    assert sent(credentials) == [("DELETE", PATH)]


def test_confirm_keeps_the_codes_of_what_it_cannot_settle(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    never = run(capsys, "cancel", "--symbol", SYMBOL, "--order-list-id", "99", "--confirm")
    assert never.exit_code == ExitCode.UNKNOWN_ORDER_LIST
    assert "-2013" in never.stderr
    credentials.add_fault(FaultKind.BACKEND_TIMEOUT, path=PATH, method="DELETE")
    credentials.add_fault(FaultKind.SERVER_ERROR_EMPTY, path=PATH, method="GET", count=None)
    unsettled = run(capsys, "cancel", "--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id), "--confirm")
    assert unsettled.exit_code == ExitCode.UNKNOWN_EXECUTION_STATUS
    assert "nothing definite learned" in unsettled.stderr
    assert [method for method, _ in sent(credentials)].count("DELETE") == 2  # one each run: never re-sent blindly


def test_status_by_either_id(
    capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList, credentials: EmulatorControl
) -> None:
    text = run(capsys, "status", "--order-list-id", str(order_list.order_list_id))
    assert text.exit_code == ExitCode.OK
    assert f"Order list {order_list.order_list_id} on {SYMBOL}" in text.stdout
    assert "list order status     EXECUTING" in text.stdout
    as_json = run(capsys, "status", "--list-client-order-id", "cli-test-oco", "--json")
    body = json.loads(as_json.stdout)
    assert (body["orderListId"], body["listOrderStatus"]) == (order_list.order_list_id, "EXECUTING")
    assert [order["orderId"] for order in body["orders"]] == list(order_list.order_ids)


def test_status_needs_exactly_one_id_and_a_list_that_exists(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    assert run(capsys, "status").exit_code == ExitCode.USAGE
    assert run(capsys, "status", "--order-list-id", "1", "--list-client-order-id", "x").exit_code == ExitCode.USAGE
    assert run(capsys, "status", "--list-client-order-id", "bad id").exit_code == ExitCode.INVALID_PARAMETER
    assert credentials.requests() == []
    missing = run(capsys, "status", "--order-list-id", "99")
    assert missing.exit_code == ExitCode.UNKNOWN_ORDER_LIST
    assert "Order list does not exist" in missing.stderr


def test_open_lists(capsys: pytest.CaptureFixture[str], order_list: CreatedOrderList) -> None:
    text = run(capsys, "open-lists")
    assert text.exit_code == ExitCode.OK
    assert (
        text.stdout.splitlines()
        == [
            "LTCBTC orderListId 0 (C3wyj4WVEktd7u9aVBRXcN) OCO EXECUTING, orders 2, 3",
            f"{SYMBOL} orderListId {order_list.order_list_id} (cli-test-oco) OCO EXECUTING, "
            + ", ".join(map(str, order_list.order_ids)),
        ]
        or text.stdout
    )
    run(capsys, "cancel", "--symbol", "LTCBTC", "--order-list-id", "0")
    assert [item["symbol"] for item in json.loads(run(capsys, "open-lists", "--json").stdout)] == [SYMBOL]


def test_open_lists_when_there_are_none(capsys: pytest.CaptureFixture[str], credentials: EmulatorControl) -> None:
    run(capsys, "cancel", "--symbol", "LTCBTC", "--order-list-id", "0")
    assert run(capsys, "open-lists").stdout == "No open order lists\n"


def open_lists_of(emulator: EmulatorControl, count: int) -> list[CreatedOrderList]:
    return [emulator.create_order_list(symbol=SYMBOL) for _ in range(count)]


def test_cancel_all_cancels_the_symbols_lists_only(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    created = open_lists_of(credentials, CANCEL_ALL_IN_FLIGHT + 2)
    outcome = run(capsys, "cancel-all", "--symbol", SYMBOL)
    assert outcome.exit_code == ExitCode.OK, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert len(lines) == len(created)
    assert all(line.endswith(": CANCELLED") for line in lines)
    assert {credentials.order_list(c.order_list_id).list_order_status for c in created} == {"ALL_DONE"}
    assert credentials.order_list(0).list_order_status == "EXECUTING"  # LTCBTC's
    assert sent(credentials).count(("DELETE", PATH)) == len(created)
    assert sent(credentials).count(("GET", "/api/v3/openOrderList")) == 1


def test_cancel_all_exit_code_says_whether_every_list_closed(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    created = open_lists_of(credentials, 3)
    credentials.add_fault(FaultKind.BACKEND_TIMEOUT, path=PATH, method="DELETE")  # one cancel lost, not executed
    unsure = run(capsys, "cancel-all", "--symbol", SYMBOL, "--json")
    assert unsure.exit_code == ExitCode.NOT_ALL_CLOSED
    states = [entry["state"] for entry in json.loads(unsure.stdout)]
    assert sorted(states) == ["CANCELLED", "CANCELLED", "UNKNOWN"]
    credentials.add_fault(FaultKind.BACKEND_TIMEOUT, path=PATH, method="DELETE")
    confirmed = run(capsys, "cancel-all", "--symbol", SYMBOL, "--confirm")
    assert confirmed.exit_code == ExitCode.OK, confirmed.stdout
    assert confirmed.stdout.count(": CANCELLED") == 1
    assert {credentials.order_list(c.order_list_id).list_order_status for c in created} == {"ALL_DONE"}


def test_cancel_all_with_no_list_of_the_symbol(
    capsys: pytest.CaptureFixture[str], credentials: EmulatorControl
) -> None:
    outcome = run(capsys, "cancel-all", "--symbol", SYMBOL)
    assert (outcome.exit_code, outcome.stdout) == (ExitCode.OK, f"No open order lists on {SYMBOL}\n")
    assert run(capsys, "cancel-all", "--symbol", "bad symbol").exit_code == ExitCode.INVALID_PARAMETER


def test_a_cancel_whose_answer_cannot_be_shown_is_not_a_failure_to_cancel(
    capsys: pytest.CaptureFixture[str],
    order_list: CreatedOrderList,
    credentials: EmulatorControl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unprintable(*_: object) -> str:
        raise ValueError("cannot show this")

    monkeypatch.setattr(cli, "_format_response", unprintable)
    outcome = run(capsys, "cancel", "--symbol", SYMBOL, "--order-list-id", str(order_list.order_list_id))
    assert outcome.exit_code == ExitCode.UNREADABLE_RESPONSE
    assert outcome.stderr == "binance-orderlist: cancel done, but the answer could not be shown (ValueError)\n"
    assert credentials.order_list(order_list.order_list_id).list_order_status == "ALL_DONE"
