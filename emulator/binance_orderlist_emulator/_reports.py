"""The cancel response body, in the shape of the newer or the older seed document."""

import json
import re
from decimal import Decimal

from binance_orderlist_api.models import CancelOrderReport, OrderSide, OrderStatus, OrderType
from binance_orderlist_api.operations import CONDITIONAL_FIELDS, DECIMAL_SHAPES

from ._config import ResponseVersion
from ._orders import Order, OrderList, OrderTerms

_ZERO = Decimal(0)
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def list_status(order_list: OrderList) -> dict[str, object]:
    """Which list this is and where it stands; the cancel response and the control API's view both open with it."""
    return {
        "orderListId": order_list.order_list_id,
        "contingencyType": order_list.contingency_type,
        "listStatusType": order_list.list_status_type,
        "listOrderStatus": order_list.list_order_status,
        "listClientOrderId": order_list.list_client_order_id,
    }


def queried_list(order_list: OrderList, *, transaction_time: int) -> dict[str, object]:
    """A list as Query Order list (and Query Open Order lists) answers it; the cancel response opens with it."""
    return {
        **list_status(order_list),
        "transactionTime": transaction_time,
        "symbol": order_list.symbol,
        "orders": [
            {"symbol": order.symbol, "orderId": order.order_id, "clientOrderId": order.client_order_id}
            for order in order_list.orders
        ],
    }


def cancel_response(
    order_list: OrderList, *, new_client_order_id: str, transaction_time: int, version: ResponseVersion
) -> dict[str, object]:
    """Field for field the seed documents' example, in their order."""
    return {
        **queried_list(order_list, transaction_time=transaction_time),
        "orderReports": [
            _report(order, order_list.order_list_id, new_client_order_id, transaction_time, version)
            for order in order_list.orders
        ],
    }


def _report(
    order: Order, order_list_id: int, new_client_order_id: str, transact_time: int, version: ResponseVersion
) -> dict[str, object]:
    terms = order.terms
    report: dict[str, object] = {
        "symbol": order.symbol,
        "origClientOrderId": order.client_order_id,
        "orderId": order.order_id,
        "orderListId": order_list_id,
        "clientOrderId": new_client_order_id,
        "transactTime": transact_time,
        "price": _amount(terms.price),
        "origQty": _amount(terms.quantity),
        "executedQty": _amount(_ZERO),
    }
    if version is ResponseVersion.NEWER:
        report["origQuoteOrderQty"] = f"{_ZERO:.6f}"  # six places, as the newer document shows it
    report |= {
        "cummulativeQuoteQty": _amount(_ZERO),
        "status": order.status,
        "timeInForce": terms.time_in_force,
        "type": terms.type,
        "side": terms.side,
    }
    if terms.stop_price is not None:
        report["stopPrice"] = _amount(terms.stop_price)
    report["selfTradePreventionMode"] = order.self_trade_prevention_mode
    return {**report, **terms.conditional_fields}


def checked_conditional_fields(fields: object) -> dict[str, object]:
    """Conditional fields for an order's reports, as the control API receives them: each one openapi.yaml
    lists for the report (``x-source``), of its type there (ValueError otherwise)."""
    if fields is None:
        return {}
    allowed = CONDITIONAL_FIELDS[CancelOrderReport.__name__]
    if not isinstance(fields, dict) or not set(fields) <= set(allowed) - {"stopPrice"}:
        raise ValueError(f"conditionalFields must be an object of {', '.join(allowed)} (stopPrice has its own)")
    terms = OrderTerms(OrderSide.SELL, OrderType.LIMIT, _ZERO, _ZERO, conditional_fields=fields)
    report = _report(Order("A", 0, "a", terms, OrderStatus.NEW), 0, "a", 0, ResponseVersion.NEWER)
    try:
        parsed = CancelOrderReport.from_dict(json.loads(json.dumps(report)))  # as a client reads it
    except TypeError as error:
        raise ValueError(f"conditionalFields{error}") from None
    for attribute in DECIMAL_SHAPES[CancelOrderReport.__name__][0]:
        value = getattr(parsed, attribute)
        if isinstance(value, str) and not _DECIMAL.fullmatch(value):
            raise ValueError(f"conditionalFields.{attribute} must be a decimal string such as '1.00000000'")
    return dict(fields)


def _amount(value: Decimal) -> str:
    return f"{value:.8f}"
