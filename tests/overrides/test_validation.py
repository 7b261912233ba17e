"""Every rule the client applies, for valid and invalid values: the generated rules through ``_validation``.

Parameters are looked up in the generated rules (``binance_orderlist_api.operations``) by their wire name.
"""

import re
from decimal import Decimal
from typing import Any

import pytest
from binance_orderlist._validation import ValidatedCall, validate_arguments, wire_value
from binance_orderlist.errors import RequestValidationError
from binance_orderlist_api.operations import CANCEL_ORDER_LIST, CLIENT_OPTIONS
from binance_orderlist_rules import Operation, Parameter, Problem
from hypothesis import given
from hypothesis import strategies as st

CLIENT_ID = st.from_regex(re.compile(r"[.A-Z:/a-z0-9_-]{1,36}", re.ASCII), fullmatch=True)


def cancel(**overrides: Any) -> dict[str, str]:
    """The query parameters of a cancel, by Python name."""
    validated: ValidatedCall = validate_arguments(
        CANCEL_ORDER_LIST, {"symbol": "LTCBTC", "order_list_id": 0, **overrides}, {}
    )
    python_names = {parameter.name: parameter.python_name for parameter in CANCEL_ORDER_LIST.parameters}
    return {python_names[name]: value for name, value in validated.query}


def validate_recv_window(value: object) -> str:
    return wire_value(CLIENT_OPTIONS["recv_window"], value)


def validate_time_unit(value: object) -> str:
    return wire_value(CLIENT_OPTIONS["time_unit"], value)


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(60000), places=3))
def test_every_valid_recv_window_is_rendered_exactly(value: Decimal) -> None:
    rendered = validate_recv_window(value)
    assert rendered is not None
    assert re.fullmatch(r"\d+(\.\d{1,3})?", rendered)
    assert Decimal(rendered) == value


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (5000, "5000"),
        (60000, "60000"),
        (Decimal("6000.346"), "6000.346"),
        ("6000.346", "6000.346"),
        (Decimal("6E+3"), "6000"),
        ("6e3", "6000"),
        (Decimal("5000.100"), "5000.1"),
        ("0.001", "0.001"),
        (Decimal("60000.000"), "60000"),
    ],
)
def test_recv_window_wire_form_never_uses_exponents(value: object, wire: str) -> None:
    assert validate_recv_window(value) == wire


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (0, "greater than 0"),
        (-1, "greater than 0"),
        (60001, "at most 60000"),
        (Decimal("60000.001"), "at most 60000"),
        (Decimal("6000.3465"), "3 decimal places"),
        ("1.0001", "3 decimal places"),
        (5000.0, "floats are inexact"),
        (True, "got bool"),
        ("abc", "decimal number"),
        ("", "decimal number"),
        (Decimal("NaN"), "finite"),
        ("Infinity", "finite"),
        ([5000], "got list"),
    ],
)
def test_invalid_recv_window_is_rejected(value: object, rule: str) -> None:
    with pytest.raises(RequestValidationError, match=rule) as raised:
        validate_recv_window(value)
    assert raised.value.parameter == "recv_window"
    assert isinstance(raised.value, ValueError)


@given(order_list_id=st.integers(min_value=0, max_value=2**63 - 1), client_id=CLIENT_ID)
def test_valid_ids_pass_through_unchanged(order_list_id: int, client_id: str) -> None:
    params = cancel(order_list_id=order_list_id, list_client_order_id=client_id, new_client_order_id=client_id)
    assert (params["order_list_id"], params["list_client_order_id"], params["new_client_order_id"]) == (
        str(order_list_id),
        client_id,
        client_id,
    )


@given(st.text(min_size=1, max_size=40).filter(lambda text: not re.fullmatch(r"[.A-Z:/a-z0-9_-]{1,36}", text)))
def test_client_ids_outside_binances_pattern_are_rejected(client_id: str) -> None:
    for parameter in ("list_client_order_id", "new_client_order_id"):
        with pytest.raises(RequestValidationError, match=r"1-36 characters|must match \^\[\\\.A-Z") as raised:
            cancel(**{parameter: client_id})
        assert raised.value.parameter == parameter


@pytest.mark.parametrize(
    ("overrides", "parameter"),
    [
        ({"symbol": ""}, "symbol"),
        ({"symbol": None}, "symbol"),
        ({"symbol": "LTC BTC"}, "symbol"),
        ({"symbol": "LTCBTC\n"}, "symbol"),
        ({"symbol": b"LTCBTC"}, "symbol"),
        ({"symbol": "ltcbtc"}, "symbol"),
        ({"symbol": "LTC&BTC"}, "symbol"),
        ({"symbol": "X" * 21}, "symbol"),
        ({"order_list_id": None}, "order_list_id"),
        ({"order_list_id": -1}, "order_list_id"),
        ({"order_list_id": 2**63}, "order_list_id"),
        ({"order_list_id": True}, "order_list_id"),
        ({"order_list_id": "0"}, "order_list_id"),
        ({"order_list_id": 1.0}, "order_list_id"),
        ({"list_client_order_id": "x" * 37}, "list_client_order_id"),
        ({"list_client_order_id": ""}, "list_client_order_id"),
        ({"list_client_order_id": "abc\n"}, "list_client_order_id"),
        ({"new_client_order_id": "é"}, "new_client_order_id"),
    ],
)
def test_each_rule_names_its_parameter(overrides: dict[str, Any], parameter: str) -> None:
    with pytest.raises(RequestValidationError) as raised:
        cancel(**overrides)
    assert raised.value.parameter == parameter
    assert str(raised.value).startswith(f"{parameter}: ")


