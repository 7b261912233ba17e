"""The hand-written rule classes (``binance_orderlist_rules``) for every kind of parameter, and the client's
rendering of Python values into their wire form (``_validation``), on rules built here as data.

The generated rules are these classes filled in from openapi.yaml; ``tests/spec`` checks that filling.
"""

import json
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
from binance_orderlist._validation import wire_value
from binance_orderlist.errors import RequestValidationError
from binance_orderlist_api.models import OrderListOrder
from binance_orderlist_api.operations import API_ERRORS, OPERATIONS
from binance_orderlist_rules import ApiError, ModelList, Operation, Parameter
from hypothesis import given
from hypothesis import strategies as st

INT64 = (Decimal(-(2**63)), Decimal(2**63 - 1))


def rule(kind: Any, **fields: Any) -> Parameter:
    names = {"name": "p", "python_name": "p"}
    return Parameter(location="query", kind=kind, required=False, description="", **(names | fields))


BOOLEAN = rule("boolean")
INTEGER = rule("integer", minimum=INT64[0], maximum=INT64[1])
DECIMAL = rule("decimal", exclusive_minimum=Decimal(0), exclusive_maximum=Decimal(100), decimal_places=2)
ENUM = rule("enum", enum=("FAST", "SAFE"))
SYMBOL = rule("string", min_length=1, max_length=8, pattern=re.compile(r"^[A-Z]+\Z"))
SYMBOLS = rule("array", items=SYMBOL, min_items=1, max_items=3)
IDS = rule("array", items=rule("integer", minimum=Decimal(0)), max_items=2)


class Lists(ModelList[OrderListOrder]):
    item_model = OrderListOrder


@pytest.mark.parametrize(("text", "value"), [("true", True), ("false", False)])
def test_a_boolean_is_true_or_false_on_the_wire(text: str, value: bool) -> None:
    assert BOOLEAN.problem(text) is None
    assert BOOLEAN.read(text) is value
    assert wire_value(BOOLEAN, value) == text


@pytest.mark.parametrize("text", ["True", "1", "yes", "", "false "])
def test_anything_else_is_not_a_boolean(text: str) -> None:
    problem = BOOLEAN.problem(text)
    assert problem is not None
    assert problem.kind in ("syntax", "empty")


@pytest.mark.parametrize("value", [1, "true", None, 0.0])
def test_the_client_takes_only_a_bool_for_a_boolean(value: object) -> None:
    with pytest.raises(RequestValidationError, match="must be a bool"):
        wire_value(BOOLEAN, value)


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_every_int64_is_sent_and_read_as_written(value: int) -> None:
    assert wire_value(INTEGER, value) == str(value)
    assert INTEGER.read(str(value)) == value


@pytest.mark.parametrize(("value", "kind"), [(2**63, "maximum"), (-(2**63) - 1, "minimum")])
def test_an_int64_out_of_range_is_refused(value: int, kind: str) -> None:
    problem = INTEGER.problem(str(value))
    assert problem is not None
    assert problem.kind == kind
    with pytest.raises(RequestValidationError):
        wire_value(INTEGER, value)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2))
def test_a_bounded_decimal_is_sent_exactly_as_written(value: Decimal) -> None:
    text = wire_value(DECIMAL, value)
    assert "e" not in text.lower()
    assert Decimal(text) == value
    assert DECIMAL.read(text) == value
    assert wire_value(DECIMAL, text) == text  # a decimal str is sent as written


@pytest.mark.parametrize(
    ("text", "kind"),
    [("0", "minimum"), ("100", "maximum"), ("1.001", "precision"), ("1e1", "syntax"), ("", "empty")],
)
def test_a_decimal_out_of_its_bounds_or_places_is_refused(text: str, kind: str) -> None:
    problem = DECIMAL.problem(text)
    assert problem is not None
    assert problem.kind == kind


def test_a_float_is_never_taken_for_a_decimal() -> None:
    with pytest.raises(RequestValidationError, match="floats are inexact"):
        wire_value(DECIMAL, 1.5)


def test_an_enum_takes_its_values_only() -> None:
    assert ENUM.problem("FAST") is None
    problem = ENUM.problem("fast")
    assert problem is not None
    assert problem.rule == "must be one of FAST, SAFE"


@given(st.lists(st.from_regex(r"[A-Z]{1,8}", fullmatch=True), min_size=1, max_size=3))
def test_an_array_of_strings_is_binance_s_compact_json_array(symbols: list[str]) -> None:
    text = wire_value(SYMBOLS, symbols)
    assert text == "[" + ",".join(f'"{symbol}"' for symbol in symbols) + "]"
    assert SYMBOLS.problem(text) is None
    assert SYMBOLS.read(text) == tuple(symbols)
    assert wire_value(SYMBOLS, tuple(symbols)) == text


def test_an_array_of_integers_has_bare_numbers() -> None:
    assert wire_value(IDS, [1, 22]) == "[1,22]"
    assert IDS.read("[1,22]") == (1, 22)


