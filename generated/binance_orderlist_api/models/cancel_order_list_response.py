from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.contingency_type import ContingencyType
from ..models.list_order_status import ListOrderStatus
from ..models.list_status_type import ListStatusType

if TYPE_CHECKING:
    from ..models.cancel_order_report import CancelOrderReport
    from ..models.order_list_order import OrderListOrder


T = TypeVar("T", bound="CancelOrderListResponse")


@_attrs_define
class CancelOrderListResponse:
    """The cancelled order list."""

    order_list_id: int
    contingency_type: ContingencyType
    """ OPO/OPOCO lists report OTO. Values Binance adds later are kept, not rejected. """
    list_status_type: ListStatusType
    list_order_status: ListOrderStatus
    list_client_order_id: str
    transaction_time: int
    """ Milliseconds since the epoch (microseconds with `X-MBX-TIME-UNIT`). """
    symbol: str
    orders: list[OrderListOrder]
    order_reports: list[CancelOrderReport]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order_list_id = self.order_list_id

        contingency_type = self.contingency_type.value

        list_status_type = self.list_status_type.value

        list_order_status = self.list_order_status.value

        list_client_order_id = self.list_client_order_id

        transaction_time = self.transaction_time

        symbol = self.symbol

        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        order_reports = []
        for order_reports_item_data in self.order_reports:
            order_reports_item = order_reports_item_data.to_dict()
            order_reports.append(order_reports_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orderListId": order_list_id,
                "contingencyType": contingency_type,
                "listStatusType": list_status_type,
                "listOrderStatus": list_order_status,
                "listClientOrderId": list_client_order_id,
                "transactionTime": transaction_time,
                "symbol": symbol,
                "orders": orders,
                "orderReports": order_reports,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cancel_order_report import CancelOrderReport  # noqa: PLC0415
        from ..models.order_list_order import OrderListOrder  # noqa: PLC0415

        d = dict(src_dict)
        order_list_id = d.pop("orderListId")
        if type(order_list_id) is not int:
            raise TypeError(
                f".order_list_id: expected int, got {type(order_list_id).__name__}"
            )

        contingency_type = ContingencyType.from_value(
            d.pop("contingencyType"), ".contingency_type"
        )

        list_status_type = ListStatusType.from_value(
            d.pop("listStatusType"), ".list_status_type"
        )

        list_order_status = ListOrderStatus.from_value(
            d.pop("listOrderStatus"), ".list_order_status"
        )

        list_client_order_id = d.pop("listClientOrderId")
        if type(list_client_order_id) is not str:
            raise TypeError(
                f".list_client_order_id: expected str, got {type(list_client_order_id).__name__}"
            )

        transaction_time = d.pop("transactionTime")
        if type(transaction_time) is not int:
            raise TypeError(
                f".transaction_time: expected int, got {type(transaction_time).__name__}"
            )

        symbol = d.pop("symbol")
        if type(symbol) is not str:
            raise TypeError(f".symbol: expected str, got {type(symbol).__name__}")

        _orders = d.pop("orders")
        if type(_orders) is not list:
            raise TypeError(f".orders: expected an array, got {type(_orders).__name__}")

        orders = []
        for index, orders_item_data in enumerate(_orders):
            try:
                if type(orders_item_data) is not dict:
                    raise TypeError(
                        f": expected an object, got {type(orders_item_data).__name__}"
                    )

                orders_item = OrderListOrder.from_dict(orders_item_data)

            except TypeError as error:
                raise TypeError(
                    f".orders[{index}]{str(error).removeprefix('.orders_item')}"
                ) from None
            orders.append(orders_item)

        _order_reports = d.pop("orderReports")
        if type(_order_reports) is not list:
            raise TypeError(
                f".order_reports: expected an array, got {type(_order_reports).__name__}"
            )

        order_reports = []
        for index, order_reports_item_data in enumerate(_order_reports):
            try:
                if type(order_reports_item_data) is not dict:
                    raise TypeError(
                        f": expected an object, got {type(order_reports_item_data).__name__}"
                    )

                order_reports_item = CancelOrderReport.from_dict(
                    order_reports_item_data
                )

            except TypeError as error:
                raise TypeError(
                    f".order_reports[{index}]{str(error).removeprefix('.order_reports_item')}"
                ) from None
            order_reports.append(order_reports_item)

        cancel_order_list_response = cls(
            order_list_id=order_list_id,
            contingency_type=contingency_type,
            list_status_type=list_status_type,
            list_order_status=list_order_status,
            list_client_order_id=list_client_order_id,
            transaction_time=transaction_time,
            symbol=symbol,
            orders=orders,
            order_reports=order_reports,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional = prop_dict

            additional_properties[prop_name] = additional

        cancel_order_list_response.additional_properties = additional_properties
        return cancel_order_list_response

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
