"""Every fault kind through the control API, against the real server, with what it does to the order list."""

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from binance_orderlist_emulator import EmulatorControl, EmulatorControlError, FaultKind
from openapi_core.exceptions import OpenAPIError

from .by_hand import ORDER_LIST_PATH, TIME_PATH, assert_matches_spec, cancel_params, hmac_signed, send_cancel

TIMEOUT_MSG = "Timeout waiting for response from backend server. Send status unknown; execution status unknown."


def cancel(binance: httpx.Client) -> httpx.Response:
    return send_cancel(binance, hmac_signed(cancel_params()))


def seed_list_status(emulator: EmulatorControl) -> str:
    return emulator.order_list(0).list_order_status


@pytest.mark.parametrize(
    ("kind", "params", "status", "body"),
    [
        (
            FaultKind.SERVER_ERROR_JSON,
            {},
            500,
            {"code": -1001, "msg": "Internal error; unable to process your request. Please try again."},
        ),
        (
            FaultKind.SERVER_ERROR_JSON,
            {"status": 503, "code": -1008, "msg": "busy"},
            503,
            {"code": -1008, "msg": "busy"},
        ),
        (FaultKind.BACKEND_TIMEOUT, {}, 500, {"code": -1007, "msg": TIMEOUT_MSG}),
        (FaultKind.BACKEND_TIMEOUT, {"status": 504}, 504, {"code": -1007, "msg": TIMEOUT_MSG}),
    ],
)
def test_json_server_errors_leave_the_list_open_by_default(
    emulator: EmulatorControl,
    binance: httpx.Client,
    kind: FaultKind,
    params: dict[str, Any],
    status: int,
    body: object,
) -> None:
    emulator.add_fault(kind, **params)
    response = cancel(binance)
    assert_matches_spec(response)
    assert (response.status_code, response.json()) == (status, body)
    assert seed_list_status(emulator) == "EXECUTING"


@pytest.mark.parametrize(
    "kind",
    [FaultKind.SERVER_ERROR_JSON, FaultKind.SERVER_ERROR_HTML, FaultKind.SERVER_ERROR_EMPTY, FaultKind.BACKEND_TIMEOUT],
)
def test_a_server_error_can_hide_a_cancel_that_happened(
    emulator: EmulatorControl, binance: httpx.Client, kind: FaultKind
) -> None:
    emulator.add_fault(kind, apply_cancel=True)
    assert cancel(binance).status_code >= 500
    assert seed_list_status(emulator) == "ALL_DONE"
    assert cancel(binance).json()["code"] == -2011


def test_a_server_error_with_an_html_page(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.SERVER_ERROR_HTML)
    response = cancel(binance)
    assert_matches_spec(response)
    assert (response.status_code, response.headers["content-type"]) == (502, "text/html; charset=utf-8")
    assert "<h1>502 Bad Gateway</h1>" in response.text
    assert seed_list_status(emulator) == "EXECUTING"


def test_a_server_error_with_no_body(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.SERVER_ERROR_EMPTY, status=504)
    response = cancel(binance)
    assert (response.status_code, response.content, response.headers["content-length"]) == (504, b"", "0")
    assert seed_list_status(emulator) == "EXECUTING"


def test_a_waf_page(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.WAF_FORBIDDEN)
    response = cancel(binance)
    assert_matches_spec(response)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "web application firewall" in response.text
    assert seed_list_status(emulator) == "EXECUTING"


@pytest.mark.parametrize(
    ("kind", "status", "retry_after"), [(FaultKind.RATE_LIMITED, 429, 7), (FaultKind.IP_BANNED, 418, 600)]
)
def test_forced_rate_limit_answers(
    emulator: EmulatorControl, binance: httpx.Client, kind: FaultKind, status: int, retry_after: int
) -> None:
    emulator.add_fault(kind, retry_after=retry_after)
    response = cancel(binance)
    assert_matches_spec(response)
    assert (response.status_code, response.headers["Retry-After"], response.json()["code"]) == (
        status,
        str(retry_after),
        -1003,
    )
    assert seed_list_status(emulator) == "EXECUTING"
    assert cancel(binance).status_code == 200


def test_malformed_json_after_a_real_cancel(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.MALFORMED_JSON)
    response = cancel(binance)
    assert response.status_code == 200
    assert response.text.startswith("{'orderListId':0,")
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert seed_list_status(emulator) == "ALL_DONE"


@pytest.mark.parametrize("keep_fraction", [0.0, 0.5, 0.99])
def test_truncated_json_after_a_real_cancel(
    emulator: EmulatorControl, binance: httpx.Client, keep_fraction: float
) -> None:
    emulator.add_fault(FaultKind.TRUNCATED_JSON, path=ORDER_LIST_PATH, keep_fraction=keep_fraction)
    truncated = cancel(binance)
    assert truncated.headers["content-length"] == str(len(truncated.content))
    with pytest.raises(json.JSONDecodeError):
        truncated.json()
    assert seed_list_status(emulator) == "ALL_DONE"
    emulator.reset()
    assert cancel(binance).content.startswith(truncated.content[:10])


def test_a_slow_response_after_a_real_cancel(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.SLOW_RESPONSE, seconds=1.0)
    with httpx.Client(base_url=emulator.base_url, timeout=0.3) as impatient, pytest.raises(httpx.ReadTimeout):
        send_cancel(impatient, hmac_signed(cancel_params()))
    assert seed_list_status(emulator) == "ALL_DONE"


