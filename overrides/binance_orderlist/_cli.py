"""The ``binance-orderlist`` command: cancel order lists and learn where they stand, from a shell or a script.

Credentials come from the environment (``SpotClient.from_env``), never from the command line, where
they would land in shell history and process listings. Each kind of outcome has its own exit code
(``ExitCode``), so a script can tell "nothing was sent" from "the cancel may have happened".
"""

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from attrs import frozen
from binance_orderlist_api.models import CancelOrderListResponse, OrderList
from binance_orderlist_api.operations import BINANCE_BASE_URLS, CANCEL_ORDER_LIST
from binance_orderlist_api.types import Unset
from binance_orderlist_rules import Parameter

from ._client import AsyncSpotClient, SpotClient
from ._logging import redact
from ._responses import RateLimitUsage
from ._validation import validate_arguments
from ._version import __version__
from .errors import (
    BinanceAPIError,
    BinanceError,
    ConfigurationError,
    IPBanError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    TransportError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)

if TYPE_CHECKING:
    from ._ensure import CancelConfirmation

__all__ = ["ExitCode", "main"]

PROG = "binance-orderlist"
# One option per parameter a caller sets (openapi.yaml's rules; the signing step's and client options' excluded).
_CANCEL_PARAMETERS = tuple(parameter for parameter in CANCEL_ORDER_LIST.parameters if parameter.per_call)


class ExitCode(IntEnum):
    """What the process exit status means; docs/cli.md has the same table."""

    OK = 0
    """The order list was cancelled."""
    INTERNAL_ERROR = 1
    """An unexpected failure (a bug): the cancel may or may not have been sent."""
    USAGE = 2
    """The command line is malformed (argparse's own code). Nothing was sent."""
    INVALID_PARAMETER = 3
    """A parameter breaks a rule (RequestValidationError). Nothing was sent."""
    CONFIGURATION = 4
    """Credentials, key file or base URL are missing or unusable (ConfigurationError). Nothing was sent."""
    API_ERROR = 5
    """Binance rejected the request (BinanceAPIError: bad signature, timestamp, parameters...). Nothing executed."""
    UNKNOWN_ORDER_LIST = 6
    """-2011: no open order list matches; it never existed or is already cancelled."""
    RATE_LIMITED = 7
    """429 or 418: wait the printed Retry-After before sending anything again."""
    UNKNOWN_EXECUTION_STATUS = 8
    """5XX, -1007, or the connection died after sending: the list MAY be cancelled; query it before acting."""
    TRANSPORT_ERROR = 9
    """The request could not be sent (connection refused, DNS); nothing reached Binance, safe to retry."""
    UNREADABLE_RESPONSE = 10
    """Binance answered 200 (the cancel happened) but the body could not be read (ResponseDecodeError)."""
    NOT_ALL_CLOSED = 11
    """``cancel-all``: at least one list of the symbol may still be open (its line says why)."""


# Most specific first: the first class the error is an instance of decides.
_EXIT_CODES: tuple[tuple[type[BinanceError], ExitCode], ...] = (
    (RequestValidationError, ExitCode.INVALID_PARAMETER),
    (ConfigurationError, ExitCode.CONFIGURATION),
    (UnknownOrderListError, ExitCode.UNKNOWN_ORDER_LIST),
    (RateLimitError, ExitCode.RATE_LIMITED),
    (IPBanError, ExitCode.RATE_LIMITED),
    (BinanceAPIError, ExitCode.API_ERROR),
    (UnknownExecutionStatusError, ExitCode.UNKNOWN_EXECUTION_STATUS),
    (TransportError, ExitCode.TRANSPORT_ERROR),
    (ResponseDecodeError, ExitCode.UNREADABLE_RESPONSE),
    (BinanceError, ExitCode.INTERNAL_ERROR),
)


def _exit_code_for(error: BinanceError) -> ExitCode:
    return next(code for error_class, code in _EXIT_CODES if isinstance(error, error_class))


