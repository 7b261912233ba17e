from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OrderListOrder")


@_attrs_define
class OrderListOrder:
    """One order of the list, as listed in `orders`."""

    symbol: str
    order_id: int
    client_order_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        symbol = self.symbol

        order_id = self.order_id

        client_order_id = self.client_order_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "symbol": symbol,
                "orderId": order_id,
                "clientOrderId": client_order_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        symbol = d.pop("symbol")
        if type(symbol) is not str:
            raise TypeError(f".symbol: expected str, got {type(symbol).__name__}")

        order_id = d.pop("orderId")
        if type(order_id) is not int:
            raise TypeError(f".order_id: expected int, got {type(order_id).__name__}")

        client_order_id = d.pop("clientOrderId")
        if type(client_order_id) is not str:
            raise TypeError(
                f".client_order_id: expected str, got {type(client_order_id).__name__}"
            )

        order_list_order = cls(
            symbol=symbol,
            order_id=order_id,
            client_order_id=client_order_id,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        order_list_order.additional_properties = additional_properties
        return order_list_order

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