@pytest.mark.parametrize(
    ("array", "text", "kind", "rule_text"),
    [
        (SYMBOLS, "BTCUSDT", "syntax", 'must be a JSON array of strings, e.g. ["BTCUSDT","BNBBTC"]'),
        (SYMBOLS, '["A",1]', "syntax", "must be a JSON array of strings"),
        (SYMBOLS, "[]", "items", "must have 1-3 items"),
        (SYMBOLS, '["A","B","C","D"]', "items", "must have 1-3 items"),
        (SYMBOLS, '["A","b"]', "pattern", "item 1: must match"),
        (SYMBOLS, '["A","ABCDEFGHI"]', "length", "item 1: must be 1-8 characters long"),
        (IDS, '["1"]', "syntax", "must be a JSON array of integers, e.g. [1,2]"),
        (IDS, "[true]", "syntax", "must be a JSON array of integers"),
        (IDS, "[-1]", "minimum", "item 0: must be at least 0"),
    ],
)
def test_a_broken_array_says_what_and_which_item(array: Parameter, text: str, kind: str, rule_text: str) -> None:
    problem = array.problem(text)
    assert problem is not None
    assert problem.kind == kind
    assert problem.rule.startswith(rule_text)


@pytest.mark.parametrize(
    ("value", "message"),
    [("BTCUSDT", "must be a list or tuple, got str"), (["A", 1], "item 1: must be a str"), (["a"], "item 0: must")],
)
def test_the_client_refuses_a_broken_array_before_sending(value: object, message: str) -> None:
    with pytest.raises(RequestValidationError, match=message) as raised:
        wire_value(SYMBOLS, value)
    assert raised.value.parameter == "p"


def test_non_ascii_items_stay_characters_in_the_json_text() -> None:
    names = rule("array", items=rule("string"))
    assert wire_value(names, ["币安人生USDT"]) == '["币安人生USDT"]'
    assert json.loads(wire_value(names, ['a"b'])) == ['a"b']


def test_an_operation_reads_every_parameter_by_its_python_name() -> None:
    operation: Operation[Any] = Operation(
        "op",
        "op",
        "GET",
        "/x",
        "",
        False,
        None,
        None,
        (BOOLEAN, rule("integer", name="n", python_name="n")),
        (),
        {},
        Lists,
    )
    assert operation.read({"p": "true"}) == {"p": True, "n": None}
    assert operation.parameter("n").kind == "integer"


def test_a_model_list_reads_each_item_strictly_and_names_its_place() -> None:
    items = Lists.from_dict([{"symbol": "A", "orderId": 1, "clientOrderId": "c"}])
    assert items[0].order_id == 1
    assert items.to_dict() == [{"symbol": "A", "orderId": 1, "clientOrderId": "c"}]
    with pytest.raises(TypeError, match=r"^\[0\]: expected an object"):
        Lists.from_dict([1])
    with pytest.raises(TypeError, match=r"^\[1\]\.order_id: expected int"):
        Lists.from_dict([{"symbol": "A", "orderId": 1, "clientOrderId": "c"}, {"symbol": "A", "orderId": "1"}])


def test_an_api_error_fills_in_its_message_or_a_variant() -> None:
    error = ApiError(-1102, "X", "Mandatory parameter '%s' was not sent.", {"one-of": "Param %s must be sent!"})
    assert error.message("symbol") == "Mandatory parameter 'symbol' was not sent."
    assert error.message("'a' or 'b'", variant="one-of") == "Param 'a' or 'b' must be sent!"
    assert ApiError(-2011, "X", "100% gone.").message() == "100% gone."


def test_an_array_of_enum_values_checks_each_against_the_enum() -> None:
    modes = rule("array", items=ENUM)
    assert wire_value(modes, ["FAST", "SAFE"]) == '["FAST","SAFE"]'
    problem = modes.problem('["FAST","SLOW"]')
    assert problem is not None
    assert (problem.kind, problem.rule) == ("enum", "item 1: must be one of FAST, SAFE")


def test_a_rule_cannot_be_changed_once_made() -> None:
    """The client and the emulator share the generated rules: neither may alter them for the other."""
    with pytest.raises(AttributeError):
        SYMBOL.max_length = 100  # type: ignore[misc]
    assert SYMBOL.errors == {}
    with pytest.raises(TypeError):
        SYMBOL.errors["length"] = -1100  # type: ignore[index]
    with pytest.raises(AttributeError):
        ApiError(-2011, "X", "gone").msg = "other"  # type: ignore[misc]


def generated_rules() -> Iterator[NamedTuple]:
    """Every rule of the generated package: each operation, its parameters (with their items and older
    documents' rules) and every documented error."""
    stack: list[Any] = [*OPERATIONS.values(), *API_ERRORS.values()]
    while stack:
        found = stack.pop()
        yield found
        if isinstance(found, Operation):
            stack.extend(found.parameters)
        elif isinstance(found, Parameter):
            stack.extend(nested for nested in (found.items, found.older_document) if nested is not None)


def test_no_mapping_of_a_generated_rule_can_be_changed() -> None:
    """What the hand-built rule above shows holds for what openapi.yaml generates too, empty or not."""
    mappings = [
        (f"{type(found).__name__}.{field}", value)
        for found in generated_rules()
        for field, value in zip(type(found).__annotations__, found, strict=True)
        if isinstance(value, Mapping)
    ]
    assert {place.split(".")[0] for place, value in mappings if value} == {"ApiError", "Operation", "Parameter"}
    for place, value in mappings:
        with pytest.raises(TypeError):
            value["changed"] = 0  # type: ignore[index]
        assert "changed" not in value, place
