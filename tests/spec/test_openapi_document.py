"""openapi.yaml encodes both seed documents faithfully."""

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate

from .conftest import SEEDS, load_spec, seed_example

OPERATION = ("/api/v3/orderList", "delete")
EXPECTED_PARAMETERS = {
    # name: (location, required, type, format)
    "symbol": ("query", True, "string", None),
    "orderListId": ("query", False, "integer", "int64"),
    "listClientOrderId": ("query", False, "string", None),
    "newClientOrderId": ("query", False, "string", None),
    "recvWindow": ("query", False, "string", "decimal"),
    "timestamp": ("query", True, "integer", "int64"),
    "X-MBX-TIME-UNIT": ("header", False, "string", None),
}
OPTIONAL_REPORT_FIELDS = {"origQuoteOrderQty", "stopPrice", "icebergQty", "preventedMatchId", "preventedQuantity"}
OPTIONAL_REPORT_FIELDS |= {"strategyId", "strategyType", "trailingDelta", "trailingTime", "usedSor", "workingFloor"}
OPTIONAL_REPORT_FIELDS |= {"pegPriceType", "pegOffsetType", "pegOffsetValue", "peggedPrice", "expiryReason"}
"""The newer document's field, and Binance's "Conditional fields in Order Responses" (rest-api.md)."""


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        for part in node["$ref"].removeprefix("#/").split("/"):
            spec = spec[part]
        node = spec
    return node


def operation_parameters(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    path, method = OPERATION
    parameters = [resolve(spec, p) for p in spec["paths"][path][method]["parameters"]]
    return {p["name"]: p for p in parameters}


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_operation_metadata(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/v3/orderList"]["delete"]
    assert operation["operationId"] == "cancelOrderList"
    assert operation["tags"] == ["trade"]
    assert operation["x-weight"] == 1
    assert operation["x-data-source"] == "Matching Engine"
    assert operation["security"] == [{"ApiKey": [], "Signature": []}]
    for note in ("the `orderListId` is searched first", "`orderListId`\n  takes precedence", "cancel the entire"):
        assert note in operation["description"]


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAMETERS))
def test_every_parameter_has_its_type_and_optionality(spec: dict[str, Any], name: str) -> None:
    location, required, type_, format_ = EXPECTED_PARAMETERS[name]
    parameter = operation_parameters(spec)[name]
    schema = resolve(spec, parameter["schema"])
    assert (parameter["in"], parameter["required"], schema["type"], schema.get("format")) == (
        location,
        required,
        type_,
        format_,
    )


def test_no_undocumented_parameters(spec: dict[str, Any]) -> None:
    assert set(operation_parameters(spec)) == set(EXPECTED_PARAMETERS)
    assert "signature" not in operation_parameters(spec), "signature belongs to the security scheme"


def test_signing_rule_is_in_security_schemes(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-MBX-APIKEY"}
    assert schemes["Signature"]["in"] == "query"
    assert "percent-encoded" in schemes["Signature"]["description"]
    assert "last" in schemes["Signature"]["description"]


@pytest.mark.parametrize("name", ["listClientOrderId", "newClientOrderId"])
def test_client_ids_have_binances_pattern(spec: dict[str, Any], name: str) -> None:
    schema = resolve(spec, operation_parameters(spec)[name]["schema"])
    assert schema["maxLength"] == 36
    assert schema["pattern"] == "^[.A-Z:/a-z0-9_-]{1,36}$"


RECV_WINDOW_PATTERN = re.compile(operation_parameters(load_spec())["recvWindow"]["schema"]["pattern"])


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(60000), places=3))
def test_recv_window_pattern_accepts_every_valid_value(value: Decimal) -> None:
    assert RECV_WINDOW_PATTERN.fullmatch(format(value, "f"))


@pytest.mark.parametrize(
    "text", ["0", "0.000", "60000.001", "60001", "-5", "6e3", "5000.1234", "05000", ".5", "5000.", "1,5", " 5000"]
)
def test_recv_window_pattern_rejects(text: str) -> None:
    assert not RECV_WINDOW_PATTERN.fullmatch(text)


