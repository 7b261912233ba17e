"""Timing security at its edges, the time unit header, the server time and the shifted clock."""

from decimal import Decimal

import httpx
import pytest
from binance_orderlist_api.models import TimeUnit
from binance_orderlist_emulator import EmulatorControl
from binance_orderlist_emulator._rejections import BinanceRejection
from binance_orderlist_emulator._timing import (
    MICROSECOND_TIMESTAMPS_FROM,
    check_timestamp,
    parse_time_unit,
    timestamp_unit,
)
from hypothesis import given
from hypothesis import strategies as st

from .by_hand import TIME_PATH, assert_matches_spec, cancel_params, error_of, hmac_signed, now_ms, send_cancel

SERVER_MS = 1_700_000_000_000
AHEAD = (-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
OUTSIDE = (-1021, "Timestamp for this request is outside of the recvWindow.")


def rejection(timestamp: int, recv_window: str, server_time_us: int) -> tuple[int, str] | None:
    try:
        check_timestamp(timestamp, Decimal(recv_window), server_time_us)
    except BinanceRejection as error:
        return error.code, error.msg
    return None


@pytest.mark.parametrize(
    ("unit", "offset", "recv_window", "expected"),
    [
        ("ms", 999, "5000", None),
        ("ms", 1000, "5000", AHEAD),
        ("ms", -5000, "5000", None),
        ("ms", -5001, "5000", OUTSIDE),
        ("ms", 0, "0.5", None),
        ("ms", -1, "0.5", OUTSIDE),
        ("ms", -1, "1.000", None),
        ("ms", -60000, "60000", None),
        ("us", 999_999, "5000", None),
        ("us", 1_000_000, "5000", AHEAD),
        ("us", -1_500, "1.5", None),
        ("us", -1_501, "1.5", OUTSIDE),
        ("us", -1, "0.001", None),
        ("us", -2, "0.001", OUTSIDE),
    ],
)
@pytest.mark.parametrize("sub_ms_us", [0, 999])
def test_timestamp_edges(
    unit: str, offset: int, recv_window: str, expected: tuple[int, str] | None, sub_ms_us: int
) -> None:
    """A millisecond timestamp is compared with the server time in whole milliseconds (its sub-millisecond part
    does not count); a microsecond timestamp with the server time to the microsecond."""
    server_us = SERVER_MS * 1000 + sub_ms_us
    timestamp = SERVER_MS + offset if unit == "ms" else server_us + offset
    assert rejection(timestamp, recv_window, server_us) == expected


@given(
    age=st.integers(-2000, 70_000),
    recv_window=st.decimals(min_value=Decimal("0.001"), max_value=60000, places=3),
)
def test_the_rule_is_exactly_the_documented_inequalities(age: int, recv_window: Decimal) -> None:
    timestamp = SERVER_MS - age
    accepted = timestamp < SERVER_MS + 1000 and SERVER_MS - timestamp <= recv_window
    assert (rejection(timestamp, str(recv_window), SERVER_MS * 1000) is None) == accepted


@given(
    age_us=st.integers(-2_000_000, 70_000_000),
    recv_window=st.decimals(min_value=Decimal("0.001"), max_value=60000, places=3),
)
def test_the_rule_holds_in_microseconds_too(age_us: int, recv_window: Decimal) -> None:
    server_us = SERVER_MS * 1000 + 123
    timestamp = server_us - age_us
    accepted = timestamp < server_us + 1_000_000 and server_us - timestamp <= recv_window * 1000
    assert (rejection(timestamp, str(recv_window), server_us) is None) == accepted


@given(timestamp=st.integers(0, 2**63 - 1))
def test_the_unit_of_a_timestamp_is_told_by_its_size(timestamp: int) -> None:
    expected = TimeUnit.MICROSECOND if timestamp >= 10**14 else TimeUnit.MILLISECOND
    assert timestamp_unit(timestamp) is expected
    assert timestamp_unit(SERVER_MS) is TimeUnit.MILLISECOND
    assert timestamp_unit(SERVER_MS * 1000) is TimeUnit.MICROSECOND
    assert MICROSECOND_TIMESTAMPS_FROM == 10**14


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        (None, TimeUnit.MILLISECOND),
        ("MILLISECOND", TimeUnit.MILLISECOND),
        ("millisecond", TimeUnit.MILLISECOND),
        ("MICROSECOND", TimeUnit.MICROSECOND),
        ("microsecond", TimeUnit.MICROSECOND),
    ],
)
def test_the_four_documented_time_unit_spellings(header: str | None, unit: TimeUnit) -> None:
    assert parse_time_unit(header) is unit


@given(
    header=st.text(max_size=14).filter(
        lambda text: text not in {"MILLISECOND", "millisecond", "MICROSECOND", "microsecond"}
    )
)
def test_any_other_time_unit_is_1194(header: str) -> None:
    with pytest.raises(BinanceRejection) as raised:
        parse_time_unit(header)
    assert raised.value.code == -1194


def test_the_server_time(binance: httpx.Client) -> None:
    before = now_ms()
    response = binance.get(TIME_PATH)
    assert_matches_spec(response)
    assert before <= response.json()["serverTime"] <= now_ms()


def test_ping_the_other_general_endpoint(binance: httpx.Client) -> None:
    response = binance.get("/api/v3/ping")
    assert_matches_spec(response)
    assert (response.status_code, response.json()) == (200, {})


def test_the_server_time_in_microseconds(binance: httpx.Client) -> None:
    before_ms = now_ms()
    server_time = binance.get(TIME_PATH, headers={"X-MBX-TIME-UNIT": "MICROSECOND"}).json()["serverTime"]
    assert before_ms * 1000 <= server_time <= now_ms() * 1000 + 999


def test_the_server_time_refuses_a_bad_time_unit(binance: httpx.Client) -> None:
    response = binance.get(TIME_PATH, headers={"X-MBX-TIME-UNIT": "SECOND"})
    assert (response.status_code, response.json()["code"]) == (400, -1194)


def test_a_shifted_clock_shows_in_the_server_time_and_the_timing_check(
    emulator: EmulatorControl, binance: httpx.Client
) -> None:
    emulator.shift_clock(-10_000)
    before = now_ms()
    server_time = binance.get(TIME_PATH).json()["serverTime"]
    assert before - 10_000 <= server_time <= now_ms() - 10_000
    assert error_of(send_cancel(binance, hmac_signed(cancel_params()))) == (400, *AHEAD)
    synced = cancel_params(timestamp=binance.get(TIME_PATH).json()["serverTime"])
    assert send_cancel(binance, hmac_signed(synced)).status_code == 200


def test_a_clock_running_ahead_makes_requests_stale(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.shift_clock(6_000)
    assert error_of(send_cancel(binance, hmac_signed(cancel_params()))) == (400, *OUTSIDE)
    assert send_cancel(binance, hmac_signed(cancel_params(recvWindow=10_000))).status_code == 200
