"""Binance's endpoints, as functions of the emulator state and the request as it arrived."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from binance_orderlist_api import operations
from binance_orderlist_api.models import TimeUnit
from binance_orderlist_api.operations import API_KEY_HEADER, INVALID_SIGNATURE
from binance_orderlist_api.server_parameters import QueryOpenOrderListsParameters, QueryOrderListParameters

from ._config import ResponseVersion
from ._orders import OrderList, generated_client_order_id
from ._parameters import CancelParameters, parse_cancel_parameters, parse_wire
from ._rejections import (
    BinanceRejection,
    invalid_symbol,
    mandatory_parameter,
    missing_api_key,
    no_such_order_list,
    unknown_api_key,
    unknown_order_list,
)
from ._replies import EndpointResult
from ._response_bodies import cancel_response, queried_list
from ._signatures import SignedRequest
from ._state import EmulatorState
from ._timing import TIME_UNIT, check_timestamp, in_unit, parse_time_unit

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class IncomingRequest:
    method: str
    path: str
    raw_query: bytes
    headers: Mapping[str, str]
    """Case-insensitive (Starlette's): every header parameter openapi.yaml declares is read from it."""
    raw_body: bytes = b""

    @property
    def api_key(self) -> str | None:
        return self.headers.get(API_KEY_HEADER)

    @property
    def time_unit(self) -> str | None:
        return self.headers.get(TIME_UNIT.name)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def form_body(self) -> bytes:
        """The body if it is form-encoded (the only kind Binance reads parameters from), else nothing.

        Binance's documents say nothing of other bodies; ours are neither read nor signed.
        """
        media_type = (self.content_type or "").partition(";")[0].strip().lower()
        return self.raw_body if media_type == FORM else b""


def ping(_state: EmulatorState, _request: IncomingRequest) -> EndpointResult:
    return EndpointResult(200, {})


def server_time(state: EmulatorState, request: IncomingRequest) -> EndpointResult:
    try:
        unit = parse_time_unit(request.time_unit)
    except BinanceRejection as error:
        return _rejected(error)
    return EndpointResult(200, {"serverTime": state.clock.now(unit)})


SignedHandler = Callable[
    [EmulatorState, SignedRequest, Mapping[str, str], TimeUnit], dict[str, object] | list[dict[str, object]]
]


def _signed_endpoint(handler: SignedHandler) -> Callable[[EmulatorState, IncomingRequest], EndpointResult]:
    """Checks in Binance's order: time unit, API key, signature, then what ``handler`` checks and does."""

    def endpoint(state: EmulatorState, request: IncomingRequest) -> EndpointResult:
        try:
            unit = parse_time_unit(request.time_unit)
            signed = _signed_request(state, request)
        except BinanceRejection as error:
            return _rejected(error)
        if not signed:
            return _rejected(BinanceRejection.of(INVALID_SIGNATURE), signature_valid=False)
        try:
            body = handler(state, signed, request.headers, unit)
        except BinanceRejection as error:
            return _rejected(error, signature_valid=True)
        return EndpointResult(200, body, signature_valid=True)

    return endpoint


def _signed_request(state: EmulatorState, request: IncomingRequest) -> SignedRequest | None:
    """Query and body split from their signature, or None when it does not verify with the sender's key."""
    if not request.api_key:
        raise missing_api_key()
    key = state.api_keys.get(request.api_key)
    if key is None:
        raise unknown_api_key()
    signed = SignedRequest.split(request.raw_query, request.form_body)
    if not signed.signature:
        raise mandatory_parameter("signature")
    return signed if key.verifies(signed.payload, signed.signature) else None


def _cancel_order_list(
    state: EmulatorState, signed: SignedRequest, headers: Mapping[str, str], unit: TimeUnit
) -> dict[str, object]:
    """Then parameters, timing, symbol and the list itself. ``unit`` is the header's: it sets the response's
    times, whatever unit ``timestamp`` came in."""
    newer = state.response_version is ResponseVersion.NEWER
    parameters = parse_cancel_parameters(signed.query, signed.body, decimal_recv_window=newer, headers=headers)
    now_us = state.clock.now_us()
    check_timestamp(parameters.timestamp, parameters.recv_window, now_us)
    if not state.order_lists.trades(parameters.symbol):
        raise invalid_symbol()
    order_list = _find_open_list(state, parameters, ids_must_agree=newer)
    order_list.cancel(now_us, state.query_lag)
    return cancel_response(
        order_list,
        new_client_order_id=parameters.new_client_order_id or generated_client_order_id(),
        transaction_time=in_unit(now_us, unit),
        version=state.response_version,
    )


def _find_open_list(state: EmulatorState, parameters: CancelParameters, *, ids_must_agree: bool) -> OrderList:
    """The open list on the request's symbol that the sent ids name; -2011 when there is none."""
    found = _identified(
        state,
        parameters.order_list_id,
        parameters.list_client_order_id,
        by_client_id=lambda client_id: state.order_lists.open_by_client_id(parameters.symbol, client_id),
        ids_must_agree=ids_must_agree,
    )
    if found is None or not found.is_open or found.symbol != parameters.symbol:
        raise unknown_order_list()
    return found


def _identified(
    state: EmulatorState,
    order_list_id: int | None,
    client_id: str | None,
    *,
    by_client_id: Callable[[str], OrderList | None],
    ids_must_agree: bool,
) -> OrderList | None:
    """By ``orderListId`` when it is sent (and then, if ``ids_must_agree``, a sent client id must be the list's),
    else by the client id, as ``by_client_id`` looks it up.

    Written here, not in openapi.yaml: ``x-required-one-of`` says that one id must be sent, but how two
    sent ids combine is a lookup against the lists that exist, which no rule on the values can say.
    """
    if order_list_id is None:
        return by_client_id(client_id or "")
    found = state.order_lists.by_id(order_list_id)
    if found and ids_must_agree and client_id is not None and found.list_client_order_id != client_id:
        return None
    return found


def _rejected(error: BinanceRejection, *, signature_valid: bool | None = None) -> EndpointResult:
    return EndpointResult(error.http_status, error.body(), signature_valid)


def _query(
    state: EmulatorState, signed: SignedRequest, headers: Mapping[str, str], unit: TimeUnit
) -> dict[str, object]:
    """One list by ``orderListId`` (which wins when both ids are sent and must then agree with
    ``origClientOrderId``) or by its client id, as the database shows it; -2013 when there is none."""
    newer = state.response_version is ResponseVersion.NEWER
    parameters = QueryOrderListParameters.from_wire(
        parse_wire(operations.QUERY_ORDER_LIST, signed.query, signed.body, decimal_recv_window=newer, headers=headers)
    )
    now_us = state.clock.now_us()
    check_timestamp(parameters.timestamp, parameters.recv_window, now_us)
    found = _identified(
        state,
        parameters.order_list_id,
        parameters.orig_client_order_id,
        by_client_id=state.order_lists.latest_by_client_id,
        ids_must_agree=True,
    )
    if found is None:
        raise no_such_order_list()
    seen = found.as_queried(now_us)
    return queried_list(seen, transaction_time=in_unit(seen.transaction_time_us, unit))


def _query_open(
    state: EmulatorState, signed: SignedRequest, headers: Mapping[str, str], unit: TimeUnit
) -> list[dict[str, object]]:
    """Every list the database shows open (lagging like a single query), oldest first."""
    newer = state.response_version is ResponseVersion.NEWER
    parameters = QueryOpenOrderListsParameters.from_wire(
        parse_wire(
            operations.QUERY_OPEN_ORDER_LISTS, signed.query, signed.body, decimal_recv_window=newer, headers=headers
        )
    )
    now_us = state.clock.now_us()
    check_timestamp(parameters.timestamp, parameters.recv_window, now_us)
    seen = [order_list.as_queried(now_us) for order_list in state.order_lists.all()]
    return [
        queried_list(order_list, transaction_time=in_unit(order_list.transaction_time_us, unit))
        for order_list in seen
        if order_list.is_open
    ]


cancel_order_list = _signed_endpoint(_cancel_order_list)
query_order_list = _signed_endpoint(_query)
query_open_order_lists = _signed_endpoint(_query_open)
