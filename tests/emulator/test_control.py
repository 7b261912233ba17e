"""The control API: creating lists, keys, settings, the request log, reset, and the requests it refuses."""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

import httpx
import pytest
from binance_orderlist_emulator import (
    EmulatorControl,
    EmulatorControlError,
    FaultKind,
    OrderListState,
    OrderSpec,
    OrderState,
)

from .by_hand import TIME_PATH, cancel_params, encoded, hmac_signed, send_cancel

CONTROL = "/_emulator"


def test_the_seed_list_as_the_emulator_holds_it(emulator: EmulatorControl) -> None:
    assert emulator.order_list(0) == OrderListState(
        order_list_id=0,
        contingency_type="OCO",
        list_status_type="EXEC_STARTED",
        list_order_status="EXECUTING",
        list_client_order_id="C3wyj4WVEktd7u9aVBRXcN",
        symbol="LTCBTC",
        orders=(
            OrderState(
                2,
                "pO9ufTiFGg3nw2fOdgeOXa",
                "NEW",
                "SELL",
                "STOP_LOSS_LIMIT",
                Decimal(1),
                Decimal(10),
                Decimal(1),
                "GTC",
            ),
            OrderState(3, "TXOvglzXuaubXAaENpaRCB", "NEW", "SELL", "LIMIT_MAKER", Decimal(3), Decimal(10), None, "GTC"),
        ),
    )


def test_new_lists_get_fresh_ids_above_the_seeds(emulator: EmulatorControl) -> None:
    first = emulator.create_order_list()
    second = emulator.create_order_list(symbol="BTCUSDT", contingency_type="OTO")
    assert (first.order_list_id, first.order_ids) == (1, (4, 5))
    assert (second.order_list_id, second.order_ids) == (2, (6, 7))
    assert first.list_client_order_id != second.list_client_order_id
    assert emulator.order_list(2).contingency_type == "OTO"


def test_a_list_with_given_orders_and_client_ids(emulator: EmulatorControl) -> None:
    orders = [
        OrderSpec("BUY", "LIMIT", Decimal("100.5"), "0.01", client_order_id="working"),
        OrderSpec("SELL", "LIMIT_MAKER", "120", "0.01", client_order_id="pending-1"),
        OrderSpec("SELL", "STOP_LOSS_LIMIT", "90", "0.01", stop_price="91", client_order_id="pending-2"),
    ]
    created = emulator.create_order_list(
        symbol="BTCUSDT", contingency_type="OTO", list_client_order_id="oto", orders=orders
    )
    assert (created.list_client_order_id, created.client_order_ids) == ("oto", ("working", "pending-1", "pending-2"))
    held = emulator.order_list(created.order_list_id)
    assert [order.status for order in held.orders] == ["NEW", "PENDING_NEW", "PENDING_NEW"]
    assert held.orders[2].stop_price == Decimal(91)


def conditional(fields: dict[str, object]) -> dict[str, Any]:
    """An OCO list whose orders carry ``fields`` as their conditional fields."""
    return {"orders": [OrderSpec("SELL", "LIMIT", "1", "1", conditional_fields=fields)] * 2}


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ({"symbol": "btc usdt"}, "not a legal Binance symbol"),
        ({"contingency_type": "OCOCO"}, "contingencyType must be one of"),
        ({"list_client_order_id": "no spaces allowed"}, "does not match"),
        ({"list_client_order_id": "C3wyj4WVEktd7u9aVBRXcN"}, "already used by an open list"),
        ({"orders": [OrderSpec("SELL", "LIMIT", "1", "1")]}, "an OCO list has 2 orders"),
        ({"orders": [OrderSpec("SELL", "LIMIT", "1", "1")] * 4, "contingency_type": "OTO"}, "has 2 or 3 orders"),
        ({"orders": [OrderSpec("SELL", "ICEBERG", "1", "1")] * 2}, "type must be one of"),
        ({"orders": [OrderSpec("HOLD", "LIMIT", "1", "1")] * 2}, "side must be one of"),  # type: ignore[arg-type]
        ({"orders": [OrderSpec("SELL", "LIMIT", "-1", "1")] * 2}, "price must be a positive decimal"),
        ({"orders": [OrderSpec("SELL", "LIMIT", "1", "lots")] * 2}, "quantity must be a positive decimal"),
        # conditional fields the spec does not type so
        (conditional({"usedSor": "true"}), "conditionalFields.used_sor: expected bool, got str"),
        (conditional({"peggedPrice": "1e5"}), "conditionalFields.pegged_price must be a decimal string"),
        (conditional({"peggedPrice": "abc"}), "conditionalFields.pegged_price must be a decimal string"),
        (conditional({"orderTag": "x"}), "conditionalFields must be an object of"),
        (conditional({"stopPrice": "1"}), "stopPrice has its own"),
    ],
)
def test_lists_the_emulator_cannot_hold_are_refused(
    emulator: EmulatorControl, arguments: dict[str, Any], reason: str
) -> None:
    with pytest.raises(EmulatorControlError, match=re.escape(reason)) as refused:
        emulator.create_order_list(**arguments)
    assert refused.value.status_code == 400