CANCEL_ALL_IN_FLIGHT = 5
"""Cancels ``cancel-all`` keeps in flight at once: a cancel weighs 1 (0 on success) against 6,000 a minute, and
Binance's order-rate limits count new orders, not cancels; a 429 is still waited out by the client."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Cancel Binance Spot order lists (DELETE /api/v3/orderList) and query them.",
        epilog="Credentials: BINANCE_API_KEY with BINANCE_API_SECRET (HMAC) or BINANCE_PRIVATE_KEY_FILE "
        "(Ed25519 or RSA, + BINANCE_PRIVATE_KEY_PASSWORD); BINANCE_BASE_URL picks the server (several, separated by "
        "commas, to fail over among them). "
        "Exit codes are listed in docs/cli.md.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cancel = commands.add_parser(
        "cancel",
        help="cancel an entire order list",
        description="Cancel an entire order list, identified by --order-list-id and/or --list-client-order-id "
        "(when both are given they must name the same list).",
    )
    for parameter in _CANCEL_PARAMETERS:
        value = parameter.items or parameter  # an array takes its items as separate words
        cancel.add_argument(
            _option(parameter),
            dest=parameter.python_name,
            required=parameter.required,
            nargs="+" if parameter.items else None,
            type=_argument_type(value),
            choices=value.enum or None,
            metavar=parameter.python_name.upper(),
            help=parameter.description.replace("%", "%%"),
        )
    _confirm_option(cancel)
    status = commands.add_parser("status", help="show one order list (Query Order list)")
    ids = status.add_mutually_exclusive_group(required=True)
    ids.add_argument("--order-list-id", type=int, metavar="ORDER_LIST_ID", help="the list's orderListId")
    ids.add_argument("--list-client-order-id", metavar="LIST_CLIENT_ORDER_ID", help="the list's listClientOrderId")
    commands.add_parser("open-lists", help="show every open order list (Query Open Order lists)")
    commands.add_parser(
        "ping",
        help="show each base URL's round-trip time, or why it cannot be reached",
        description="Sends GET /api/v3/ping (weight 1) to every base URL at once (--base-url, --failover or "
        "BINANCE_BASE_URL), each tried once, and shows how long each took to answer (connecting included) or why it "
        "failed; exit 0 if at least one answered.",
    )
    cancel_all = commands.add_parser(
        "cancel-all", help="cancel every open order list of a symbol", description="The outage tool: " + _CANCEL_ALL
    )
    cancel_all.add_argument("--symbol", required=True, help="cancel the open lists of this symbol only")
    _confirm_option(cancel_all)
    for command in commands.choices.values():
        command.add_argument(
            "--base-url",
            action="append",
            metavar="URL",
            help="server to send to (overrides BINANCE_BASE_URL); give it several times to fail over among them, in "
            "that order, when one cannot be reached",
        )
        command.add_argument(
            "--failover",
            action="store_true",
            help="fail over among Binance's documented production clusters (" + ", ".join(BINANCE_BASE_URLS) + "), "
            "after any --base-url given",
        )
        command.add_argument("--json", action="store_true", help="print the answer as JSON (Binance's field names)")
    return parser


_CANCEL_ALL = (
    "queries the open lists, cancels those of --symbol concurrently (a few at a time, within Binance's rate "
    "limits) and prints one line per list; exit 0 only if every one ended closed."
)


def _confirm_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confirm",
        action="store_true",
        help="when an answer is lost (5XX, -1007, dropped connection) or -2011 comes back, query the list and "
        "cancel again only if it is still open, until its state is certain (ensure_order_list_cancelled)",
    )


def _argument_type(rule: Parameter) -> Callable[[str], object]:
    """How the command line reads a word of ``rule``'s kind; the client then checks it against the rule."""
    if rule.kind == "integer":
        return int
    if rule.kind == "boolean":
        return _boolean
    return str


def _boolean(word: str) -> bool:
    if word not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {word!r}")
    return word == "true"


def _option(parameter: Parameter) -> str:
    return "--" + parameter.python_name.replace("_", "-")


@frozen
class _Shown:
    """A command's answer, made into text or JSON (Binance's field names) only once it is in hand, and the exit
    code it ends with: a cancel that happened is never reported as a failure because its report would not print."""

    text: Callable[[], str]
    json: Callable[[], object]
    exit_code: ExitCode = ExitCode.OK


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    base_urls = list(args.base_url or ())
    if args.failover:
        base_urls += [url for url in BINANCE_BASE_URLS if url not in base_urls]
    return {"base_url": base_urls} if base_urls else {}


