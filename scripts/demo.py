"""The main job, end to end on this machine (`make demo`): cancel an OCO order list through the CLI.

1. start the emulator as a real process on a free 127.0.0.1 port;
2. create an OCO list through its control API;
3. cancel it with ``binance-orderlist cancel`` (credentials in BINANCE_* variables, as a user sets
   them), print the result and check the emulator now holds the list as cancelled;
4. cancel it again and show the typed ``-2011`` error (exit status 6);
5. an outage: a second list's cancel executes but its answer is lost (``-1007``): the plain cancel can
   only say "execution status unknown" (exit status 8); ``cancel --confirm``, still in the outage,
   loses its cancel's answer too, queries the list and settles it: ``NOT_OPEN`` (exit status 0);
6. stop the emulator.

Exit status 0 only when every step behaved as expected. The API secret is never printed.
"""

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from binance_orderlist._cli import ExitCode
from binance_orderlist_emulator import (
    DEFAULT_HMAC_API_KEY,
    DEFAULT_HMAC_SECRET_KEY,
    EmulatorControl,
    EmulatorProcess,
    FaultKind,
    OrderSpec,
)

SYMBOL = "BTCUSDT"
LIST_CLIENT_ORDER_ID = "demo-oco-take-profit-stop-loss"
OCO_ORDERS = (
    OrderSpec(side="SELL", type="LIMIT_MAKER", price=Decimal("72000.00"), quantity=Decimal("0.01500")),
    OrderSpec(
        side="SELL",
        type="STOP_LOSS_LIMIT",
        price=Decimal("58000.00"),
        stop_price=Decimal("58500.00"),
        quantity=Decimal("0.01500"),
    ),
)


class DemoFailure(Exception):
    """A step did not behave as expected; the message says which and how."""


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m binance_orderlist``."""
    script = Path(sys.executable).with_name("binance-orderlist")
    return [str(script)] if script.exists() else [sys.executable, "-m", "binance_orderlist"]


def cli_environment(base_url: str) -> dict[str, str]:
    """This process's environment with the BINANCE_* variables pointing at the emulator and its default key."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("BINANCE_")}
    environment.update(
        BINANCE_API_KEY=DEFAULT_HMAC_API_KEY, BINANCE_API_SECRET=DEFAULT_HMAC_SECRET_KEY, BINANCE_BASE_URL=base_url
    )
    return environment


def run_cli(arguments: Sequence[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    print(f"$ binance-orderlist {shlex.join(arguments)}")
    result = subprocess.run(
        [*cli_command(), *arguments], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    for stream in (result.stdout, result.stderr):
        if stream.strip():
            print("\n".join("  " + line for line in stream.rstrip().splitlines()))
    name = {code.value: code.name for code in ExitCode}.get(result.returncode, "unexpected")
    print(f"  (exit status {result.returncode}: {name})\n")
    return result


def expect(condition: bool, failure: str) -> None:
    if not condition:
        raise DemoFailure(failure)


def demo(emulator: EmulatorProcess) -> None:
    control = EmulatorControl(emulator.base_url)
    with control:
        created = control.create_order_list(
            symbol=SYMBOL, contingency_type="OCO", list_client_order_id=LIST_CLIENT_ORDER_ID, orders=OCO_ORDERS
        )
        print(
            f"Created an OCO order list on {SYMBOL} through the control API: orderListId {created.order_list_id}, "
            f"listClientOrderId {created.list_client_order_id}, orders {', '.join(map(str, created.order_ids))}\n"
        )
        print(
            f"Credentials as a user sets them: BINANCE_BASE_URL={emulator.base_url} "
            f"BINANCE_API_KEY={DEFAULT_HMAC_API_KEY[:8]}... BINANCE_API_SECRET=<the emulator's default secret>\n"
        )
        environment = cli_environment(emulator.base_url)
        cancel = ["cancel", "--symbol", SYMBOL, "--order-list-id", str(created.order_list_id)]

        first = run_cli(cancel, environment)
        expect(first.returncode == ExitCode.OK, f"the first cancel exited {first.returncode}, expected 0")
        expect(
            f"Cancelled order list {created.order_list_id} on {SYMBOL}" in first.stdout,
            "the first cancel did not print the cancelled list",
        )
        held = control.order_list(created.order_list_id)
        statuses = [order.status for order in held.orders]
        expect(
            held.list_order_status == "ALL_DONE" and statuses == ["CANCELED"] * len(OCO_ORDERS),
            f"the emulator holds the list as {held.list_order_status} with orders {statuses}",
        )
        print(f"The emulator confirms: list {held.list_order_status}, orders {', '.join(statuses)}\n")

        second = run_cli([*cancel, "--json"], environment)
        expect(
            second.returncode == ExitCode.UNKNOWN_ORDER_LIST,
            f"the second cancel exited {second.returncode}, expected {int(ExitCode.UNKNOWN_ORDER_LIST)}",
        )
        expect(
            "UnknownOrderListError" in second.stderr and '"code": -2011' in second.stdout,
            "the second cancel did not report the typed -2011 error",
        )
        lost = lost_answer_resolved(control, environment)
        printed = "".join(result.stdout + result.stderr for result in (first, second, *lost))
        expect(DEFAULT_HMAC_SECRET_KEY not in printed, "the CLI printed the API secret")


def lost_answer_resolved(
    control: EmulatorControl, environment: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """An outage: the cancel executes, its answer is lost; ``--confirm`` learns the outcome by querying."""
    created = control.create_order_list(symbol=SYMBOL, contingency_type="OCO", orders=OCO_ORDERS)
    cancel = ["cancel", "--symbol", SYMBOL, "--order-list-id", str(created.order_list_id)]
    print(f"An outage: list {created.order_list_id}'s cancels now execute, but their answer is lost (-1007)\n")
    control.add_fault(FaultKind.BACKEND_TIMEOUT, path="/api/v3/orderList", method="DELETE", apply_cancel=True)
    unknown = run_cli(cancel, environment)
    expect(
        unknown.returncode == ExitCode.UNKNOWN_EXECUTION_STATUS,
        f"the cancel with a lost answer exited {unknown.returncode}, expected {int(ExitCode.UNKNOWN_EXECUTION_STATUS)}",
    )
    control.add_fault(FaultKind.BACKEND_TIMEOUT, path="/api/v3/orderList", method="DELETE", apply_cancel=True)
    control.clear_requests()
    confirmed = run_cli([*cancel, "--confirm"], environment)
    expect(confirmed.returncode == ExitCode.OK, f"cancel --confirm exited {confirmed.returncode}, expected 0")
    expect("State: NOT_OPEN" in confirmed.stdout, "cancel --confirm did not settle the list as NOT_OPEN")
    sent = [(logged.method, logged.status) for logged in control.requests()]
    expect(sent == [("DELETE", 500), ("GET", 200)], f"cancel --confirm sent {sent}, expected a cancel then a query")
    print("cancel --confirm sent one cancel (its answer lost again) and one query, which showed ALL_DONE\n")
    return unknown, confirmed


def main() -> int:
    started = time.monotonic()
    try:
        with EmulatorProcess() as emulator:
            print(f"Started the emulator at {emulator.base_url}\n")
            demo(emulator)
        print("Stopped the emulator.")
    except DemoFailure as failure:
        print(f"demo: FAILED: {failure}", file=sys.stderr)
        return 1
    print(
        "demo: OK: cancelled an OCO list, got the typed -2011 error, and resolved a lost answer with --confirm "
        f"({time.monotonic() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
