"""The order lists the emulator holds, starting with the newer seed document's example list."""

import copy
import dataclasses
import secrets
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from binance_orderlist_api.models import (
    ContingencyType,
    ListOrderStatus,
    ListStatusType,
    OrderSide,
    OrderStatus,
    OrderType,
    SelfTradePreventionMode,
    TimeInForce,
)

_GENERATED_ID_ALPHABET = string.ascii_letters + string.digits
_GENERATED_ID_LENGTH = 22


def generated_client_order_id() -> str:
    """An id shaped like the ones Binance generates when the client sends none (22 letters and digits)."""
    return "".join(secrets.choice(_GENERATED_ID_ALPHABET) for _ in range(_GENERATED_ID_LENGTH))


@dataclass(frozen=True)
class OrderTerms:
    """One order of a list to create."""

    side: OrderSide
    type: OrderType
    price: Decimal
    quantity: Decimal
    stop_price: Decimal | None = None
    client_order_id: str | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    conditional_fields: Mapping[str, object] = field(default_factory=dict)
    """Fields of the order's report that appear only when they apply (openapi.yaml's ``x-source`` ones), by
    Binance's names, as its reports carry them."""


@dataclass
class Order:
    symbol: str
    order_id: int
    client_order_id: str
    terms: OrderTerms
    status: OrderStatus
    self_trade_prevention_mode: SelfTradePreventionMode = SelfTradePreventionMode.NONE


@dataclass
class OrderList:
    order_list_id: int
    contingency_type: ContingencyType
    list_client_order_id: str
    symbol: str
    orders: list[Order]
    list_status_type: ListStatusType = ListStatusType.EXEC_STARTED
    list_order_status: ListOrderStatus = ListOrderStatus.EXECUTING
    transaction_time_us: int = 0
    """When the list was created or last changed (Query Order list's ``transactionTime``)."""
    _database: "LaggingView | None" = field(default=None, repr=False, compare=False)

    @property
    def is_open(self) -> bool:
        return self.list_order_status is ListOrderStatus.EXECUTING

    def cancel(self, now_us: int = 0, lag: "QueryLag | None" = None) -> None:
        """Cancelling a list cancels every order in it and closes the list; with a ``lag``, queries go on
        seeing the list as it was for that many queries or that long (Binance's database behind its engine)."""
        if lag is not None and lag.lags:
            self._database = LaggingView(copy.deepcopy(self), lag.queries, now_us + lag.milliseconds * 1000)
        for order in self.orders:
            order.status = OrderStatus.CANCELED
        self.list_status_type = ListStatusType.ALL_DONE
        self.list_order_status = ListOrderStatus.ALL_DONE
        self.transaction_time_us = now_us

    def as_queried(self, now_us: int) -> "OrderList":
        """The list as a query reads it from the database: the old state while it still lags, else this one."""
        database = self._database
        if database is None:
            return self
        if database.queries_left > 0 or now_us < database.until_us:
            database.queries_left -= 1
            return database.before
        self._database = None
        return self


@dataclass(frozen=True)
class QueryLag:
    """How far queries lag behind a change: ``queries`` reads or ``milliseconds`` of server time, whichever
    lasts longer (both 0: no lag)."""

    queries: int = 0
    milliseconds: int = 0

    @property
    def lags(self) -> bool:
        return self.queries > 0 or self.milliseconds > 0


@dataclass
class LaggingView:
    """What the database still shows of a list: its state ``before`` the change, for a while."""

    before: OrderList
    queries_left: int
    until_us: int


