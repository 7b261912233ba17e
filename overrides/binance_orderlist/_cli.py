"""The ``binance-orderlist`` command: cancel an order list from a shell or a script.

Credentials come from the environment (``SpotClient.from_env``), never from the command line, where
they would land in shell history and process listings. Each kind of outcome has its own exit code
(``ExitCode``), so a script can tell "nothing was sent" from "the cancel may have happened".
"""

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum

from binance_orderlist_api.models import CancelOrderListResponse
from binance_orderlist_api.operations import CANCEL_ORDER_LIST, Parameter
from binance_orderlist_api.types import Unset

from ._client import SpotClient
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Cancel a Binance Spot order list (DELETE /api/v3/orderList).",
        epilog="Credentials: BINANCE_API_KEY with BINANCE_API_SECRET (HMAC) or BINANCE_PRIVATE_KEY_FILE "
        "(Ed25519 or RSA, + BINANCE_PRIVATE_KEY_PASSWORD); BINANCE_BASE_URL picks the server. "
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
        cancel.add_argument(
            _option(parameter),
            dest=parameter.python_name,
            required=parameter.required,
            type=int if parameter.kind == "integer" else str,
            choices=parameter.enum or None,
            metavar=parameter.python_name.upper(),
            help=parameter.description.replace("%", "%%"),
        )
    cancel.add_argument("--base-url", metavar="URL", help="server to send to (overrides BINANCE_BASE_URL)")
    cancel.add_argument("--json", action="store_true", help="print the response as JSON (Binance's field names)")
    return parser


def _option(parameter: Parameter) -> str:
    return "--" + parameter.python_name.replace("_", "-")


def _cancel(args: argparse.Namespace) -> tuple[CancelOrderListResponse, RateLimitUsage]:
    request = {parameter.python_name: getattr(args, parameter.python_name) for parameter in _CANCEL_PARAMETERS}
    # The request is checked before the environment, so a wrong parameter is reported as such
    # whatever the credentials; the client checks it again, which costs nothing.
    validate_arguments(CANCEL_ORDER_LIST, request, {})
    options = {} if args.base_url is None else {"base_url": args.base_url}
    with SpotClient.from_env(**options) as client:
        response = client.cancel_order_list(**request)
        return response, client.rate_limit_usage


def _format_time(transaction_time: int) -> str:
    """Milliseconds since the epoch as ISO 8601 UTC, with the raw number for exactness (alone when it is no
    date a datetime can hold: the cancel happened whatever the server wrote there)."""
    try:
        moment = datetime.fromtimestamp(transaction_time / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return f"{transaction_time} (not a representable date)"
    return f"{moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')} ({transaction_time})"


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
        response, usage = _cancel(args)
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
        output = json.dumps(response.to_dict(), indent=2) if args.json else _format_response(response, usage)
    except Exception as error:  # the cancel happened; only its report failed
        print(f"{PROG}: cancelled, but the response could not be shown ({type(error).__name__})", file=sys.stderr)
        return ExitCode.UNREADABLE_RESPONSE
    print(output, file=sys.stdout)
    return ExitCode.OK
