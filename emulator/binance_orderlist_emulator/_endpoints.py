"""Binance's two endpoints, as functions of the emulator state and the request as it arrived."""

from dataclasses import dataclass

from binance_orderlist_api.models import TimeUnit

from ._config import ResponseVersion
from ._errors import BinanceError, mandatory_parameter, unknown_order_list
from ._orders import OrderList, generated_client_order_id
from ._parameters import CancelParameters, parse_cancel_parameters
from ._replies import Answer
from ._reports import cancel_response
from ._signatures import SignedQuery
from ._state import EmulatorState
from ._timing import check_timestamp, parse_time_unit


@dataclass(frozen=True)
class IncomingRequest:
    raw_query: bytes
    api_key: str | None
    time_unit: str | None


def server_time(state: EmulatorState, request: IncomingRequest) -> Answer:
    try:
        unit = parse_time_unit(request.time_unit)
    except BinanceError as error:
        return _rejected(error)
    return Answer(200, {"serverTime": state.clock.now(unit)})


def cancel_order_list(state: EmulatorState, request: IncomingRequest) -> Answer:
    """Checks in Binance's order: time unit, API key, signature, parameters, timing, then the list itself."""
    try:
        unit = parse_time_unit(request.time_unit)
        signed = _signed_query(state, request)
    except BinanceError as error:
        return _rejected(error)
    if not signed:
        return _rejected(BinanceError(-1022, "Signature for this request is not valid."), signature_valid=False)
    try:
        body = _cancel(state, signed.payload, unit)
    except BinanceError as error:
        return _rejected(error, signature_valid=True)
    return Answer(200, body, signature_valid=True)


def _signed_query(state: EmulatorState, request: IncomingRequest) -> SignedQuery | None:
    """The query split at its signature, or None when the signature does not verify with the sender's key."""
    if not request.api_key:
        raise BinanceError(-2014, "API-key format invalid.", http_status=401)
    key = state.api_keys.get(request.api_key)
    if key is None:
        raise BinanceError(-2015, "Invalid API-key, IP, or permissions for action.", http_status=401)
    signed = SignedQuery.split(request.raw_query)
    if not signed.signature:
        raise mandatory_parameter("signature")
    return signed if key.verifies(signed.payload, signed.signature) else None


def _cancel(state: EmulatorState, payload: bytes, unit: TimeUnit) -> dict[str, object]:
    newer = state.response_version is ResponseVersion.NEWER
    parameters = parse_cancel_parameters(payload, decimal_recv_window=newer)
    now = state.clock.now(unit)
    check_timestamp(parameters.timestamp, parameters.recv_window, unit, now)
    order_list = _find_open_list(state, parameters, ids_must_agree=newer)
    order_list.cancel()
    return cancel_response(
        order_list,
        new_client_order_id=parameters.new_client_order_id or generated_client_order_id(),
        transaction_time=now,
        version=state.response_version,
    )


def _find_open_list(state: EmulatorState, parameters: CancelParameters, *, ids_must_agree: bool) -> OrderList:
    """By ``orderListId`` first; the newer document also requires the list's ``listClientOrderId`` to match.

    Written here, not in openapi.yaml: ``x-required-one-of`` says that one id must be sent, but how two
    sent ids combine is a lookup against the lists that exist, which no rule on the values can say.
    """
    if parameters.order_list_id is None:
        found = state.order_lists.open_by_client_id(parameters.symbol, parameters.list_client_order_id or "")
    else:
        found = state.order_lists.by_id(parameters.order_list_id)
        client_id = parameters.list_client_order_id
        if found and ids_must_agree and client_id is not None and found.list_client_order_id != client_id:
            found = None
    if found is None or not found.is_open or found.symbol != parameters.symbol:
        raise unknown_order_list()
    return found


def _rejected(error: BinanceError, *, signature_valid: bool | None = None) -> Answer:
    return Answer(error.http_status, error.body(), signature_valid)
