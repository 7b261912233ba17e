"""A typed client for the emulator's control API, for tests, demos and anyone testing trading code offline.

>>> with EmulatorControl("http://127.0.0.1:43121") as emulator:
...     created = emulator.create_order_list(symbol="BTCUSDT")
...     emulator.add_fault(FaultKind.BACKEND_TIMEOUT, path="/api/v3/orderList")
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, Self

import httpx

from ._faults import FaultKind
from ._request_log import LoggedRequest

_PREFIX = "/_emulator"


class EmulatorControlError(RuntimeError):
    """The control API refused a request (400 names the reason, 404 an unknown order list)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"{status_code}: {message}")
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True)
class OrderSpec:
    """One order of a list to create; decimals as strings or ``Decimal``."""

    side: Literal["BUY", "SELL"]
    type: str
    price: Decimal | str
    quantity: Decimal | str
    stop_price: Decimal | str | None = None
    client_order_id: str | None = None
    time_in_force: str = "GTC"
    conditional_fields: Mapping[str, object] = field(default_factory=dict)
    """Fields its cancel report carries because they apply (``icebergQty``, ``usedSor``, ``pegPriceType``...: the
    report's fields with an ``x-source`` in openapi.yaml), by Binance's names and in its JSON types."""

    def to_json(self) -> dict[str, object]:
        return {
            "side": self.side,
            "type": self.type,
            "price": str(self.price),
            "quantity": str(self.quantity),
            "stopPrice": None if self.stop_price is None else str(self.stop_price),
            "clientOrderId": self.client_order_id,
            "timeInForce": self.time_in_force,
            "conditionalFields": dict(self.conditional_fields),
        }


@dataclass(frozen=True)
class CreatedOrderList:
    order_list_id: int
    list_client_order_id: str
    order_ids: tuple[int, ...]
    client_order_ids: tuple[str, ...]


@dataclass(frozen=True)
class OrderState:
    order_id: int
    client_order_id: str
    status: str
    side: str
    type: str
    price: Decimal
    quantity: Decimal
    stop_price: Decimal | None
    time_in_force: str


@dataclass(frozen=True)
class OrderListState:
    """A list as the emulator holds it now: ``list_order_status`` is ``ALL_DONE`` once cancelled."""

    order_list_id: int
    contingency_type: str
    list_status_type: str
    list_order_status: str
    list_client_order_id: str
    symbol: str
    orders: tuple[OrderState, ...]