def test_a_slow_response_arrives_whole_in_the_end(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.SLOW_RESPONSE, seconds=0.5)
    started_ns = time.monotonic_ns()
    response = cancel(binance)
    assert time.monotonic_ns() - started_ns >= 500_000_000, "a lower bound: the server waited before answering"
    assert_matches_spec(response)


def test_a_dropped_connection_after_a_real_cancel(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.DROPPED_CONNECTION)
    with pytest.raises(httpx.RemoteProtocolError):
        cancel(binance)
    assert seed_list_status(emulator) == "ALL_DONE"
    assert emulator.requests()[-1].fault == "dropped_connection"


def test_unknown_enum_values(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.UNKNOWN_ENUM_VALUES)
    response = cancel(binance)
    body = response.json()
    assert body["contingencyType"] == "OPOCO_NEW"
    assert {report["status"] for report in body["orderReports"]} == {"SOMETHING_NEW"}
    with pytest.raises(OpenAPIError):
        assert_matches_spec(response)
    assert seed_list_status(emulator) == "ALL_DONE"


def test_unknown_enum_values_of_ones_choosing(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.UNKNOWN_ENUM_VALUES, contingency_type="OPO", order_status="PENDING_SOMETHING")
    body = cancel(binance).json()
    assert (body["contingencyType"], body["orderReports"][1]["status"]) == ("OPO", "PENDING_SOMETHING")


def test_extra_fields_still_match_the_spec(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.EXTRA_FIELDS, fields={"newList": {"nested": [1]}}, report_fields={"orderTag": "X"})
    response = cancel(binance)
    assert_matches_spec(response)
    body = response.json()
    assert body["newList"] == {"nested": [1]}
    assert {report["orderTag"] for report in body["orderReports"]} == {"X"}
    assert body["orderListId"] == 0


def test_extra_fields_by_default(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.EXTRA_FIELDS)
    body = cancel(binance).json()
    assert set(body) > {"orderListId", "orderReports", "unknownField"}


@pytest.mark.parametrize(
    ("params", "missing"),
    [
        ({}, "orderReports"),
        ({"field": "listClientOrderId"}, "listClientOrderId"),
        ({"field": "orderReports.status"}, "status"),
    ],
)
def test_a_missing_required_field(
    emulator: EmulatorControl, binance: httpx.Client, params: dict[str, Any], missing: str
) -> None:
    emulator.add_fault(FaultKind.MISSING_FIELD, **params)
    response = cancel(binance)
    body = response.json()
    assert missing not in body
    assert all(missing not in report for report in body.get("orderReports", []))
    with pytest.raises(OpenAPIError):
        assert_matches_spec(response)
    assert seed_list_status(emulator) == "ALL_DONE"


def test_a_fault_lasts_count_requests_then_ends(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.SERVER_ERROR_EMPTY, count=2)
    assert [binance.get(TIME_PATH).status_code for _ in range(3)] == [503, 503, 200]


def test_a_fault_without_count_lasts_until_cleared(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.WAF_FORBIDDEN, count=None)
    assert [binance.get(TIME_PATH).status_code for _ in range(5)] == [403] * 5
    emulator.clear_faults()
    assert binance.get(TIME_PATH).status_code == 200


def test_a_fault_waits_for_its_path_and_method(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.BACKEND_TIMEOUT, path=ORDER_LIST_PATH, method="delete")
    emulator.add_fault(FaultKind.MALFORMED_JSON, path=TIME_PATH, method="POST")
    assert binance.get(TIME_PATH).json()["serverTime"] > 0
    assert cancel(binance).json()["code"] == -1007
    assert cancel(binance).status_code == 200
    assert [logged.fault for logged in emulator.requests()] == [None, "backend_timeout", None]


def test_faults_are_used_first_added_first(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.RATE_LIMITED)
    emulator.add_fault(FaultKind.IP_BANNED)
    assert [binance.get(TIME_PATH).status_code for _ in range(3)] == [429, 418, 200]


def test_data_faults_apply_to_the_time_endpoint_too(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.add_fault(FaultKind.MISSING_FIELD, path=TIME_PATH, field="serverTime")
    assert binance.get(TIME_PATH).json() == {}


@pytest.mark.parametrize(
    ("kind", "params", "reason"),
    [
        ("no_such_fault", {}, "kind must be one of"),
        (FaultKind.SLOW_RESPONSE, {"delay": 1}, "takes no parameter 'delay'"),
        (FaultKind.SLOW_RESPONSE, {"seconds": "1"}, "must be of type"),
        (FaultKind.SLOW_RESPONSE, {"seconds": -1}, "must not be negative"),
        (FaultKind.SERVER_ERROR_JSON, {"status": True}, "must be of type"),
        (FaultKind.TRUNCATED_JSON, {"keep_fraction": 1}, "below 1"),
        (FaultKind.EXTRA_FIELDS, {"fields": ["a"]}, "must be of type"),
    ],
)
def test_faults_the_emulator_cannot_make_are_refused(
    emulator: EmulatorControl, kind: str, params: dict[str, Any], reason: str
) -> None:
    with pytest.raises(EmulatorControlError, match=reason) as refused:
        emulator.add_fault(kind, **params)
    assert refused.value.status_code == 400


def test_a_count_below_one_is_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError, match="count must be at least 1"):
        emulator.add_fault(FaultKind.WAF_FORBIDDEN, count=0)


def test_every_fault_kind_is_covered_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    assert [kind for kind in FaultKind if f"FaultKind.{kind.name}" not in source] == []
