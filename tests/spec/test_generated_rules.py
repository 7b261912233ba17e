"""The generating step (``scripts/generate_operations.py``) and what it wrote: rules that say what openapi.yaml says."""

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from binance_orderlist_api.operations import CANCEL_ORDER_LIST, OPERATIONS

from scripts.generate_operations import MARKER, SpecError, operations, resolve

from .conftest import ROOT


def spec_parameters(spec: dict[str, Any], operation_id: str) -> dict[str, dict[str, Any]]:
    for item in spec["paths"].values():
        for operation in item.values():
            if operation["operationId"] == operation_id:
                parameters = (resolve(spec, raw, operation_id) for raw in operation.get("parameters", []))
                return {parameter["name"]: parameter for parameter in parameters}
    raise KeyError(operation_id)


def test_every_generated_file_says_so_in_its_first_line() -> None:
    files = sorted((ROOT / "generated").rglob("*.py"))
    assert len(files) > 20
    assert [path for path in files if not path.read_text(encoding="utf-8").startswith(MARKER + "\n")] == []


def test_one_rule_per_operation_and_parameter_of_the_spec(spec: dict[str, Any]) -> None:
    for operation_id, operation in OPERATIONS.items():
        documented = spec_parameters(spec, operation_id)
        assert [parameter.name for parameter in operation.parameters] == list(documented)
        for parameter in operation.parameters:
            schema = resolve(spec, documented[parameter.name]["schema"], parameter.name)
            assert parameter.required == documented[parameter.name].get("required", False)
            assert (parameter.min_length, parameter.max_length) == (schema.get("minLength"), schema.get("maxLength"))
            assert parameter.pattern_source == schema.get("pattern")
            assert parameter.enum == tuple(schema.get("enum", ()))
            enum_range = ", ".join(parameter.enum) or None  # an enum's message lists its values
            assert parameter.legal_range == documented[parameter.name].get("x-legal-range", enum_range)


def test_the_rules_of_the_cancel(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/v3/orderList"]["delete"]
    assert CANCEL_ORDER_LIST.required_one_of == tuple(tuple(group) for group in operation["x-required-one-of"])
    assert (CANCEL_ORDER_LIST.weight, CANCEL_ORDER_LIST.weight_on_success) == (1, 0)
    assert list(CANCEL_ORDER_LIST.error_codes) == operation["x-error-codes"]
    assert CANCEL_ORDER_LIST.error_codes[-2011] == spec["components"]["x-binance-errors"][-2011]["msg"]
    assert CANCEL_ORDER_LIST.parameter("timestamp").signing
    recv_window = CANCEL_ORDER_LIST.parameter("recvWindow")
    assert (recv_window.exclusive_minimum, recv_window.maximum) == (Decimal(0), Decimal(60000))
    assert recv_window.decimal_places == 3
    assert recv_window.errors == {"maximum": -1131}
    assert CANCEL_ORDER_LIST.parameter("orderListId").maximum == Decimal(2**63 - 1)
    time_unit = CANCEL_ORDER_LIST.parameter("X-MBX-TIME-UNIT")
    assert time_unit.enum == ("MILLISECOND", "millisecond", "MICROSECOND", "microsecond")
    assert (time_unit.client_option, time_unit.per_call, time_unit.default) == ("time_unit", False, "MILLISECOND")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema": {"type": "string", "pattern": "[A-Z]+"}}, "must be anchored"),
        ({"schema": {"type": "object"}}, 'type "object" is not supported'),
        ({"schema": {"type": "string", "format": "date-time"}}, "format 'date-time' of type string"),
        ({"schema": {"type": "integer", "multipleOf": 5}}, "schema keyword 'multipleOf' is not supported"),
        ({"schema": {"type": "array", "items": {"type": "boolean"}}}, "arrays of boolean are not supported"),
        ({"schema": {"type": "integer", "enum": [1, 2]}}, "an enum of type integer"),
        ({"schema": {"oneOf": [{"type": "string"}]}}, "oneOf is not supported"),
        ({"schema": {"type": "string"}, "style": "form"}, "parameter field 'style' is not supported"),
        ({"content": {"application/json": {}}}, "parameter field 'content' is not supported"),
    ],
)
def test_what_the_step_cannot_turn_into_rules_is_refused_with_where(
    spec: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    broken = copy.deepcopy(spec)
    broken["paths"]["/api/v3/orderList"]["delete"]["parameters"].append(
        {"name": "extra", "in": "query", "required": False, **change}
    )
    with pytest.raises(
        SpecError, match=rf"paths\./api/v3/orderList\.delete\.parameters\[7\] \(extra\).*{re.escape(message)}"
    ):
        list(operations(broken))


def test_a_one_of_group_must_name_parameters(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    broken["paths"]["/api/v3/orderList"]["delete"]["x-required-one-of"] = [["orderListId", "orderId"]]
    with pytest.raises(SpecError, match="orderId"):
        list(operations(broken))
