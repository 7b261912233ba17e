"""The generated models parse both documents' responses, keep what they don't know, and round-trip exactly."""

import copy
import re
from typing import Any

import pytest
from binance_orderlist_api.models import (
    CancelOrderListResponse,
    CancelOrderReport,
    ContingencyType,
    ExpiryReason,
    OrderStatus,
    OrderType,
    PegOffsetType,
    PegPriceType,
    SelfTradePreventionMode,
    WorkingFloor,
)
from binance_orderlist_api.operations import CONDITIONAL_FIELDS
from binance_orderlist_api.types import UNSET
from hypothesis import given
from hypothesis import strategies as st
from openapi_python_client.strings import snake_case

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
    example["orderReports"][1]["newReportField"] = "PRIMARY_PEG"
    parsed = CancelOrderListResponse.from_dict(copy.deepcopy(example))
    assert parsed["newTopLevelField"] == {"nested": [1, 2]}
    assert parsed.orders[0]["orderTag"] == "x"
    assert parsed.order_reports[1]["newReportField"] == "PRIMARY_PEG"
    assert parsed.to_dict() == example


CONDITIONAL = {
    "icebergQty": "0.00000000",
    "preventedMatchId": 0,
    "preventedQuantity": "1.200000",
    "strategyId": 37463720,
    "strategyType": 1000000,
    "trailingDelta": 10,
    "trailingTime": -1,
    "usedSor": True,
    "workingFloor": "SOR",
    "pegPriceType": "PRIMARY_PEG",
    "pegOffsetType": "PRICE_LEVEL",
    "pegOffsetValue": 5,
    "peggedPrice": "87523.83710000",
    "expiryReason": "INSUFFICIENT_LIQUIDITY",
}
"""rest-api.md's examples of its "Conditional fields in Order Responses" (stopPrice is in the seed already)."""


def test_the_conditional_fields_are_typed_optional_fields_of_the_report(spec: dict[str, Any]) -> None:
    properties = spec["components"]["schemas"]["CancelOrderReport"]["properties"]
    assert {name for name, value in properties.items() if "x-source" in value} == {*CONDITIONAL, "stopPrice"}
    assert CONDITIONAL_FIELDS["CancelOrderReport"] == tuple(
        name for name in properties if name in {*CONDITIONAL, "stopPrice"}
    )
    example = seed_example("000")
    example["orderReports"][0] |= CONDITIONAL
    report = CancelOrderListResponse.from_dict(copy.deepcopy(example)).order_reports[0]
    assert (report.iceberg_qty, report.prevented_quantity, report.pegged_price) == (
        "0.00000000",
        "1.200000",
        "87523.83710000",
    )
    assert (report.prevented_match_id, report.strategy_id, report.strategy_type) == (0, 37463720, 1000000)
    assert (report.trailing_delta, report.trailing_time, report.peg_offset_value) == (10, -1, 5)
    assert report.used_sor is True
    assert report.working_floor is WorkingFloor.SOR
    assert report.peg_price_type is PegPriceType.PRIMARY_PEG
    assert report.peg_offset_type is PegOffsetType.PRICE_LEVEL
    assert report.expiry_reason is ExpiryReason.INSUFFICIENT_LIQUIDITY
    assert report.additional_properties == {}
    assert CancelOrderListResponse.from_dict(copy.deepcopy(example)).to_dict() == example
    older = seed_example("001")["orderReports"][1]
    assert CancelOrderReport.from_dict(older).used_sor is UNSET  # absent when it does not apply


@pytest.mark.parametrize(
    ("field", "value"),
    [("usedSor", "true"), ("usedSor", 1), ("strategyType", "1000000"), ("peggedPrice", 1.5), ("expiryReason", 3)],
)
def test_a_conditional_field_of_the_wrong_type_names_its_place(field: str, value: object) -> None:
    example = seed_example("000")
    example["orderReports"][1][field] = value
    with pytest.raises(TypeError, match=rf"^\.order_reports\[1\]\.{re.escape(snake_case(field))}: expected"):
        CancelOrderListResponse.from_dict(example)


def test_later_values_of_the_conditional_enums_are_kept() -> None:
    example = seed_example("000")
    example["orderReports"][0] |= {"expiryReason": "SOMETHING_NEW", "pegPriceType": "LATER_PEG"}
    report = CancelOrderListResponse.from_dict(copy.deepcopy(example)).order_reports[0]
    assert isinstance(report.expiry_reason, ExpiryReason)
    assert not report.expiry_reason.is_known
    assert report.expiry_reason.value == "SOMETHING_NEW"
    assert CancelOrderListResponse.from_dict(copy.deepcopy(example)).to_dict() == example


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