@pytest.mark.parametrize(
    ("path", "payload", "reason"),
    [
        ("/order-lists", [], "must be a JSON object"),
        ("/order-lists", {}, "symbol is required"),
        ("/order-lists", {"symbol": 1}, "symbol must be of type str"),
        ("/order-lists", {"symbol": "LTCBTC", "orders": [1, 2]}, "every order must be a JSON object"),
        (
            "/order-lists",
            {"symbol": "LTCBTC", "orders": [{"side": "BUY", "type": "LIMIT"}] * 2},
            "needs a price and a quantity",
        ),
        ("/api-keys", {"apiKey": "k", "type": "DSA", "secret": "s"}, "type must be one of"),
        ("/api-keys", {"apiKey": "k", "type": "RSA", "publicKey": "not a pem"}, "PEM"),
        ("/faults", {"kind": "waf_forbidden", "count": True}, "count must be of type int"),
        ("/faults", {"count": 1}, "kind is required"),
    ],
)
def test_malformed_control_requests_are_refused(
    emulator: EmulatorControl, path: str, payload: object, reason: str
) -> None:
    response = httpx.post(f"{emulator.base_url}{CONTROL}{path}", json=payload)
    assert response.status_code == 400
    assert reason in response.json()["error"]


def test_a_body_that_is_not_json(emulator: EmulatorControl) -> None:
    response = httpx.post(f"{emulator.base_url}{CONTROL}/order-lists", content=b"{symbol")
    assert response.status_code == 400


def test_an_unknown_order_list(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError, match="no order list 99") as refused:
        emulator.order_list(99)
    assert refused.value.status_code == 404


def test_all_lists_and_pending_faults_can_be_read(emulator: EmulatorControl) -> None:
    emulator.create_order_list(symbol="ETHBTC")
    fault_id = emulator.add_fault(FaultKind.SLOW_RESPONSE, count=3, path=TIME_PATH, method="get", seconds=0.1)
    lists = httpx.get(f"{emulator.base_url}{CONTROL}/order-lists").json()
    faults = httpx.get(f"{emulator.base_url}{CONTROL}/faults").json()
    assert [raw["symbol"] for raw in lists] == ["LTCBTC", "ETHBTC"]
    assert faults == [{"id": fault_id, "kind": "slow_response", "remaining": 3, "path": TIME_PATH, "method": "GET"}]


def test_a_registered_hmac_key(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.register_hmac_key("mine", "my-secret")
    assert send_cancel(binance, hmac_signed(cancel_params(), secret="my-secret"), api_key="mine").status_code == 200


def test_the_request_log(emulator: EmulatorControl, binance: httpx.Client) -> None:
    query = hmac_signed(cancel_params())
    send_cancel(binance, query)
    send_cancel(binance, encoded(cancel_params()) + "&signature=00")
    binance.get(TIME_PATH)
    logged = emulator.requests()
    assert [(entry.method, entry.path, entry.status, entry.signature_valid) for entry in logged] == [
        ("DELETE", "/api/v3/orderList", 200, True),
        ("DELETE", "/api/v3/orderList", 400, False),
        ("GET", TIME_PATH, 200, None),
    ]
    assert logged[0].query_string == query
    assert all(entry.fault is None and entry.time_ms > 0 for entry in logged)
    emulator.clear_requests()
    assert emulator.requests() == []


def test_the_control_api_is_not_logged_or_weighed(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.create_order_list()
    emulator.order_list(0)
    assert emulator.requests() == []
    assert binance.get(TIME_PATH).headers["X-MBX-USED-WEIGHT-1M"] == "1"


def test_the_clock_can_be_read(emulator: EmulatorControl) -> None:
    emulator.shift_clock(-2500)
    assert httpx.get(f"{emulator.base_url}{CONTROL}/clock").json()["offsetMs"] == -2500


def test_reset_restores_the_initial_state(emulator: EmulatorControl, binance: httpx.Client) -> None:
    send_cancel(binance, hmac_signed(cancel_params()))
    emulator.create_order_list()
    emulator.register_hmac_key("temporary", "secret")
    emulator.add_fault(FaultKind.WAF_FORBIDDEN, count=None)
    emulator.shift_clock(100_000)
    emulator.set_response_version("older")
    emulator.set_rate_limit(1)
    emulator.reset()
    response = send_cancel(binance, hmac_signed(cancel_params()))
    assert response.status_code == 200
    assert "origQuoteOrderQty" in response.json()["orderReports"][0]
    assert binance.get(TIME_PATH).status_code == 200
    assert send_cancel(binance, hmac_signed(cancel_params(), "secret"), api_key="temporary").json()["code"] == -2015
    assert [entry.status for entry in emulator.requests()] == [200, 200, 401]
    with pytest.raises(EmulatorControlError):
        emulator.order_list(1)


def test_is_ready_is_false_where_nothing_listens() -> None:
    with EmulatorControl("http://127.0.0.1:9", timeout=0.5) as nowhere:
        assert not nowhere.is_ready()


@pytest.mark.parametrize(
    ("payload", "accepted"),
    [
        ({"weightPerMinute": 10}, {"weightPerMinute": 10, "banSeconds": 120}),
        ({"weightPerMinute": None, "banSeconds": 5}, {"weightPerMinute": None, "banSeconds": 5}),
    ],
)
def test_rate_limit_settings(emulator: EmulatorControl, payload: dict[str, Any], accepted: dict[str, Any]) -> None:
    response = httpx.put(f"{emulator.base_url}{CONTROL}/rate-limit", json=payload)
    assert response.json() == accepted


@pytest.mark.parametrize("payload", [{"weightPerMinute": 0}, {"weightPerMinute": 5, "banSeconds": 0}])
def test_rate_limits_below_one_are_refused(emulator: EmulatorControl, payload: dict[str, Any]) -> None:
    response = httpx.put(f"{emulator.base_url}{CONTROL}/rate-limit", json=payload)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "weightPerMinute and banSeconds must be at least 1"},
    )


