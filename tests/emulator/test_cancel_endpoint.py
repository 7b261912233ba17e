"""DELETE /api/v3/orderList: every rule of the documents, every error code, both versions."""

import re
import string
import time

import httpx
import pytest
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, EmulatorControl, OrderSpec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from .by_hand import (
    ORDER_LIST_PATH,
    assert_matches_spec,
    cancel_params,
    encoded,
    error_of,
    hmac_signed,
    now_ms,
    send_cancel,
)

ILLEGAL_LONG = "Illegal characters found in parameter '{}'; legal range is '^[0-9]{{1,20}}$'."
ILLEGAL_CLIENT_ID = "Illegal characters found in parameter '{}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{{1,36}}$'."
BOTH_EMPTY = "Param 'orderListId' or 'listClientOrderId' must be sent, but both were empty/null!"
UNKNOWN_LIST = (400, -2011, "Unknown order list sent.")
fixture_per_example = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
client_order_ids = st.text(alphabet=string.ascii_letters + string.digits + "._:/-", min_size=1, max_size=36)


def mandatory(name: str) -> tuple[int, int, str]:
    return 400, -1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed."


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"symbol": None}, mandatory("symbol")),
        ({"symbol": ""}, mandatory("symbol")),
        ({"timestamp": None}, mandatory("timestamp")),
        ({"orderListId": None}, (400, -1102, BOTH_EMPTY)),
        ({"orderListId": "", "listClientOrderId": ""}, (400, -1102, BOTH_EMPTY)),
        (
            {"orderListId": "", "listClientOrderId": "C3wyj4WVEktd7u9aVBRXcN"},
            (400, -1105, "Parameter 'orderListId' was empty."),
        ),
        ({"newClientOrderId": ""}, (400, -1105, "Parameter 'newClientOrderId' was empty.")),
        ({"recvWindow": ""}, (400, -1105, "Parameter 'recvWindow' was empty.")),
        ({"orderListId": "zero"}, (400, -1100, ILLEGAL_LONG.format("orderListId"))),
        ({"orderListId": "-1"}, (400, -1100, ILLEGAL_LONG.format("orderListId"))),
        ({"orderListId": 2**63}, (400, -1100, ILLEGAL_LONG.format("orderListId"))),
        ({"timestamp": "1.5"}, (400, -1100, ILLEGAL_LONG.format("timestamp"))),
        ({"listClientOrderId": "has space"}, (400, -1100, ILLEGAL_CLIENT_ID.format("listClientOrderId"))),
        ({"newClientOrderId": "x" * 37}, (400, -1100, ILLEGAL_CLIENT_ID.format("newClientOrderId"))),
        (
            {"symbol": "ltcbtc"},
            (400, -1100, "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'."),
        ),
        (
            {"recvWindow": "6e3"},
            (
                400,
                -1100,
                "Illegal characters found in parameter 'recvWindow'; legal range is '^[0-9]{1,20}(\\.[0-9]{1,3})?$'.",
            ),
        ),
        ({"recvWindow": "5000.1234"}, (400, -1111, "Parameter 'recvWindow' has too much precision.")),
        ({"recvWindow": "60001"}, (400, -1131, "recvWindow must be less than 60000.")),
        ({"recvWindow": "60000.001"}, (400, -1131, "recvWindow must be less than 60000.")),
        ({"orderId": 2}, (400, -1106, "Parameter 'orderId' sent when not required.")),
        (
            {"colour": "blue"},
            (400, -1104, "Not all sent parameters were read; read '4' parameter(s) but was sent '5'."),
        ),
        ({"timestamp": 1499827319559}, (400, -1021, "Timestamp for this request is outside of the recvWindow.")),
        ({"orderListId": 999}, UNKNOWN_LIST),
        ({"symbol": "BTCUSDT"}, (400, -1121, "Invalid symbol.")),
        ({"orderListId": None, "listClientOrderId": "unknown-list"}, UNKNOWN_LIST),
    ],
)
def test_parameter_errors(binance: httpx.Client, overrides: dict[str, object], expected: tuple[int, int, str]) -> None:
    assert error_of(send_cancel(binance, hmac_signed(cancel_params(**overrides)))) == expected


