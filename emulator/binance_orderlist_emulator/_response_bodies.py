"""Response bodies of Binance's paths, built from the generated models (``to_dict``): the cancel's in the shape of
the newer or the older seed document, and a queried list."""

import json
import re
from decimal import Decimal
from typing import Any

import attrs
from binance_orderlist_api import models
from binance_orderlist_api.models import CancelOrderReport, OrderSide, OrderStatus, OrderType
from binance_orderlist_api.operations import CONDITIONAL_FIELDS, DECIMAL_FIELDS
from binance_orderlist_api.types import UNSET
from binance_orderlist_rules import DecimalFieldsError

from ._config import ResponseVersion
from ._orders import Order, OrderList, OrderTerms

_ZERO = Decimal(0)
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def queried_list(order_list: OrderList, *, transaction_time: int) -> dict[str, Any]:
    """A list as Query Order list (and Query Open Order lists) answers it."""
    return _listed(order_list, transaction_time).to_dict()


def cancel_response(
    order_list: OrderList, *, new_client_order_id: str, transaction_time: int, version: ResponseVersion
) -> dict[str, Any]:
    """The list as a query shows it, and a report of each order the cancel closed with the order's conditional
    fields (checked against the report's model when the list was created)."""
    listed = attrs.asdict(_listed(order_list, transaction_time), recurse=False, filter=_init_field)
    reports = [
        _report(order, order_list.order_list_id, new_client_order_id, transaction_time, version)
        for order in order_list.orders
    ]
    response = models.CancelOrderListResponse(**listed, order_reports=reports).to_dict()
    for report, order in zip(response["orderReports"], order_list.orders, strict=True):
        report |= order.terms.conditional_fields
    return response


def _listed(order_list: OrderList, transaction_time: int) -> models.OrderList:
    return models.OrderList(
        order_list_id=order_list.order_list_id,
        contingency_type=order_list.contingency_type,
        list_status_type=order_list.list_status_type,
        list_order_status=order_list.list_order_status,
        list_client_order_id=order_list.list_client_order_id,
        transaction_time=transaction_time,
        symbol=order_list.symbol,
        orders=[
            models.OrderListOrder(symbol=order.symbol, order_id=order.order_id, client_order_id=order.client_order_id)
            for order in order_list.orders
        ],
    )


def _init_field(attribute: "attrs.Attribute[object]", _value: object) -> bool:
    return attribute.init


def _report(
    order: Order, order_list_id: int, new_client_order_id: str, transact_time: int, version: ResponseVersion
) -> models.CancelOrderReport:
    """``origQuoteOrderQty`` only in the newer document's shape."""
    terms = order.terms
    return models.CancelOrderReport(
        symbol=order.symbol,
        orig_client_order_id=order.client_order_id,
        order_id=order.order_id,
        order_list_id=order_list_id,
        client_order_id=new_client_order_id,
        transact_time=transact_time,
        price=_amount(terms.price),
        orig_qty=_amount(terms.quantity),
        executed_qty=_amount(_ZERO),
        orig_quote_order_qty=f"{_ZERO:.6f}" if version is ResponseVersion.NEWER else UNSET,  # as the newer document
        cummulative_quote_qty=_amount(_ZERO),
        status=order.status,
        time_in_force=terms.time_in_force,
        type_=terms.type,
        side=terms.side,
        stop_price=UNSET if terms.stop_price is None else _amount(terms.stop_price),
        self_trade_prevention_mode=order.self_trade_prevention_mode,
    )


def checked_conditional_fields(fields: object) -> dict[str, object]:
    """Conditional fields for an order's reports, as the control API receives them: each one openapi.yaml
    lists for the report (``x-source``), of its type there (ValueError otherwise)."""
    if fields is None:
        return {}
    allowed = CONDITIONAL_FIELDS[CancelOrderReport.__name__]
    if not isinstance(fields, dict) or not set(fields) <= set(allowed) - {"stopPrice"}:
        raise ValueError(f"conditionalFields must be an object of {', '.join(allowed)} (stopPrice has its own)")
    terms = OrderTerms(OrderSide.SELL, OrderType.LIMIT, _ZERO, _ZERO, conditional_fields=fields)
    report = _report(Order("A", 0, "a", terms, OrderStatus.NEW), 0, "a", 0, ResponseVersion.NEWER).to_dict() | fields
    try:
        parsed = CancelOrderReport.from_dict(json.loads(json.dumps(report)))  # as a client reads it
    except TypeError as error:
        raise ValueError(f"conditionalFields{error}") from None
    except DecimalFieldsError as error:  # not even a decimal as Python reads one
        raise ValueError(_not_a_decimal_string(error.problems[0].partition(":")[0])) from None
    for attribute in DECIMAL_FIELDS[CancelOrderReport.__name__]:
        value = getattr(parsed, attribute)
        if isinstance(value, str) and not _DECIMAL.fullmatch(value):
            raise ValueError(_not_a_decimal_string(f".{attribute}"))
    return dict(fields)


def _not_a_decimal_string(place: str) -> str:
    return f"conditionalFields{place} must be a decimal string such as '1.00000000'"


def _amount(value: Decimal) -> str:
    return f"{value:.8f}"
