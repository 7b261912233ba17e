"""parse_success with a generated array model: the array's type and every item's fields are checked."""

import copy
import inspect
import json
from pathlib import Path

import httpx
import pytest
import yaml
from binance_orderlist import CancelOrderListResponse, OpenOrderLists, OrderList
from binance_orderlist._responses import Answer, parse_success
from binance_orderlist.errors import ResponseDecodeError
from binance_orderlist_api import models
from binance_orderlist_api.models import CancelOrderReport
from binance_orderlist_api.operations import DECIMAL_FIELDS
from binance_orderlist_rules import DecimalFieldsError, ModelList
from hypothesis import given
from hypothesis import strategies as st
from openapi_python_client.strings import pascal_case, snake_case

from .conftest import ORDER_LIST as LIST
from .conftest import SEED_RESPONSE


def answer(body: object) -> Answer:
    return Answer.of(httpx.Response(200, content=json.dumps(body).encode()))


def test_an_array_becomes_a_list_of_the_items_model() -> None:
    parsed = parse_success(answer([LIST, LIST | {"orderListId": 4}]), OpenOrderLists)
    assert isinstance(parsed, list)
    assert [item.order_list_id for item in parsed] == [3, 4]
    assert all(isinstance(item, OrderList) for item in parsed)
    assert parsed.to_dict() == [LIST, LIST | {"orderListId": 4}]


@pytest.mark.parametrize(
    ("body", "model", "problem"),
    [
        (LIST, OpenOrderLists, "expected a JSON array, got dict"),
        ([LIST], OrderList, "expected a JSON object, got list"),
        ([LIST | {"orderListId": "3"}], OpenOrderLists, "[0].order_list_id: expected int, got str"),
        ([{k: v for k, v in LIST.items() if k != "symbol"}], OpenOrderLists, "'symbol' is missing"),
        ([[list(pair) for pair in LIST.items()]], OpenOrderLists, "[0]: expected an object, got list"),
    ],
)
def test_the_wrong_shape_is_a_decode_error(body: object, model: type[OrderList | OpenOrderLists], problem: str) -> None:
    with pytest.raises(ResponseDecodeError) as raised:
        parse_success(answer(body), model)
    assert problem in str(raised.value)


SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
DECIMALS_IN_SPEC = {
    (name, prop)
    for name, schema in SPEC["components"]["schemas"].items()
    for prop, field in schema.get("properties", {}).items()
    if field.get("format") == "decimal" or field.get("$ref") == "#/components/schemas/Decimal"
}
"""(schema, JSON name) of every field openapi.yaml gives ``format: decimal``, read here independently."""
REPORT_DECIMALS = sorted(prop for name, prop in DECIMALS_IN_SPEC if name == "CancelOrderReport")
NOT_DECIMALS = st.sampled_from(["", "abc", "1.2.3", "1e", "NaN", "-Infinity", "inf", "sNaN", "0x10", "1,5", "--1"])
"""Strings ``Decimal`` refuses or reads as no finite number."""
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False).map(str) | st.sampled_from(["0.00000000", "1e3", " 1"])
"""Strings ``Decimal`` reads as a finite number (as before, the check is Python's reading, not a pattern)."""


def test_every_decimal_field_of_the_spec_is_checked() -> None:
    """The decimal fields are the spec's, read here independently: a field given ``format: decimal`` in
    openapi.yaml but left out of ``DECIMAL_FIELDS`` would go unchecked by the emulator."""
    in_spec = DECIMALS_IN_SPEC
    generated = {(model, field) for model, decimals in DECIMAL_FIELDS.items() for field in decimals}
    assert in_spec, "the spec has decimal fields"
    assert {(model, snake_case(prop)) for model, prop in in_spec} == generated


