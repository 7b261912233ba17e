"""Reading an operation's parameters with Binance's error codes, by the rules generated from openapi.yaml.

Each rule (``binance_orderlist_api.operations``) is the one the client validates with; what is written
here is how Binance reports a broken one: -1102 for a missing parameter, -1105 for an empty one,
-1111 for too many decimals, the parameter's own ``x-errors`` code where it has one, else -1100
quoting the parameter's legal range. Query (and form body) parameters and header parameters are read
alike, each from where openapi.yaml puts it.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from binance_orderlist_api.operations import (
    BAD_PRECISION,
    CANCEL_ORDER_LIST,
    ILLEGAL_CHARS,
    MANDATORY_PARAM_EMPTY_OR_MALFORMED,
    PARAM_NOT_REQUIRED,
    TOO_MANY_PARAMETERS,
    UNREAD_PARAMETERS,
)
from binance_orderlist_api.server_parameters import CancelOrderListParameters
from binance_orderlist_rules import Operation, Parameter, Problem

from ._rejections import BinanceRejection, empty_parameter, illegal_characters, mandatory_parameter

# Parameters of Binance's other order endpoints: known to the API, so Binance names them (-1106) instead of -1104.
_NOT_REQUIRED_HERE = frozenset(
    {"orderId", "origClientOrderId", "side", "type", "quantity", "price", "stopPrice", "timeInForce"}
    | {"cancelRestrictions", "newOrderRespType", "selfTradePreventionMode", "quoteOrderQty", "icebergQty"}
)


CLIENT_ORDER_ID = CANCEL_ORDER_LIST.parameter("listClientOrderId")


CancelParameters = CancelOrderListParameters
"""The cancel's parameters, typed (generated from openapi.yaml)."""


def is_legal_symbol(value: str) -> bool:
    """Whether ``value`` is a symbol openapi.yaml allows (for lists created through the control API)."""
    return CANCEL_ORDER_LIST.parameter("symbol").problem(value) is None


def is_client_order_id(value: str) -> bool:
    return CLIENT_ORDER_ID.problem(value) is None


def parse_cancel_parameters(
    query: bytes, body: bytes, *, decimal_recv_window: bool, headers: Mapping[str, str] | None = None
) -> CancelParameters:
    """The parameters of the query and the form body (both without the signature) and of the headers;
    ``decimal_recv_window`` is the newer document's DECIMAL recvWindow."""
    return CancelParameters.from_wire(
        parse_wire(CANCEL_ORDER_LIST, query, body, decimal_recv_window=decimal_recv_window, headers=headers)
    )


def parse_wire(
    operation: Operation[Any],
    query: bytes,
    body: bytes,
    *,
    decimal_recv_window: bool,
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Any operation's parameters from the query and the form body, and from ``headers`` (a case-insensitive
    mapping, as Starlette's) for its header parameters, checked by its rules (wire texts)."""
    return read_parameters(
        operation, sent_parameters(query, body), headers or {}, older_document=not decimal_recv_window
    )


def read_parameters(
    operation: Operation[Any], sent: dict[str, str], headers: Mapping[str, str], *, older_document: bool
) -> dict[str, str]:
    """The operation's parameters as sent (wire text), the spec's defaults for those not sent; Binance's
    error for the first broken rule: presence first, then each parameter in the spec's order."""
    query = [parameter for parameter in operation.parameters if parameter.location == "query"]
    sent_headers = {
        parameter.name: headers[parameter.name]
        for parameter in operation.parameters
        if parameter.location == "header" and parameter.name in headers
    }
    for parameter in operation.parameters:
        if parameter.required and not {**sent, **sent_headers}.get(parameter.name):
            raise mandatory_parameter(parameter.name)
    for group in operation.required_one_of:
        if not any(sent.get(name) for name in group):
            names = " or ".join(f"'{name}'" for name in group)
            raise BinanceRejection.of(MANDATORY_PARAM_EMPTY_OR_MALFORMED, names, variant="one-of")
    read = {}
    for parameter in operation.parameters:
        text = (sent if parameter.location == "query" else sent_headers).get(parameter.name)
        if text is None:
            if parameter.default is not None:
                read[parameter.name] = parameter.default
            continue
        rule = parameter.older_document if older_document and parameter.older_document else parameter
        problem = rule.problem(text)
        if problem is not None:
            raise parameter_error(rule, problem)
        read[parameter.name] = text
    _reject_unread(sent, {parameter.name for parameter in query})
    return read


def parameter_error(parameter: Parameter, problem: Problem) -> BinanceRejection:
    """Binance's error for ``problem`` with ``parameter``."""
    if problem.kind in parameter.errors:
        return BinanceRejection.of(parameter.errors[problem.kind])
    if problem.kind == "empty":
        return empty_parameter(parameter.name)
    if problem.kind == "precision":
        return BinanceRejection.of(BAD_PRECISION, parameter.name)
    return illegal_characters(parameter.name, parameter.legal_range or parameter.pattern_source or "")


def sent_parameters(query: bytes, body: bytes) -> dict[str, str]:
    """Query and body merged; a parameter sent in both places takes the query string's value (Binance's rule)."""
    return {**_decode(body), **_decode(query)}


def _decode(payload: bytes) -> dict[str, str]:
    """One part's parameters; a name twice in the same part is -1101."""
    try:
        pairs = parse_qsl(payload.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise BinanceRejection.of(ILLEGAL_CHARS, variant="undecodable") from None
    sent = dict(pairs)
    if len(sent) != len(pairs):
        raise BinanceRejection.of(TOO_MANY_PARAMETERS)
    return sent


def _reject_unread(sent: dict[str, str], read_here: set[str]) -> None:
    for name in sent:
        if name in _NOT_REQUIRED_HERE and name not in read_here:
            raise BinanceRejection.of(PARAM_NOT_REQUIRED, name)
    read = sum(name in read_here for name in sent)
    if read != len(sent):
        # Binance counts the signature among the parameters it read.
        raise BinanceRejection.of(UNREAD_PARAMETERS, read + 1, len(sent) + 1)
