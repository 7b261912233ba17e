"""GET /api/v3/orderList and GET /api/v3/openOrderList: real state, signatures, timing, weights, lag, faults."""

import httpx
import pytest
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, EmulatorControl, FaultKind
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .by_hand import assert_matches_spec, cancel_params, error_of, hmac_signed, now_ms, send_cancel

QUERY_PATH = "/api/v3/orderList"
OPEN_PATH = "/api/v3/openOrderList"
NO_SUCH_LIST = (400, -2013, "Order list does not exist.")
HEADERS = {"X-MBX-APIKEY": DEFAULT_HMAC_API_KEY}


def query(binance: httpx.Client, path: str = QUERY_PATH, /, **params: object) -> httpx.Response:
    signed = hmac_signed([*params.items(), ("timestamp", now_ms())])
    return binance.get(f"{path}?{signed}", headers=HEADERS)


def status_of(binance: httpx.Client, **params: object) -> str:
    response = query(binance, **params)
    assert response.status_code == 200, response.text
    status: str = response.json()["listOrderStatus"]
    return status


def cancel_seed(binance: httpx.Client) -> None:
    assert send_cancel(binance, hmac_signed(cancel_params())).status_code == 200


def test_a_query_by_either_id_answers_the_list_as_the_spec_says(
    emulator: EmulatorControl, binance: httpx.Client
) -> None:
    seed_client_id = emulator.order_list(0).list_client_order_id
    by_id, by_client_id = query(binance, orderListId=0), query(binance, origClientOrderId=seed_client_id)
    for response in (by_id, by_client_id):
        assert response.status_code == 200
        assert_matches_spec(response)
        assert response.headers["X-MBX-USED-WEIGHT-1M"] in ("4", "8")  # openapi.yaml's x-weight, each
    assert by_id.json() == by_client_id.json()
    body = by_id.json()
    assert (body["orderListId"], body["listOrderStatus"], body["symbol"]) == (0, "EXECUTING", "LTCBTC")
    assert [order["orderId"] for order in body["orders"]] == [2, 3]
    assert set(body) == {"orderListId", "contingencyType", "listStatusType", "listOrderStatus"} | {
        "listClientOrderId",
        "transactionTime",
        "symbol",
        "orders",
    }


def test_a_query_sees_the_cancel(binance: httpx.Client) -> None:
    cancel_seed(binance)
    assert status_of(binance, orderListId=0) == "ALL_DONE"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, (400, -1102, "Param 'orderListId' or 'origClientOrderId' must be sent, but both were empty/null!")),
        ({"orderListId": 99}, NO_SUCH_LIST),
        ({"origClientOrderId": "neverSeen"}, NO_SUCH_LIST),
        ({"orderListId": 0, "origClientOrderId": "another"}, NO_SUCH_LIST),
        (
            {"orderListId": "x"},
            (400, -1100, "Illegal characters found in parameter 'orderListId'; legal range is '^[0-9]{1,20}$'."),
        ),
        (
            {"orderListId": 0, "symbol": "LTCBTC"},
            (400, -1104, "Not all sent parameters were read; read '3' parameter(s) but was sent '4'."),
        ),
    ],
)
def test_a_query_is_checked_by_the_spec_rules(
    binance: httpx.Client, params: dict[str, object], expected: tuple[int, int, str]
) -> None:
    assert error_of(query(binance, **params)) == expected


def test_a_query_needs_a_valid_signature_and_a_timely_timestamp(binance: httpx.Client) -> None:
    forged = hmac_signed([("orderListId", 0), ("timestamp", now_ms())], secret="not the secret")
    assert error_of(binance.get(f"{QUERY_PATH}?{forged}", headers=HEADERS))[1] == -1022
    late = hmac_signed([("timestamp", now_ms() - 60_000)])
    assert error_of(binance.get(f"{OPEN_PATH}?{late}", headers=HEADERS))[1] == -1021


def test_open_lists_are_those_executing(emulator: EmulatorControl, binance: httpx.Client) -> None:
    created = emulator.create_order_list(symbol="BTCUSDT", contingency_type="OTO")
    cancel_seed(binance)
    response = query(binance, OPEN_PATH)
    assert response.status_code == 200
    assert_matches_spec(response)
    assert response.headers["X-MBX-USED-WEIGHT-1M"] == "6"
    assert [(item["orderListId"], item["symbol"]) for item in response.json()] == [(created.order_list_id, "BTCUSDT")]


