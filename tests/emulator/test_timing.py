"""Timing security at its edges, the time unit header, the server time and the shifted clock."""

from decimal import Decimal

import httpx
import pytest
from binance_orderlist_api.models import TimeUnit
from binance_orderlist_emulator import EmulatorControl
from binance_orderlist_emulator._errors import BinanceError
from binance_orderlist_emulator._timing import check_timestamp, parse_time_unit
from hypothesis import given
from hypothesis import strategies as st

from .by_hand import TIME_PATH, assert_matches_spec, cancel_params, error_of, hmac_signed, now_ms, send_cancel

SERVER_MS = 1_700_000_000_000
AHEAD = (-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
OUTSIDE = (-1021, "Timestamp for this request is outside of the recvWindow.")


def rejection(timestamp: int, recv_window: str, unit: TimeUnit, server_time: int) -> tuple[int, str] | None:
    try:
        check_timestamp(timestamp, Decimal(recv_window), unit, server_time)
    except BinanceError as error:
        return error.code, error.msg
    return None


@pytest.mark.parametrize(
    ("offset", "recv_window", "expected"),
    [
        (999, "5000", None),
        (1000, "5000", AHEAD),
        (-5000, "5000", None),
        (-5001, "5000", OUTSIDE),
        (0, "0.5", None),
        (-1, "0.5", OUTSIDE),
        (-1, "1.000", None),
        (-60000, "60000", None),
    ],
)
def test_millisecond_edges(offset: int, recv_window: str, expected: tuple[int, str] | None) -> None:
    assert rejection(SERVER_MS + offset, recv_window, TimeUnit.MILLISECOND, SERVER_MS) == expected


@pytest.mark.parametrize(
    ("offset_us", "recv_window", "expected"),
    [
        (999_999, "5000", None),
        (1_000_000, "5000", AHEAD),
        (-1_500, "1.5", None),
        (-1_501, "1.5", OUTSIDE),
        (-1, "0.001", None),
        (-2, "0.001", OUTSIDE),
    ],
)
def test_microsecond_edges(offset_us: int, recv_window: str, expected: tuple[int, str] | None) -> None:
    server_us = SERVER_MS * 1000
    assert rejection(server_us + offset_us, recv_window, TimeUnit.MICROSECOND, server_us) == expected


@given(
    age=st.integers(-2000, 70_000),
    recv_window=st.decimals(min_value=Decimal("0.001"), max_value=60000, places=3),
)
def test_the_rule_is_exactly_the_documented_inequalities(age: int, recv_window: Decimal) -> None:
    timestamp = SERVER_MS - age
    accepted = timestamp < SERVER_MS + 1000 and SERVER_MS - timestamp <= recv_window
    assert (rejection(timestamp, str(recv_window), TimeUnit.MILLISECOND, SERVER_MS) is None) == accepted


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
def test_the_four_documented_time_units(header: str | None, unit: TimeUnit) -> None:
    assert parse_time_unit(header) is unit


def test_the_server_time(binance: httpx.Client) -> None:
    before = now_ms()
    response = binance.get(TIME_PATH)
    assert_matches_spec(response)
    assert before <= response.json()["serverTime"] <= now_ms()


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