def test_either_id_is_enough_and_both_are_allowed() -> None:
    assert "order_list_id" not in cancel(order_list_id=None, list_client_order_id="C3wyj4WVEktd7u9aVBRXcN")
    assert cancel(list_client_order_id="C3wyj4WVEktd7u9aVBRXcN")["order_list_id"] == "0"


def test_the_either_id_rule_comes_from_the_spec() -> None:
    assert CANCEL_ORDER_LIST.required_one_of == (("orderListId", "listClientOrderId"),)
    with pytest.raises(RequestValidationError, match="either order_list_id or list_client_order_id") as raised:
        cancel(order_list_id=None)
    assert raised.value.parameter == "order_list_id"


@pytest.mark.parametrize("symbol", ["１２３４５６", "币安人生USDT", "BTC-USD_1.0", "X" * 20])
def test_symbols_in_binances_range_are_allowed(symbol: str) -> None:
    assert cancel(symbol=symbol)["symbol"] == symbol


@pytest.mark.parametrize("value", ["MILLISECOND", "millisecond", "MICROSECOND", "microsecond"])
def test_the_four_documented_time_units(value: str) -> None:
    assert validate_time_unit(value) == value


@pytest.mark.parametrize("value", ["SECOND", "", "Microsecond", "MILLISECONDS", 1])
def test_any_other_time_unit_is_rejected(value: object) -> None:
    with pytest.raises(RequestValidationError):
        validate_time_unit(value)


def test_signing_parameters_are_never_a_callers() -> None:
    timestamp = CANCEL_ORDER_LIST.parameter("timestamp")
    assert timestamp.signing
    assert not timestamp.per_call
    assert "timestamp" not in dict(validate_arguments(CANCEL_ORDER_LIST, {"symbol": "A", "order_list_id": 0}, {}).query)


def _integer(name: str, python_name: str, **bounds: Any) -> Parameter:
    """An integer parameter's rule with ``bounds``."""
    return Parameter(name, python_name, "query", "integer", required=False, description="", **bounds)


def test_every_operation_is_validated_by_its_own_rules() -> None:
    """The plan made once per operation is that operation's: a second operation with other rules is not checked
    with the first one's (each plan is kept with the operation it was made for)."""
    rules = CANCEL_ORDER_LIST
    stricter = Operation(
        rules.operation_id,
        rules.python_name,
        rules.method,
        rules.path,
        rules.summary,
        rules.signed,
        rules.weight,
        rules.weight_on_success,
        tuple(
            _integer("orderListId", "order_list_id", maximum=Decimal(9)) if p.name == "orderListId" else p
            for p in rules.parameters
        ),
        rules.required_one_of,
        rules.error_codes,
        rules.response_model,
    )
    assert cancel(order_list_id=10)["order_list_id"] == "10"
    with pytest.raises(RequestValidationError, match="order_list_id: must be at most 9, got 10"):
        validate_arguments(stricter, {"symbol": "LTCBTC", "order_list_id": 10}, {})
    assert cancel(order_list_id=10)["order_list_id"] == "10"


def test_a_check_added_to_a_rule_is_applied_to_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks made once per parameter decide with the rule itself (``Parameter.problem``): a check added there
    is applied to the usual values too, with nothing else to change."""
    cancel(symbol="LTCBTC")  # the operation's checks are made before the rule changes
    original = Parameter.problem

    def no_trailing_x(self: Parameter, text: str) -> Problem | None:
        return Problem("pattern", "must not end with X") if text.endswith("X") else original(self, text)

    monkeypatch.setattr(Parameter, "problem", no_trailing_x)
    assert cancel(symbol="LTCBTC")["symbol"] == "LTCBTC"
    with pytest.raises(RequestValidationError, match="symbol: must not end with X"):
        cancel(symbol="LTCBTX")


def test_an_integer_too_long_to_print_is_refused_as_too_large() -> None:
    """An int of more digits than Python converts to text is a RequestValidationError, not a bare ValueError."""
    with pytest.raises(RequestValidationError, match="order_list_id: is too large"):
        cancel(order_list_id=10**5000)
    with pytest.raises(RequestValidationError, match="order_list_id: is too large"):
        wire_value(CANCEL_ORDER_LIST.parameter("orderListId"), -(10**5000))