def test_times_are_in_the_header_unit(binance: httpx.Client) -> None:
    signed = hmac_signed([("orderListId", 0), ("timestamp", now_ms())])
    micro = binance.get(f"{QUERY_PATH}?{signed}", headers=HEADERS | {"X-MBX-TIME-UNIT": "MICROSECOND"})
    assert micro.json()["transactionTime"] // 1000 == query(binance, orderListId=0).json()["transactionTime"]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lag=st.integers(min_value=1, max_value=4))
def test_queries_lag_a_cancel_for_as_many_queries_as_asked(
    emulator: EmulatorControl, binance: httpx.Client, lag: int
) -> None:
    emulator.reset()
    emulator.set_query_lag(queries=lag)
    cancel_seed(binance)
    seen = [status_of(binance, orderListId=0) for _ in range(lag)]
    assert seen == ["EXECUTING"] * lag
    assert status_of(binance, orderListId=0) == "ALL_DONE"
    assert emulator.order_list(0).list_order_status == "ALL_DONE"  # the engine knew all along
    assert error_of(send_cancel(binance, hmac_signed(cancel_params())))[1] == -2011


def test_open_lists_lag_too(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.set_query_lag(queries=1)
    cancel_seed(binance)
    assert [item["orderListId"] for item in query(binance, OPEN_PATH).json()] == [0]
    assert query(binance, OPEN_PATH).json() == []


def test_a_lag_in_server_time_lasts_while_the_clock_has_not_passed_it(
    emulator: EmulatorControl, binance: httpx.Client
) -> None:
    emulator.set_query_lag(milliseconds=3_600_000)
    cancel_seed(binance)
    assert status_of(binance, orderListId=0) == "EXECUTING"
    emulator.set_query_lag()  # a lag applies to changes made after it is set: this one still lags
    assert status_of(binance, orderListId=0) == "EXECUTING"


def test_the_control_api_refuses_a_negative_lag(emulator: EmulatorControl) -> None:
    with pytest.raises(Exception, match="must not be negative"):
        emulator.set_query_lag(queries=-1)


@pytest.mark.parametrize("kind", [FaultKind.BACKEND_TIMEOUT, FaultKind.SERVER_ERROR_EMPTY, FaultKind.RATE_LIMITED])
def test_faults_stand_in_for_a_query(emulator: EmulatorControl, binance: httpx.Client, kind: FaultKind) -> None:
    emulator.add_fault(kind, path=QUERY_PATH, method="GET")
    assert query(binance, orderListId=0).status_code in (429, 500, 503)
    assert emulator.requests()[-1].fault == kind
    assert status_of(binance, orderListId=0) == "EXECUTING"  # the fault was used up; the cancel path untouched


def test_body_faults_edit_every_list_of_the_open_lists(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.create_order_list(symbol="BTCUSDT")
    emulator.add_fault(FaultKind.EXTRA_FIELDS, path=OPEN_PATH)
    emulator.add_fault(FaultKind.MISSING_FIELD, path=OPEN_PATH, field="orders")
    assert [item["unknownCount"] for item in query(binance, OPEN_PATH).json()] == [42, 42]
    assert ["orders" in item for item in query(binance, OPEN_PATH).json()] == [False, False]


def test_a_connection_dropped_before_binance_acts_leaves_the_list_open(
    emulator: EmulatorControl, binance: httpx.Client
) -> None:
    emulator.add_fault(FaultKind.DROPPED_CONNECTION, path=QUERY_PATH, method="DELETE", apply_cancel=False)
    with pytest.raises(httpx.RemoteProtocolError):
        send_cancel(binance, hmac_signed(cancel_params()))
    assert emulator.order_list(0).list_order_status == "EXECUTING"
    emulator.add_fault(FaultKind.DROPPED_CONNECTION, path=QUERY_PATH, method="DELETE")
    with pytest.raises(httpx.RemoteProtocolError):
        send_cancel(binance, hmac_signed(cancel_params()))
    assert emulator.order_list(0).list_order_status == "ALL_DONE"