def test_an_unknown_response_version_is_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError, match="version must be one of"):
        emulator.set_response_version("oldest")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("inject", "status", "code", "kind", "executed"),
    [
        (lambda emulator: emulator.lose_answer(), 500, -1007, FaultKind.BACKEND_TIMEOUT, True),
        (lambda emulator: emulator.lose_answer(executed=False), 500, -1007, FaultKind.BACKEND_TIMEOUT, False),
        (lambda emulator: emulator.server_error(), 503, -1001, FaultKind.SERVER_ERROR_JSON, False),
        (lambda emulator: emulator.server_error(502, executed=True), 502, -1001, FaultKind.SERVER_ERROR_JSON, True),
        (lambda emulator: emulator.too_many_requests(retry_after=7), 429, -1003, FaultKind.RATE_LIMITED, False),
        (lambda emulator: emulator.ban_ip(retry_after=9), 418, -1003, FaultKind.IP_BANNED, False),
    ],
    ids=["lost-executed", "lost-not-executed", "5xx", "5xx-executed", "429", "418"],
)
def test_fault_helpers_answer_the_next_cancel_only(
    emulator: EmulatorControl,
    binance: httpx.Client,
    inject: Callable[[EmulatorControl], int],
    status: int,
    code: int,
    kind: FaultKind,
    executed: bool,
) -> None:
    inject(emulator)
    assert binance.get(TIME_PATH).status_code == 200  # aimed at the cancel: a clock sync leaves it waiting
    faulted = send_cancel(binance, hmac_signed(cancel_params()))

    assert (faulted.status_code, faulted.json()["code"]) == (status, code)
    assert faulted.headers.get("Retry-After") == {429: "7", 418: "9"}.get(status)
    assert emulator.order_list(0).list_order_status == ("ALL_DONE" if executed else "EXECUTING")
    assert [entry.fault for entry in emulator.requests(method="DELETE")] == [kind]
    assert send_cancel(binance, hmac_signed(cancel_params())).status_code == (400 if executed else 200)


@pytest.mark.parametrize("executed", [True, False])
def test_drop_connection_breaks_the_next_cancels_answer(
    emulator: EmulatorControl, binance: httpx.Client, executed: bool
) -> None:
    emulator.drop_connection(executed=executed)
    with pytest.raises(httpx.TransportError):
        send_cancel(binance, hmac_signed(cancel_params()))
    assert emulator.order_list(0).list_order_status == ("ALL_DONE" if executed else "EXECUTING")


def test_fault_helpers_aim_at_any_path_method_and_count(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.server_error(count=2, path=TIME_PATH, method="GET")
    assert [binance.get(TIME_PATH).status_code for _ in range(3)] == [503, 503, 200]
    assert send_cancel(binance, hmac_signed(cancel_params())).status_code == 200
    assert [entry.path for entry in emulator.requests(path=TIME_PATH)] == [TIME_PATH] * 3
    assert [entry.status for entry in emulator.requests(method="DELETE", path="/api/v3/orderList")] == [200]


@pytest.mark.parametrize("key_type", ["hmac", "ed25519", "rsa"])
def test_credentials_of_each_key_type_sign_accepted_cancels(
    emulator: EmulatorControl, key_type: Literal["hmac", "ed25519", "rsa"]
) -> None:
    credentials = emulator.credentials(key_type)
    with emulator.spot_client(key_type) as client:
        assert client.cancel_order_list(symbol="LTCBTC", order_list_id=0).order_list_id == 0
    (cancel,) = emulator.requests()
    assert (cancel.status, cancel.signature_valid) == (200, True)
    assert emulator.credentials(key_type).api_key == credentials.api_key  # the same key pair, registered again
