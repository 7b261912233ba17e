"""The cancel response body, in the shape of the newer or the older seed document."""

from decimal import Decimal

from ._config import ResponseVersion
from ._orders import Order, OrderList

_ZERO = Decimal(0)


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
    return report


def _amount(value: Decimal) -> str:
    return f"{value:.8f}"