def _cancel(args: argparse.Namespace) -> _Shown:
    request = {parameter.python_name: getattr(args, parameter.python_name) for parameter in _CANCEL_PARAMETERS}
    # The request is checked before the environment, so a wrong parameter is reported as such
    # whatever the credentials; the client checks it again, which costs nothing.
    validate_arguments(CANCEL_ORDER_LIST, request, {})
    with SpotClient.from_env(**_client_options(args)) as client:
        if not args.confirm:
            response = client.cancel_order_list(**request)
            usage = client.rate_limit_usage
            return _Shown(lambda: _format_response(response, usage), response.to_dict)
        ids = {name: request[name] for name in ("symbol", "order_list_id", "list_client_order_id", "recv_window")}
        confirmation = client.ensure_order_list_cancelled(**ids)
        usage = client.rate_limit_usage
        return _Shown(lambda: _format_confirmation(confirmation, usage), lambda: _confirmation_json(confirmation))


def _status(args: argparse.Namespace) -> _Shown:
    with SpotClient.from_env(**_client_options(args)) as client:
        order_list = client.query_order_list(
            order_list_id=args.order_list_id, orig_client_order_id=args.list_client_order_id
        )
    return _Shown(lambda: _format_list(order_list), order_list.to_dict)


def _open_lists(args: argparse.Namespace) -> _Shown:
    with SpotClient.from_env(**_client_options(args)) as client:
        open_lists = client.query_open_order_lists()
    return _Shown(
        lambda: "\n".join([_list_line(order_list) for order_list in open_lists] or ["No open order lists"]),
        open_lists.to_dict,
    )


def _cancel_all(args: argparse.Namespace) -> _Shown:
    validate_arguments(CANCEL_ORDER_LIST, {"symbol": args.symbol, "order_list_id": 0}, {})
    import asyncio  # only the concurrent commands need it: the one cancel does not import it

    return asyncio.run(_cancel_all_async(args))


async def _cancel_all_async(args: argparse.Namespace) -> _Shown:
    import asyncio

    async with AsyncSpotClient.from_env(**_client_options(args)) as client:
        lists = [order_list for order_list in await client.query_open_order_lists() if order_list.symbol == args.symbol]
        in_flight = asyncio.Semaphore(CANCEL_ALL_IN_FLIGHT)

        async def close(order_list: OrderList) -> tuple[str, bool, dict[str, object]]:
            async with in_flight:
                return await _close_one(client, order_list, confirm=args.confirm)

        outcomes = await asyncio.gather(*(close(order_list) for order_list in lists))
    lines = [f"{_list_line(order_list)}: {said}" for order_list, (said, _, _) in zip(lists, outcomes, strict=True)]
    all_closed = all(closed for _, closed, _ in outcomes)
    text = "\n".join(lines or [f"No open order lists on {args.symbol}"])
    entries = [entry for _, _, entry in outcomes]
    return _Shown(lambda: text, lambda: entries, ExitCode.OK if all_closed else ExitCode.NOT_ALL_CLOSED)


async def _close_one(
    client: AsyncSpotClient, order_list: OrderList, *, confirm: bool
) -> tuple[str, bool, dict[str, object]]:
    """One list's outcome line, whether it ended closed, and the same as JSON. Without ``--confirm`` a -2011 is
    closed too: the list was open a moment ago, so no open list matching it means it closed."""
    entry: dict[str, object] = {"orderListId": order_list.order_list_id, "symbol": order_list.symbol}
    symbol, order_list_id = order_list.symbol, order_list.order_list_id
    try:
        if confirm:
            confirmation = await client.ensure_order_list_cancelled(symbol=symbol, order_list_id=order_list_id)
            entry |= {"state": str(confirmation.state)}
            return str(confirmation.state), True, entry
        await client.cancel_order_list(symbol=symbol, order_list_id=order_list_id)
        entry |= {"state": "CANCELLED"}
        return "CANCELLED", True, entry
    except UnknownOrderListError as error:
        closed = not confirm and error.code == -2011
        entry |= {"state": "NOT_OPEN" if closed else "UNKNOWN", "error": type(error).__name__, "code": error.code}
        return f"{'NOT_OPEN' if closed else 'unknown'} ({_error_line(error).removeprefix(PROG + ': ')})", closed, entry
    except BinanceError as error:
        entry |= {"state": "UNKNOWN", "error": type(error).__name__, "message": str(error)}
        return f"not known to be closed ({_error_line(error).removeprefix(PROG + ': ')})", False, entry


