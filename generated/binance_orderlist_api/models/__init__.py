"""Contains all the data models used in inputs/outputs"""

from .cancel_order_list_response import CancelOrderListResponse
from .cancel_order_report import CancelOrderReport
from .contingency_type import ContingencyType
from .error_response import ErrorResponse
from .list_order_status import ListOrderStatus
from .list_status_type import ListStatusType
from .order_list_order import OrderListOrder
from .order_side import OrderSide
from .order_status import OrderStatus
from .order_type import OrderType
from .ping_response import PingResponse
from .self_trade_prevention_mode import SelfTradePreventionMode
from .server_time_response import ServerTimeResponse
from .time_in_force import TimeInForce
from .time_unit import TimeUnit

__all__ = (
    "CancelOrderListResponse",
    "CancelOrderReport",
    "ContingencyType",
    "ErrorResponse",
    "ListOrderStatus",
    "ListStatusType",
    "OrderListOrder",
    "OrderSide",
    "OrderStatus",
    "OrderType",
    "PingResponse",
    "SelfTradePreventionMode",
    "ServerTimeResponse",
    "TimeInForce",
    "TimeUnit",
)
