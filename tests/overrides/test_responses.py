"""parse_success with a generated array model: the array's type and every item's fields are checked."""

import json
from pathlib import Path

import httpx
import pytest
import yaml
from binance_orderlist import OpenOrderLists, OrderList
from binance_orderlist._responses import Answer, parse_success
from binance_orderlist.errors import ResponseDecodeError
from binance_orderlist_api.operations import DECIMAL_SHAPES
from openapi_python_client.strings import snake_case

from .conftest import ORDER_LIST as LIST


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


def test_every_decimal_field_of_the_spec_is_checked() -> None:
    """The decimal fields are the spec's, read here independently: a field given ``format: decimal`` in
    openapi.yaml but left out of the generated shapes would go unchecked."""
    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
    in_spec = {
        (name, prop)
        for name, schema in spec["components"]["schemas"].items()
        for prop, field in schema.get("properties", {}).items()
        if field.get("format") == "decimal" or field.get("$ref") == "#/components/schemas/Decimal"
    }
    generated = {(model, field) for model, (decimals, _) in DECIMAL_SHAPES.items() for field in decimals}
    assert in_spec, "the spec has decimal fields"
    assert {(model, snake_case(prop)) for model, prop in in_spec} == generated