def test_a_timestamp_ahead_of_the_server(binance: httpx.Client) -> None:
    """Read the clock here, not in a parametrize list: that is evaluated at collection, and a busy run can reach
    the test more than the minute later that would make "ahead" stale."""
    response = send_cancel(binance, hmac_signed(cancel_params(timestamp=now_ms() + 60_000)))
    assert error_of(response) == (400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.")


def test_a_parameter_sent_twice(binance: httpx.Client) -> None:
    query = hmac_signed([*cancel_params(), ("symbol", "LTCBTC")])
    assert error_of(send_cancel(binance, query)) == (400, -1101, "Duplicate values for a parameter detected.")


def test_a_failed_cancel_changes_nothing(binance: httpx.Client, emulator: EmulatorControl) -> None:
    send_cancel(binance, hmac_signed(cancel_params(recvWindow="60001")))
    assert emulator.order_list(0).list_order_status == "EXECUTING"
    assert send_cancel(binance, hmac_signed(cancel_params())).status_code == 200


@pytest.mark.parametrize(
    ("api_key", "expected"),
    [
        (None, (401, -2014, "API-key format invalid.")),
        ("", (401, -2014, "API-key format invalid.")),
        ("someone-elses-key", (401, -2015, "Invalid API-key, IP, or permissions for action.")),
    ],
)
def test_api_key_problems(binance: httpx.Client, api_key: str | None, expected: tuple[int, int, str]) -> None:
    assert error_of(send_cancel(binance, hmac_signed(cancel_params()), api_key=api_key)) == expected


def test_a_missing_signature(binance: httpx.Client) -> None:
    assert error_of(send_cancel(binance, encoded(cancel_params()))) == mandatory("signature")


def test_parameters_after_the_signature_are_unsigned_bytes(binance: httpx.Client) -> None:
    response = send_cancel(binance, hmac_signed(cancel_params()) + "&recvWindow=60000")
    assert error_of(response) == (400, -1022, "Signature for this request is not valid.")


def test_hmac_signatures_are_not_case_sensitive(binance: httpx.Client) -> None:
    query = hmac_signed(cancel_params())
    payload, signature = query.split("&signature=")
    assert send_cancel(binance, f"{payload}&signature={signature.upper()}").status_code == 200


@given(data=st.data())
@fixture_per_example
def test_any_tampered_byte_of_the_payload_is_rejected(binance: httpx.Client, data: st.DataObject) -> None:
    payload, signature = hmac_signed(cancel_params()).split("&signature=")
    position = data.draw(st.integers(0, len(payload) - 1))
    replacement = data.draw(
        st.sampled_from(string.ascii_letters + string.digits).filter(lambda c: c != payload[position])
    )
    tampered = payload[:position] + replacement + payload[position + 1 :]
    response = send_cancel(binance, f"{tampered}&signature={signature}")
    assert error_of(response) == (400, -1022, "Signature for this request is not valid.")


def test_the_newer_document_rejects_a_mismatched_pair_of_ids(binance: httpx.Client, emulator: EmulatorControl) -> None:
    other = emulator.create_order_list(symbol="LTCBTC")
    mismatched = cancel_params(orderListId=0, listClientOrderId=other.list_client_order_id)
    assert error_of(send_cancel(binance, hmac_signed(mismatched))) == UNKNOWN_LIST
    matched = cancel_params(orderListId=0, listClientOrderId="C3wyj4WVEktd7u9aVBRXcN")
    assert send_cancel(binance, hmac_signed(matched)).json()["orderListId"] == 0


def test_the_older_document_lets_order_list_id_take_precedence(
    binance: httpx.Client, emulator: EmulatorControl
) -> None:
    emulator.set_response_version("older")
    other = emulator.create_order_list(symbol="LTCBTC")
    mismatched = cancel_params(orderListId=0, listClientOrderId=other.list_client_order_id)
    response = send_cancel(binance, hmac_signed(mismatched))
    assert response.json()["orderListId"] == 0
    assert emulator.order_list(other.order_list_id).list_order_status == "EXECUTING"


@pytest.mark.parametrize("version", ["newer", "older"])
def test_the_response_shape_follows_the_version(binance: httpx.Client, emulator: EmulatorControl, version: str) -> None:
    emulator.set_response_version(version)  # type: ignore[arg-type]
    response = send_cancel(binance, hmac_signed(cancel_params()))
    assert_matches_spec(response)
    reports = response.json()["orderReports"]
    assert [("origQuoteOrderQty" in report) for report in reports] == [version == "newer"] * 2
    if version == "newer":
        assert reports[0]["origQuoteOrderQty"] == "0.000000"


def test_the_older_document_has_a_whole_number_recv_window(binance: httpx.Client, emulator: EmulatorControl) -> None:
    emulator.set_response_version("older")
    response = send_cancel(binance, hmac_signed(cancel_params(recvWindow="5000.5")))
    assert error_of(response) == (400, -1100, ILLEGAL_LONG.format("recvWindow"))
    assert send_cancel(binance, hmac_signed(cancel_params(recvWindow="5000"))).status_code == 200


@given(recv_window=st.decimals(min_value=1000, max_value=60000, places=3))
@fixture_per_example
def test_any_decimal_recv_window_with_three_places_is_accepted(binance: httpx.Client, recv_window: object) -> None:
    response = send_cancel(binance, hmac_signed(cancel_params(orderListId=999, recvWindow=recv_window)))
    assert error_of(response) == UNKNOWN_LIST


@given(list_client_order_id=client_order_ids, new_client_order_id=client_order_ids)
@fixture_per_example
def test_any_valid_client_ids_work(
    binance: httpx.Client, emulator: EmulatorControl, list_client_order_id: str, new_client_order_id: str
) -> None:
    emulator.reset()
    emulator.create_order_list(symbol="ETHBTC", list_client_order_id=list_client_order_id)
    params = cancel_params(symbol="ETHBTC", orderListId=None, listClientOrderId=list_client_order_id)
    response = send_cancel(binance, hmac_signed([*params, ("newClientOrderId", new_client_order_id)]))
    assert response.json()["listClientOrderId"] == list_client_order_id
    assert {report["clientOrderId"] for report in response.json()["orderReports"]} == {new_client_order_id}


def test_without_new_client_order_id_one_is_generated_for_the_cancel(binance: httpx.Client) -> None:
    reports = send_cancel(binance, hmac_signed(cancel_params())).json()["orderReports"]
    (generated,) = {report["clientOrderId"] for report in reports}
    assert re.fullmatch(r"[A-Za-z0-9]{22}", generated)


def test_a_closed_lists_client_id_can_name_a_new_list(binance: httpx.Client, emulator: EmulatorControl) -> None:
    by_client_id = cancel_params(orderListId=None, listClientOrderId="C3wyj4WVEktd7u9aVBRXcN")
    assert send_cancel(binance, hmac_signed(by_client_id)).json()["orderListId"] == 0
    reused = emulator.create_order_list(symbol="LTCBTC", list_client_order_id="C3wyj4WVEktd7u9aVBRXcN")
    assert send_cancel(binance, hmac_signed(by_client_id)).json()["orderListId"] == reused.order_list_id


def test_an_oto_list_cancels_its_working_and_pending_orders(binance: httpx.Client, emulator: EmulatorControl) -> None:
    created = emulator.create_order_list(symbol="BNBUSDT", contingency_type="OTO")
    assert [order.status for order in emulator.order_list(created.order_list_id).orders] == ["NEW", "PENDING_NEW"]
    response = send_cancel(binance, hmac_signed(cancel_params(symbol="BNBUSDT", orderListId=created.order_list_id)))
    assert_matches_spec(response)
    assert response.json()["contingencyType"] == "OTO"
    assert [report["side"] for report in response.json()["orderReports"]] == ["BUY", "SELL"]
    assert [order.status for order in emulator.order_list(created.order_list_id).orders] == ["CANCELED"] * 2


def test_orders_are_reported_with_their_own_terms(binance: httpx.Client, emulator: EmulatorControl) -> None:
    orders = [
        OrderSpec("BUY", "LIMIT", "0.1", "2.5", client_order_id="buy-1", time_in_force="IOC"),
        OrderSpec("BUY", "STOP_LOSS", "0.3", "2.5", stop_price="0.29"),
    ]
    created = emulator.create_order_list(symbol="ETHBTC", orders=orders)
    response = send_cancel(binance, hmac_signed(cancel_params(symbol="ETHBTC", orderListId=created.order_list_id)))
    first, second = response.json()["orderReports"]
    assert (first["origClientOrderId"], first["price"], first["origQty"], first["timeInForce"]) == (
        "buy-1",
        "0.10000000",
        "2.50000000",
        "IOC",
    )
    assert (second["type"], second["stopPrice"]) == ("STOP_LOSS", "0.29000000")


def test_a_list_on_another_known_symbol_is_unknown(binance: httpx.Client, emulator: EmulatorControl) -> None:
    """-1121 is for symbols the exchange does not list; a listed symbol without that list is -2011."""
    emulator.create_order_list(symbol="BTCUSDT")
    assert error_of(send_cancel(binance, hmac_signed(cancel_params(symbol="BTCUSDT", orderListId=0)))) == UNKNOWN_LIST
    emulator.reset()
    assert error_of(send_cancel(binance, hmac_signed(cancel_params(symbol="BTCUSDT"))))[1] == -1121


def test_a_non_ascii_symbol_is_signed_percent_encoded(binance: httpx.Client, emulator: EmulatorControl) -> None:
    created = emulator.create_order_list(symbol="１２３４５６")
    query = hmac_signed(cancel_params(symbol="１２３４５６", orderListId=created.order_list_id))
    assert query.startswith("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&")
    response = send_cancel(binance, query)
    assert response.json()["symbol"] == "１２３４５６"
    assert emulator.requests()[-1].query_string == query


@given(
    header=st.sampled_from([None, "MILLISECOND", "millisecond", "MICROSECOND", "microsecond"]),
    timestamp_in_us=st.booleans(),
)
@settings(fixture_per_example, max_examples=12)
def test_the_header_sets_the_response_times_whatever_the_timestamps_unit(
    emulator: EmulatorControl, binance: httpx.Client, header: str | None, timestamp_in_us: bool
) -> None:
    created = emulator.create_order_list(symbol="LTCBTC")
    before_us = time.time_ns() // 1000
    timestamp = before_us if timestamp_in_us else before_us // 1000
    params = cancel_params(timestamp=timestamp, orderListId=created.order_list_id)
    response = send_cancel(binance, hmac_signed(params), time_unit=header)
    after_us = time.time_ns() // 1000
    assert_matches_spec(response)
    body = response.json()
    if header in {"MICROSECOND", "microsecond"}:
        assert before_us <= body["transactionTime"] <= after_us
    else:
        assert before_us // 1000 <= body["transactionTime"] <= after_us // 1000
    assert {report["transactTime"] for report in body["orderReports"]} == {body["transactionTime"]}


@pytest.mark.parametrize(("age_s", "expected_code"), [(30, None), (61, -1021)])
def test_a_microsecond_timestamp_without_the_header_is_read_as_microseconds(
    binance: httpx.Client, age_s: int, expected_code: int | None
) -> None:
    """Read as milliseconds it would be far ahead; the margins (30 s either side) dwarf the request's own time."""
    timestamp = time.time_ns() // 1000 - age_s * 1_000_000
    response = send_cancel(binance, hmac_signed(cancel_params(timestamp=timestamp, recvWindow=60000)))
    assert (None if response.status_code == 200 else response.json()["code"]) == expected_code


def test_millisecond_is_the_default_and_can_be_named(binance: httpx.Client) -> None:
    before_ms = now_ms()
    body = send_cancel(binance, hmac_signed(cancel_params()), time_unit="millisecond").json()
    assert before_ms <= body["transactionTime"] < before_ms + 5_000


@pytest.mark.parametrize("header", ["NANOSECOND", "", "MICRO"])
def test_a_bad_time_unit(binance: httpx.Client, header: str) -> None:
    response = send_cancel(binance, hmac_signed(cancel_params()), time_unit=header)
    assert error_of(response) == (
        400,
        -1194,
        "Invalid value for time unit; expected either MICROSECOND or MILLISECOND.",
    )


async def test_the_same_app_runs_in_process_through_asgi_transport(emulator_app: Starlette) -> None:
    query = hmac_signed(cancel_params())
    transport = httpx.ASGITransport(app=emulator_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        first, second = [
            await client.delete(f"{ORDER_LIST_PATH}?{query}", headers={"X-MBX-APIKEY": DEFAULT_HMAC_API_KEY})
            for _ in range(2)
        ]
    assert_matches_spec(first)
    assert first.json()["orderListId"] == 0
    assert error_of(second) == UNKNOWN_LIST
