"""The generated models parse both documents' responses, keep what they don't know, and round-trip exactly."""

import copy
from typing import Any

import pytest
from binance_orderlist_api.models import (
    CancelOrderListResponse,
    ContingencyType,
    OrderStatus,
    OrderType,
    SelfTradePreventionMode,
)
from binance_orderlist_api.types import UNSET
from hypothesis import given
from hypothesis import strategies as st

from .conftest import seed_example

ENUMS = [ContingencyType, OrderStatus, OrderType, SelfTradePreventionMode]


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_seed_example_parses_and_round_trips(prefix: str) -> None:
    example = seed_example(prefix)
    parsed = CancelOrderListResponse.from_dict(example)
    assert parsed.order_list_id == 0
    assert parsed.contingency_type is ContingencyType.OCO
    assert [order.order_id for order in parsed.orders] == [2, 3]
    assert parsed.order_reports[0].status is OrderStatus.CANCELED
    assert parsed.order_reports[0].stop_price == "1.00000000"
    assert parsed.order_reports[1].stop_price is UNSET
    assert parsed.to_dict() == example


def test_newer_shape_carries_orig_quote_order_qty_and_older_does_not() -> None:
    newer = CancelOrderListResponse.from_dict(seed_example("000"))
    older = CancelOrderListResponse.from_dict(seed_example("001"))
    assert newer.order_reports[0].orig_quote_order_qty == "0.000000"
    assert older.order_reports[0].orig_quote_order_qty is UNSET


def test_unknown_fields_are_kept_everywhere() -> None:
    example = seed_example("000")
    example["newTopLevelField"] = {"nested": [1, 2]}
    example["orders"][0]["orderTag"] = "x"
    example["orderReports"][1]["pegPriceType"] = "PRIMARY_PEG"
    parsed = CancelOrderListResponse.from_dict(copy.deepcopy(example))
    assert parsed["newTopLevelField"] == {"nested": [1, 2]}
    assert parsed.orders[0]["orderTag"] == "x"
    assert parsed.order_reports[1]["pegPriceType"] == "PRIMARY_PEG"
    assert parsed.to_dict() == example


def test_unknown_enum_values_parse_and_round_trip() -> None:
    example = seed_example("000")
    example["contingencyType"] = "OPOCO"
    example["listStatusType"] = "BRAND_NEW"
    example["orderReports"][0]["status"] = "EXPIRED_SOMEHOW"
    example["orderReports"][0]["type"] = "PEGGED"
    example["orderReports"][0]["selfTradePreventionMode"] = "EXPIRE_NOTHING"
    parsed = CancelOrderListResponse.from_dict(copy.deepcopy(example))
    assert parsed.contingency_type == "OPOCO"
    assert isinstance(parsed.contingency_type, ContingencyType)
    assert not parsed.contingency_type.is_known
    assert parsed.order_reports[0].status.value == "EXPIRED_SOMEHOW"
    assert parsed.order_reports[1].status.is_known
    assert parsed.to_dict() == example


@given(st.sampled_from(ENUMS), st.text())
def test_any_string_becomes_an_enum_value_that_keeps_it(enum: Any, raw: str) -> None:
    value = enum(raw)
    assert isinstance(value, enum)
    assert value.value == raw
    assert str(value) == raw
    assert value.is_known == (raw in {member.value for member in enum})


def test_unknown_values_do_not_grow_the_enum() -> None:
    before = len(OrderStatus.__members__)
    OrderStatus("NEVER_SEEN_BEFORE")
    assert len(OrderStatus.__members__) == before
    assert "NEVER_SEEN_BEFORE" not in {member.value for member in OrderStatus}


@pytest.mark.parametrize("raw", [1, None, 2.5, ["OCO"]])
def test_non_string_enum_values_are_still_rejected(raw: object) -> None:
    with pytest.raises(ValueError, match="is not a valid"):
        ContingencyType(raw)  # type: ignore[arg-type]
