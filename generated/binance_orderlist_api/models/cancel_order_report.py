from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_side import OrderSide
from ..models.order_status import OrderStatus
from ..models.order_type import OrderType
from ..models.self_trade_prevention_mode import SelfTradePreventionMode
from ..models.time_in_force import TimeInForce
from ..types import UNSET, Unset

T = TypeVar("T", bound="CancelOrderReport")


@_attrs_define
class CancelOrderReport:
    """Execution report of one cancelled order. `origQuoteOrderQty` is sent by servers of the
    newer document only; `stopPrice` only by orders that have one.

    """

    symbol: str
    orig_client_order_id: str
    order_id: int
    order_list_id: int
    client_order_id: str
    transact_time: int
    """ Milliseconds since the epoch (microseconds with `X-MBX-TIME-UNIT`). """
    price: str
    """ A decimal number sent as a JSON string, e.g. "1.00000000". Convert with decimal.Decimal, never float. """
    orig_qty: str
    """ A decimal number sent as a JSON string, e.g. "1.00000000". Convert with decimal.Decimal, never float. """
    executed_qty: str
    """ A decimal number sent as a JSON string, e.g. "1.00000000". Convert with decimal.Decimal, never float. """
    cummulative_quote_qty: str
    """ A decimal number sent as a JSON string, e.g. "1.00000000". Convert with decimal.Decimal, never float. """
    status: OrderStatus
    time_in_force: TimeInForce
    type_: OrderType
    side: OrderSide
    self_trade_prevention_mode: SelfTradePreventionMode
    orig_quote_order_qty: str | Unset = UNSET
    """ A decimal number sent as a JSON string, e.g. "1.00000000". Convert with decimal.Decimal, never float. """
    stop_price: str | Unset = UNSET
    """ A decimal number sent as a JSON string, e.g. "1.00000000". Convert with decimal.Decimal, never float. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        symbol = self.symbol

        orig_client_order_id = self.orig_client_order_id

        order_id = self.order_id

        order_list_id = self.order_list_id

        client_order_id = self.client_order_id

        transact_time = self.transact_time

        price = self.price

        orig_qty = self.orig_qty

        executed_qty = self.executed_qty

        cummulative_quote_qty = self.cummulative_quote_qty

        status = self.status.value

        time_in_force = self.time_in_force.value

        type_ = self.type_.value

        side = self.side.value

        self_trade_prevention_mode = self.self_trade_prevention_mode.value

        orig_quote_order_qty = self.orig_quote_order_qty

        stop_price = self.stop_price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "symbol": symbol,
                "origClientOrderId": orig_client_order_id,
                "orderId": order_id,
                "orderListId": order_list_id,
                "clientOrderId": client_order_id,
                "transactTime": transact_time,
                "price": price,
                "origQty": orig_qty,
                "executedQty": executed_qty,
                "cummulativeQuoteQty": cummulative_quote_qty,
                "status": status,
                "timeInForce": time_in_force,
                "type": type_,
                "side": side,
                "selfTradePreventionMode": self_trade_prevention_mode,
            }
        )
        if orig_quote_order_qty is not UNSET:
            field_dict["origQuoteOrderQty"] = orig_quote_order_qty
        if stop_price is not UNSET:
            field_dict["stopPrice"] = stop_price

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        symbol = d.pop("symbol")

        orig_client_order_id = d.pop("origClientOrderId")

        order_id = d.pop("orderId")

        order_list_id = d.pop("orderListId")

        client_order_id = d.pop("clientOrderId")

        transact_time = d.pop("transactTime")

        price = d.pop("price")

        orig_qty = d.pop("origQty")

        executed_qty = d.pop("executedQty")

        cummulative_quote_qty = d.pop("cummulativeQuoteQty")

        status = OrderStatus(d.pop("status"))

        time_in_force = TimeInForce(d.pop("timeInForce"))

        type_ = OrderType(d.pop("type"))

        side = OrderSide(d.pop("side"))

        self_trade_prevention_mode = SelfTradePreventionMode(
            d.pop("selfTradePreventionMode")
        )

        orig_quote_order_qty = d.pop("origQuoteOrderQty", UNSET)

        stop_price = d.pop("stopPrice", UNSET)

        cancel_order_report = cls(
            symbol=symbol,
            orig_client_order_id=orig_client_order_id,
            order_id=order_id,
            order_list_id=order_list_id,
            client_order_id=client_order_id,
            transact_time=transact_time,
            price=price,
            orig_qty=orig_qty,
            executed_qty=executed_qty,
            cummulative_quote_qty=cummulative_quote_qty,
            status=status,
            time_in_force=time_in_force,
            type_=type_,
            side=side,
            self_trade_prevention_mode=self_trade_prevention_mode,
            orig_quote_order_qty=orig_quote_order_qty,
            stop_price=stop_price,
        )

        cancel_order_report.additional_properties = d
        return cancel_order_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
