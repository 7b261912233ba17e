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
        if type(symbol) is not str:
            raise TypeError(f".symbol: expected str, got {type(symbol).__name__}")

        orig_client_order_id = d.pop("origClientOrderId")
        if type(orig_client_order_id) is not str:
            raise TypeError(
                f".orig_client_order_id: expected str, got {type(orig_client_order_id).__name__}"
            )

        order_id = d.pop("orderId")
        if type(order_id) is not int:
            raise TypeError(f".order_id: expected int, got {type(order_id).__name__}")

        order_list_id = d.pop("orderListId")
        if type(order_list_id) is not int:
            raise TypeError(
                f".order_list_id: expected int, got {type(order_list_id).__name__}"
            )

        client_order_id = d.pop("clientOrderId")
        if type(client_order_id) is not str:
            raise TypeError(
                f".client_order_id: expected str, got {type(client_order_id).__name__}"
            )

        transact_time = d.pop("transactTime")
        if type(transact_time) is not int:
            raise TypeError(
                f".transact_time: expected int, got {type(transact_time).__name__}"
            )

        price = d.pop("price")
        if type(price) is not str:
            raise TypeError(f".price: expected str, got {type(price).__name__}")

        orig_qty = d.pop("origQty")
        if type(orig_qty) is not str:
            raise TypeError(f".orig_qty: expected str, got {type(orig_qty).__name__}")

        executed_qty = d.pop("executedQty")
        if type(executed_qty) is not str:
            raise TypeError(
                f".executed_qty: expected str, got {type(executed_qty).__name__}"
            )

        cummulative_quote_qty = d.pop("cummulativeQuoteQty")
        if type(cummulative_quote_qty) is not str:
            raise TypeError(
                f".cummulative_quote_qty: expected str, got {type(cummulative_quote_qty).__name__}"
            )

        status = OrderStatus.from_value(d.pop("status"), ".status")

        time_in_force = TimeInForce.from_value(d.pop("timeInForce"), ".time_in_force")

        type_ = OrderType.from_value(d.pop("type"), ".type_")

        side = OrderSide.from_value(d.pop("side"), ".side")

        self_trade_prevention_mode = SelfTradePreventionMode.from_value(
            d.pop("selfTradePreventionMode"), ".self_trade_prevention_mode"
        )

        orig_quote_order_qty = d.pop("origQuoteOrderQty", UNSET)
        if orig_quote_order_qty is not UNSET and type(orig_quote_order_qty) is not str:
            raise TypeError(
                f".orig_quote_order_qty: expected str, got {type(orig_quote_order_qty).__name__}"
            )

        stop_price = d.pop("stopPrice", UNSET)
        if stop_price is not UNSET and type(stop_price) is not str:
            raise TypeError(
                f".stop_price: expected str, got {type(stop_price).__name__}"
            )

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

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        cancel_order_report.additional_properties = additional_properties
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