def reaches_a_decimal(name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether schema ``name`` has a decimal field or refers (through arrays too) to a schema that has one."""
    if any(model == name for model, _ in DECIMALS_IN_SPEC):
        return True
    references = {
        reference.rsplit("/", 1)[-1]
        for field in SPEC["components"]["schemas"][name].get("properties", {}).values()
        for reference in (field.get("$ref"), field.get("items", {}).get("$ref"))
        if reference
    }
    return any(reaches_a_decimal(other, seen | {name}) for other in references - seen - {name})


def test_only_a_model_that_can_meet_a_wrong_decimal_gathers_decimal_problems() -> None:
    """A model's from_dict collects DecimalFieldsError only where the spec lets one arise (no dead branches)."""
    gathering = {
        name: "DecimalFieldsError" in inspect.getsource(getattr(models, pascal_case(name)).from_dict)
        for name, schema in SPEC["components"]["schemas"].items()
        if schema.get("type") == "object" and hasattr(models, pascal_case(name))
    }
    assert {"OrderList", "OrderListOrder", "CancelOrderListResponse", "CancelOrderReport"} <= gathering.keys()
    assert gathering == {name: reaches_a_decimal(name) for name in gathering}


@given(
    bad=st.dictionaries(
        st.tuples(st.integers(0, 1), st.sampled_from(REPORT_DECIMALS)), NOT_DECIMALS, min_size=1, max_size=8
    ),
    good=st.dictionaries(st.tuples(st.integers(0, 1), st.sampled_from(REPORT_DECIMALS)), DECIMALS, max_size=8),
)
def test_every_decimal_field_at_fault_is_named_with_its_place(
    bad: dict[tuple[int, str], str], good: dict[tuple[int, str], str]
) -> None:
    """The generated ``from_dict`` checks every decimal field of the spec as it reads it (the model's own
    walk, no second one): all those at fault are named with their place, in both reports, and no other."""
    assert {name for name, _ in DECIMALS_IN_SPEC} == {"CancelOrderReport"}, "a schema with decimals to test here"
    body = copy.deepcopy(SEED_RESPONSE)
    for (index, prop), text in (good | bad).items():
        body["orderReports"][index][prop] = text
    expected = {f".order_reports[{index}].{snake_case(prop)}" for index, prop in bad}
    with pytest.raises(DecimalFieldsError) as raised:
        CancelOrderListResponse.from_dict(body)
    assert len(raised.value.problems) == len(expected)
    assert {problem.split(": ")[0] for problem in raised.value.problems} == expected
    for problem in raised.value.problems:
        index, field = int(problem[len(".order_reports[")]), problem.split(": ")[0].rpartition(".")[2]
        text = next(body["orderReports"][index][prop] for prop in REPORT_DECIMALS if snake_case(prop) == field)
        assert problem.endswith(f": not a decimal number: {text!r:.40}")
    with pytest.raises(ResponseDecodeError) as decoded:
        parse_success(answer(body), CancelOrderListResponse)
    message = str(decoded.value)
    assert all(problem.removeprefix(".") in message for problem in raised.value.problems[:5])
    assert decoded.value.body == json.dumps(body).encode()


@given(values=st.dictionaries(st.sampled_from(REPORT_DECIMALS), DECIMALS, min_size=1))
def test_every_decimal_python_reads_as_finite_is_accepted(values: dict[str, str]) -> None:
    report = SEED_RESPONSE["orderReports"][0] | values
    parsed = CancelOrderReport.from_dict(report)
    assert parsed.to_dict() == report


@pytest.mark.parametrize("prop", REPORT_DECIMALS)
def test_a_wrong_type_still_comes_before_a_wrong_decimal(prop: str) -> None:
    """Strictness unchanged: a field of the wrong JSON type is a TypeError naming it, even when a decimal field
    (read before or after it) is also wrong."""
    report = SEED_RESPONSE["orderReports"][0] | {"price": "x", "orderId": "2", prop: "NaN"}
    with pytest.raises(TypeError, match=r"^\.order_id: expected int, got str$"):
        CancelOrderReport.from_dict(report)
    with pytest.raises(TypeError, match=rf"^\.{snake_case(prop)}: expected str, got float$"):
        CancelOrderReport.from_dict(SEED_RESPONSE["orderReports"][0] | {"price": "x", prop: 1.5})


def test_a_wrong_decimal_in_an_array_model_is_named_with_its_index() -> None:
    """``ModelList`` gathers its items' decimal problems as the models do (OrderList has no decimal field: a
    stand-in list of reports checks the path)."""

    class Reports(ModelList[CancelOrderReport]):
        item_model = CancelOrderReport

    reports = [SEED_RESPONSE["orderReports"][0] | {"price": "x"}, SEED_RESPONSE["orderReports"][1] | {"origQty": ""}]
    with pytest.raises(DecimalFieldsError) as raised:
        Reports.from_dict(reports)
    assert [problem.split(":")[0] for problem in raised.value.problems] == ["[0].price", "[1].orig_qty"]


def _distinct_body(schema_name: str, seed: int) -> dict[str, object]:
    """A JSON object with every property of the schema, each value different from the others of its type."""
    schemas = SPEC["components"]["schemas"]
    body: dict[str, object] = {}
    for offset, (prop, field) in enumerate(schemas[schema_name]["properties"].items(), start=seed):
        if "$ref" in field:
            field = schemas[field["$ref"].rpartition("/")[2]]
        if "enum" in field:
            body[prop] = field["enum"][offset % len(field["enum"])]
        elif field.get("type") == "integer":
            body[prop] = offset
        elif field.get("type") == "boolean":
            body[prop] = offset % 2 == 0
        elif field.get("format") == "decimal":
            body[prop] = f"{offset}.5"
        elif field.get("type") == "string":
            body[prop] = f"{prop}-{offset}"
        else:
            body[prop] = [_distinct_body(field["items"]["$ref"].rpartition("/")[2], seed + 100 * i) for i in range(2)]
    return body


@pytest.mark.parametrize("model", [CancelOrderListResponse, CancelOrderReport, OrderList])
def test_every_field_reaches_its_own_attribute(
    model: type[CancelOrderListResponse | CancelOrderReport | OrderList],
) -> None:
    """``from_dict`` passes the fields by position: with every field present and no two values alike, each
    attribute holds its own field's value (the model writes back exactly what it read)."""
    body = _distinct_body(model.__name__, 1)
    parsed = model.from_dict(body)
    assert parsed.to_dict() == body
    assert parsed.additional_properties == {}


def test_a_wrong_type_in_a_later_report_still_comes_before_an_earlier_wrong_decimal() -> None:
    body = copy.deepcopy(SEED_RESPONSE)
    body["orderReports"][0]["price"] = "x"
    body["orderReports"][1]["orderId"] = "3"
    with pytest.raises(ResponseDecodeError) as raised:
        parse_success(answer(body), CancelOrderListResponse)
    assert "unexpected structure (order_reports[1].order_id: expected int, got str)" in str(raised.value)
    assert "not a decimal number" not in str(raised.value)