def response_schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return resolve(spec, spec["components"]["schemas"][name])


def test_every_field_of_both_examples_is_in_the_schema(spec: dict[str, Any]) -> None:
    top = response_schema(spec, "CancelOrderListResponse")
    report = response_schema(spec, "CancelOrderReport")
    order = response_schema(spec, "OrderListOrder")
    for prefix in ("000", "001"):
        example = seed_example(prefix)
        assert set(example) == set(top["properties"]) == set(top["required"])
        for item in example["orders"]:
            assert set(item) == set(order["required"]) == set(order["properties"])
        for item in example["orderReports"]:
            assert set(item) <= set(report["properties"])
            assert set(report["required"]) <= set(item)
    assert set(report["properties"]) - set(report["required"]) == OPTIONAL_REPORT_FIELDS


def test_times_and_ids_are_int64(spec: dict[str, Any]) -> None:
    top = response_schema(spec, "CancelOrderListResponse")["properties"]
    report = response_schema(spec, "CancelOrderReport")["properties"]
    for schema in (top["transactionTime"], top["orderListId"], report["transactTime"], report["orderId"]):
        assert (schema["type"], schema["format"]) == ("integer", "int64")


def test_enums_list_all_current_values(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["ContingencyType"]["enum"] == ["OCO", "OTO"]
    assert schemas["ListStatusType"]["enum"] == ["RESPONSE", "EXEC_STARTED", "UPDATED", "ALL_DONE"]
    assert schemas["ListOrderStatus"]["enum"] == ["EXECUTING", "ALL_DONE", "REJECT"]
    assert len(schemas["OrderStatus"]["enum"]) == 9
    assert "EXPIRED_IN_MATCH" in schemas["OrderStatus"]["enum"]
    assert len(schemas["OrderType"]["enum"]) == 7
    assert schemas["SelfTradePreventionMode"]["enum"][-1] == "TRANSFER"


def test_error_responses_are_declared(spec: dict[str, Any]) -> None:
    responses = spec["paths"]["/api/v3/orderList"]["delete"]["responses"]
    assert {"200", "403", "418", "429", "4XX", "5XX"} <= set(responses)
    for status in ("418", "429"):
        assert "Retry-After" in resolve(spec, responses[status])["headers"]
    assert "X-MBX-USED-WEIGHT-1M" in responses["200"]["headers"]
    assert response_schema(spec, "ErrorResponse")["required"] == ["code", "msg"]
    assert spec["paths"]["/api/v3/time"]["get"]["operationId"] == "getServerTime"
    assert spec["paths"]["/api/v3/ping"]["get"]["operationId"] == "ping"


def test_spec_examples_are_the_seed_examples(spec: dict[str, Any]) -> None:
    examples = spec["paths"]["/api/v3/orderList"]["delete"]["responses"]["200"]["content"]["application/json"]
    assert examples["examples"]["newer"]["value"] == seed_example("000")
    assert examples["examples"]["older"]["value"] == seed_example("001")


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_seed_example_validates_against_the_200_schema(openapi: OpenAPI, prefix: str) -> None:
    request = MockRequest(
        "https://api.binance.com",
        "delete",
        "/api/v3/orderList",
        args={"symbol": "LTCBTC", "orderListId": "0", "timestamp": "1499827319559", "signature": "00"},
        headers={"X-MBX-APIKEY": "key"},
    )
    body = json.dumps(seed_example(prefix)).encode()
    openapi.validate_response(request, MockResponse(body, headers={"X-MBX-USED-WEIGHT-1M": "1"}))


def test_the_validator_can_fail(openapi: OpenAPI) -> None:
    """Guards the test above: a response missing a required field must not validate."""
    broken = seed_example("000")
    del broken["orderReports"][0]["price"]
    request = MockRequest("https://api.binance.com", "delete", "/api/v3/orderList", args={"symbol": "LTCBTC"})
    with pytest.raises(Exception, match="price"):
        openapi.validate_response(request, MockResponse(json.dumps(broken).encode()))


def test_seeds_are_where_the_tests_read_them() -> None:
    assert len(list(SEEDS.glob("*.txt"))) == 2