# The newer seed document's example list: symbol LTCBTC, orderListId 0, orders 2 and 3.
SEED_LIST_CLIENT_ORDER_ID = "C3wyj4WVEktd7u9aVBRXcN"
SEED_ORDER_TERMS = (
    OrderTerms(
        OrderSide.SELL, OrderType.STOP_LOSS_LIMIT, Decimal(1), Decimal(10), Decimal(1), "pO9ufTiFGg3nw2fOdgeOXa"
    ),
    OrderTerms(OrderSide.SELL, OrderType.LIMIT_MAKER, Decimal(3), Decimal(10), None, "TXOvglzXuaubXAaENpaRCB"),
)
_SEED_FIRST_ORDER_ID = 2
_DEFAULT_ORDERS = {
    ContingencyType.OCO: tuple(dataclasses.replace(terms, client_order_id=None) for terms in SEED_ORDER_TERMS),
    ContingencyType.OTO: (
        OrderTerms(OrderSide.BUY, OrderType.LIMIT, Decimal(1), Decimal(10)),
        OrderTerms(OrderSide.SELL, OrderType.LIMIT_MAKER, Decimal(3), Decimal(10)),
    ),
}
_ORDER_COUNTS = {ContingencyType.OCO: (2,), ContingencyType.OTO: (2, 3)}


@dataclass
class OrderLists:
    """Every list created so far, by id; ids only grow, as on Binance."""

    _by_id: dict[int, OrderList] = field(default_factory=dict)
    _next_list_id: int = 0
    _next_order_id: int = _SEED_FIRST_ORDER_ID
    _symbols: set[str] = field(default_factory=set)

    @classmethod
    def with_seed_example(cls, now_us: int = 0) -> "OrderLists":
        lists = cls()
        lists.create("LTCBTC", ContingencyType.OCO, SEED_LIST_CLIENT_ORDER_ID, SEED_ORDER_TERMS, now_us=now_us)
        return lists

    def create(
        self,
        symbol: str,
        contingency_type: ContingencyType,
        list_client_order_id: str | None = None,
        orders: Sequence[OrderTerms] | None = None,
        *,
        now_us: int = 0,
    ) -> OrderList:
        """Open a new list; ValueError for a wrong number of orders or a client id an open list already uses."""
        all_terms = _DEFAULT_ORDERS[contingency_type] if orders is None else tuple(orders)
        counts = _ORDER_COUNTS[contingency_type]
        if len(all_terms) not in counts:
            raise ValueError(f"an {contingency_type} list has {' or '.join(map(str, counts))} orders")
        if list_client_order_id is not None and self.open_by_client_id(symbol, list_client_order_id):
            raise ValueError(f"listClientOrderId {list_client_order_id!r} is already used by an open list")
        order_list = OrderList(
            order_list_id=self._next_list_id,
            contingency_type=contingency_type,
            list_client_order_id=list_client_order_id or generated_client_order_id(),
            symbol=symbol,
            orders=[
                self._new_order(symbol, terms, pending=contingency_type is ContingencyType.OTO and index > 0)
                for index, terms in enumerate(all_terms)
            ],
            transaction_time_us=now_us,
        )
        self._by_id[order_list.order_list_id] = order_list
        self._symbols.add(symbol)
        self._next_list_id += 1
        return order_list

    def trades(self, symbol: str) -> bool:
        """The emulator's exchange lists a symbol once it holds an order list on it (open or not)."""
        return symbol in self._symbols

    def by_id(self, order_list_id: int) -> OrderList | None:
        return self._by_id.get(order_list_id)

    def open_by_client_id(self, symbol: str, list_client_order_id: str) -> OrderList | None:
        """Client ids are unique among open lists only, so a closed list's id may be reused."""
        for order_list in self._by_id.values():
            if order_list.is_open and (order_list.symbol, order_list.list_client_order_id) == (
                symbol,
                list_client_order_id,
            ):
                return order_list
        return None

    def latest_by_client_id(self, list_client_order_id: str) -> OrderList | None:
        """The newest list with that client id, open or not, of any symbol (how a query finds it)."""
        found = [
            order_list for order_list in self._by_id.values() if order_list.list_client_order_id == list_client_order_id
        ]
        return found[-1] if found else None

    def all(self) -> list[OrderList]:
        return list(self._by_id.values())

    def _new_order(self, symbol: str, terms: OrderTerms, *, pending: bool) -> Order:
        """``pending``: an OTO list's orders after the working (first) one wait off the book until it fills."""
        order = Order(
            symbol=symbol,
            order_id=self._next_order_id,
            client_order_id=terms.client_order_id or generated_client_order_id(),
            terms=terms,
            status=OrderStatus.PENDING_NEW if pending else OrderStatus.NEW,
        )
        self._next_order_id += 1
        return order