@frozen
class _Ping:
    """One base URL's answer to ``ping``: how long ``GET /api/v3/ping`` took (microseconds), or why it failed."""

    base_url: str
    outcome: int | BinanceError

    def line(self, width: int) -> str:
        if isinstance(self.outcome, BinanceError):
            return f"{self.base_url.ljust(width)}  failed  {_error_line(self.outcome).removeprefix(PROG + ': ')}"
        return f"{self.base_url.ljust(width)}  open    {self.outcome / 1000:.1f} ms"

    def to_json(self) -> dict[str, object]:
        if isinstance(self.outcome, BinanceError):
            failure = {"error": type(self.outcome).__name__, "message": redact(str(self.outcome))}
            return {"baseUrl": self.base_url, "open": False, "roundTripMs": None, **failure}
        return {"baseUrl": self.base_url, "open": True, "roundTripMs": self.outcome / 1000, "error": None}


def _ping(args: argparse.Namespace) -> _Shown:
    import asyncio  # as in _cancel_all

    return asyncio.run(_ping_async(args))


async def _ping_async(args: argparse.Namespace) -> _Shown:
    import asyncio

    async with AsyncSpotClient.from_env(**_client_options(args)) as client:
        pings = await asyncio.gather(*(_ping_one(client, base_url) for base_url in client.base_urls))
    width = max(len(ping.base_url) for ping in pings)
    failures = [ping.outcome for ping in pings if isinstance(ping.outcome, BinanceError)]
    exit_code = _exit_code_for(failures[0]) if len(failures) == len(pings) else ExitCode.OK
    lines = "\n".join(ping.line(width) for ping in pings)
    return _Shown(lambda: lines, lambda: [ping.to_json() for ping in pings], exit_code)