class EmulatorControl:
    """Drives one running emulator; pass ``http_client`` to reach an in-process app (e.g. Starlette's TestClient)."""

    def __init__(self, base_url: str, *, http_client: httpx.Client | None = None, timeout: float = 10.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._http = http_client or httpx.Client(timeout=timeout)

    @property
    def base_url(self) -> str:
        """Where Binance's paths are served, e.g. ``http://127.0.0.1:43121``."""
        return self._base_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def is_ready(self) -> bool:
        try:
            return self._http.get(self._url("/health")).is_success
        except httpx.TransportError:
            return False

    def reset(self) -> None:
        """Back to the start: the seed list only, the default key only, no faults, no clock shift, empty log."""
        self._call("POST", "/reset")

    def create_order_list(
        self,
        *,
        symbol: str = "LTCBTC",
        contingency_type: Literal["OCO", "OTO"] = "OCO",
        list_client_order_id: str | None = None,
        orders: Sequence[OrderSpec] | None = None,
    ) -> CreatedOrderList:
        """An open list; without ``orders`` the seed's two SELL orders (OCO) or a BUY then a SELL (OTO)."""
        payload = {
            "symbol": symbol,
            "contingencyType": contingency_type,
            "listClientOrderId": list_client_order_id,
            "orders": None if orders is None else [order.to_json() for order in orders],
        }
        created = self._call("POST", "/order-lists", payload)
        return CreatedOrderList(
            order_list_id=created["orderListId"],
            list_client_order_id=created["listClientOrderId"],
            order_ids=tuple(created["orderIds"]),
            client_order_ids=tuple(created["clientOrderIds"]),
        )

    def order_list(self, order_list_id: int) -> OrderListState:
        raw = self._call("GET", f"/order-lists/{order_list_id}")
        return OrderListState(
            order_list_id=raw["orderListId"],
            contingency_type=raw["contingencyType"],
            list_status_type=raw["listStatusType"],
            list_order_status=raw["listOrderStatus"],
            list_client_order_id=raw["listClientOrderId"],
            symbol=raw["symbol"],
            orders=tuple(_order_state(order) for order in raw["orders"]),
        )

    def register_hmac_key(self, api_key: str, secret: str) -> None:
        self._call("POST", "/api-keys", {"apiKey": api_key, "type": "HMAC", "secret": secret})

    def register_ed25519_key(self, api_key: str, public_key_pem: str) -> None:
        self._call("POST", "/api-keys", {"apiKey": api_key, "type": "ED25519", "publicKey": public_key_pem})

    def register_rsa_key(self, api_key: str, public_key_pem: str) -> None:
        self._call("POST", "/api-keys", {"apiKey": api_key, "type": "RSA", "publicKey": public_key_pem})

    def add_fault(
        self,
        kind: FaultKind | str,
        *,
        count: int | None = 1,
        path: str | None = None,
        method: str | None = None,
        **params: object,
    ) -> int:
        """Fault the next ``count`` matching requests (None: all until cleared); returns the fault's id.

        ``path``/``method`` narrow the match (e.g. ``path="/api/v3/orderList"`` so a clock sync does
        not use the fault up); ``params`` are the kind's own, e.g. ``status=503`` or ``seconds=2.5``.
        """
        payload = {"kind": str(kind), "count": count, "path": path, "method": method, "params": params}
        fault_id: int = self._call("POST", "/faults", payload)["id"]
        return fault_id

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def shift_clock(self, offset_ms: int) -> None:
        """Move the server clock ``offset_ms`` away from the real one (replaces any earlier shift)."""
        self._call("PUT", "/clock", {"offsetMs": offset_ms})

    def set_response_version(self, version: Literal["newer", "older"]) -> None:
        self._call("PUT", "/response-version", {"version": version})

    def set_rate_limit(self, weight_per_minute: int | None, *, ban_seconds: int = 120) -> None:
        """A new weight limit per minute (None: unlimited) with a fresh window; 418 bans last ``ban_seconds``."""
        self._call("PUT", "/rate-limit", {"weightPerMinute": weight_per_minute, "banSeconds": ban_seconds})

    def set_query_lag(self, *, queries: int = 0, milliseconds: int = 0) -> None:
        """Queries of a list cancelled from now on show it as it was (open) for its next ``queries`` queries, or
        for ``milliseconds`` of server time, whichever lasts longer: Binance's database behind its engine."""
        self._call("PUT", "/query-lag", {"queries": queries, "milliseconds": milliseconds})

    def requests(self) -> list[LoggedRequest]:
        """The requests that reached Binance's paths since the last reset or clear, oldest first."""
        return [LoggedRequest.from_json(raw) for raw in self._call("GET", "/requests")]

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def _url(self, path: str) -> str:
        return f"{self._base_url}{_PREFIX}{path}"

    def _call(self, method: str, path: str, payload: Mapping[str, object] | None = None) -> Any:
        response = self._http.request(method, self._url(path), json=payload)
        if response.is_error:
            body = response.json() if response.headers.get("content-type") == "application/json" else {}
            raise EmulatorControlError(response.status_code, body.get("error", response.text))
        return response.json()


def _order_state(raw: dict[str, Any]) -> OrderState:
    stop_price = raw["stopPrice"]
    return OrderState(
        order_id=raw["orderId"],
        client_order_id=raw["clientOrderId"],
        status=raw["status"],
        side=raw["side"],
        type=raw["type"],
        price=Decimal(raw["price"]),
        quantity=Decimal(raw["quantity"]),
        stop_price=None if stop_price is None else Decimal(stop_price),
        time_in_force=raw["timeInForce"],
    )