async def _ping_one(client: AsyncSpotClient, base_url: str) -> _Ping:
    one = client.with_options(base_url=base_url, max_retries=0)
    started = time.monotonic_ns()
    try:
        await one.ping()
    except BinanceError as error:
        return _Ping(base_url, error)
    return _Ping(base_url, (time.monotonic_ns() - started) // 1000)


_COMMANDS: dict[str, Callable[[argparse.Namespace], _Shown]] = {
    "cancel": _cancel,
    "status": _status,
    "open-lists": _open_lists,
    "cancel-all": _cancel_all,
    "ping": _ping,
}


def _format_time(transaction_time: int) -> str:
    """Milliseconds since the epoch as ISO 8601 UTC, with the raw number for exactness (alone when it is no
    date a datetime can hold: the cancel happened whatever the server wrote there)."""
    try:
        moment = datetime.fromtimestamp(transaction_time / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return f"{transaction_time} (not a representable date)"
    return f"{moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')} ({transaction_time})"


def _list_line(order_list: OrderList) -> str:
    orders = ", ".join(str(order.order_id) for order in order_list.orders)
    return (
        f"{order_list.symbol} orderListId {order_list.order_list_id} ({order_list.list_client_order_id}) "
        f"{order_list.contingency_type} {order_list.list_order_status}, orders {orders}"
    )


def _format_list(order_list: OrderList) -> str:
    """One list as Query Order list answers it (no order reports: the ids of its orders)."""
    lines = [
        f"Order list {order_list.order_list_id} on {order_list.symbol}",
        f"  contingency type      {order_list.contingency_type}",
        f"  list status type      {order_list.list_status_type}",
        f"  list order status     {order_list.list_order_status}",
        f"  list client order id  {order_list.list_client_order_id}",
        f"  transaction time      {_format_time(order_list.transaction_time)}",
        f"  orders ({len(order_list.orders)}):",
    ]
    lines += [f"    {order.order_id}  {order.client_order_id}" for order in order_list.orders]
    return "\n".join(lines)


def _format_confirmation(confirmation: "CancelConfirmation", usage: RateLimitUsage) -> str:
    tried = f"{confirmation.cancels_sent} cancel(s), {confirmation.queries_sent} query(ies)"
    if confirmation.report is not None:
        return f"State: {confirmation.state} ({tried})\n" + _format_response(confirmation.report, usage)
    assert confirmation.order_list is not None  # NOT_OPEN always holds the query's answer
    return (
        f"State: {confirmation.state} ({tried}): the list is closed, but no cancel report came back (a lost answer "
        "cancelled it, or it was already closed)\n" + _format_list(confirmation.order_list)
    )


def _confirmation_json(confirmation: "CancelConfirmation") -> dict[str, Any]:
    report, order_list = confirmation.report, confirmation.order_list
    return {
        "state": str(confirmation.state),
        "cancelsSent": confirmation.cancels_sent,
        "queriesSent": confirmation.queries_sent,
        "report": None if report is None else report.to_dict(),
        "orderList": None if order_list is None else order_list.to_dict(),
    }


def _format_response(response: CancelOrderListResponse, usage: RateLimitUsage) -> str:
    """The cancelled list as a short readable report; prices and quantities exactly as Binance sent them."""
    lines = [
        f"Cancelled order list {response.order_list_id} on {response.symbol}",
        f"  contingency type      {response.contingency_type}",
        f"  list status type      {response.list_status_type}",
        f"  list order status     {response.list_order_status}",
        f"  list client order id  {response.list_client_order_id}",
        f"  transaction time      {_format_time(response.transaction_time)}",
    ]
    if usage.used_weight:
        weights = ", ".join(f"{interval} {used}" for interval, used in sorted(usage.used_weight.items()))
        lines.append(f"  request weight used   {weights}")
    header = ("order id", "client order id", "side", "type", "price", "stop price", "quantity", "executed", "status")
    rows = [header] + [
        (
            str(report.order_id),
            report.orig_client_order_id,
            str(report.side),
            str(report.type_),
            report.price,
            "-" if isinstance(report.stop_price, Unset) else report.stop_price,
            report.orig_qty,
            report.executed_qty,
            str(report.status),
        )
        for report in response.order_reports
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines.append(f"  orders ({len(response.order_reports)}):")
    lines += [
        "    " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines)


def _error_line(error: BinanceError) -> str:
    """One line, signatures redacted (messages never hold secrets, but a URL could carry a signature)."""
    message = str(error)
    if isinstance(error, RequestValidationError):
        message = f"--{error.parameter.replace('_', '-')}: {error.rule}"
    return f"{PROG}: {type(error).__name__}: {redact(' '.join(message.split()))}"


def _error_json(error: BinanceError, exit_code: ExitCode) -> str:
    details: dict[str, object] = {"error": type(error).__name__, "exit_code": int(exit_code), "message": str(error)}
    if isinstance(error, RequestValidationError):
        details["parameter"] = error.parameter
    if isinstance(error, BinanceAPIError | UnknownExecutionStatusError | ResponseDecodeError):
        details.update(status_code=error.status_code, code=error.code, msg=error.msg)
    if isinstance(error, RateLimitError | IPBanError):
        details["retry_after"] = error.retry_after
    return redact(json.dumps(details))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (the console script passes it to ``sys.exit``)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_request:  # --help, --version and usage errors
        return exit_request.code if isinstance(exit_request.code, int) else ExitCode.USAGE
    try:
        shown = _COMMANDS[args.command](args)
    except BinanceError as error:
        exit_code = _exit_code_for(error)
        print(_error_line(error), file=sys.stderr)
        if args.json:
            print(_error_json(error, exit_code), file=sys.stdout)
        return exit_code
    except KeyboardInterrupt:
        print(
            f"{PROG}: interrupted: the cancel may have been sent; query the order list before acting", file=sys.stderr
        )
        return 128 + 2  # the shell's code for SIGINT
    except Exception as error:  # a bug: still one line, no traceback (whose frame locals an error reporter records)
        print(
            f"{PROG}: internal error ({type(error).__name__}: {redact(str(error))[:200]}): the cancel may or may not "
            "have been sent; query the order list before acting",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL_ERROR
    try:
        output = json.dumps(shown.json(), indent=2) if args.json else shown.text()
    except Exception as error:  # the command did its work (a cancel happened); only showing its answer failed
        print(
            f"{PROG}: {args.command} done, but the answer could not be shown ({type(error).__name__})", file=sys.stderr
        )
        return ExitCode.UNREADABLE_RESPONSE
    print(output, file=sys.stdout)
    return shown.exit_code
