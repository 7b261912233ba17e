"""Request weight, 429 over the limit, and the 418 ban for going on during a 429 period."""

from pathlib import Path

import httpx
import yaml
from binance_orderlist_emulator import EmulatorConfig, EmulatorControl
from binance_orderlist_emulator._binance_routes import BINANCE_ENDPOINTS, Weight
from binance_orderlist_emulator._rate_limits import RateLimitSettings, WeightLimiter
from hypothesis import given
from hypothesis import strategies as st

from .by_hand import TIME_PATH, assert_matches_spec, cancel_params, hmac_signed, send_cancel

WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1M"
ROOT = Path(__file__).resolve().parents[2]


def test_over_the_limit_429_then_418_over_http(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.set_rate_limit(2, ban_seconds=300)
    responses = [binance.get(TIME_PATH) for _ in range(2)]
    limited = send_cancel(binance, hmac_signed(cancel_params()))
    banned = binance.get(TIME_PATH)
    still_banned = binance.get(TIME_PATH)
    for response in [*responses, limited, banned, still_banned]:
        assert_matches_spec(response)
    assert [response.headers[WEIGHT_HEADER] for response in [*responses, limited, banned]] == ["1", "2", "3", "4"]
    assert (limited.status_code, limited.json()["code"]) == (429, -1003)
    assert "current limit is 2 request weight per 1 MINUTE" in limited.json()["msg"]
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert (banned.status_code, banned.json()["code"]) == (418, -1003)
    assert "IP banned until" in banned.json()["msg"]
    assert banned.headers["Retry-After"] == "300", "a fresh ban announces exactly the ban"
    assert still_banned.status_code == 418
    assert emulator.order_list(0).list_order_status == "EXECUTING"
    assert [logged.status for logged in emulator.requests()] == [200, 200, 429, 418, 418]


def test_forty_five_bans_in_a_row_each_announce_exactly_the_ban(
    emulator: EmulatorControl, binance: httpx.Client
) -> None:
    announced = []
    for ban_seconds in range(255, 300):
        emulator.set_rate_limit(1, ban_seconds=ban_seconds)
        binance.get(TIME_PATH)
        assert binance.get(TIME_PATH).status_code == 429
        banned = binance.get(TIME_PATH)
        assert banned.status_code == 418
        announced.append(int(banned.headers["Retry-After"]))
    assert announced == list(range(255, 300))


def test_every_binance_path_reports_its_weight(emulator: EmulatorControl, binance: httpx.Client) -> None:
    """A successful cancel costs 0 (Binance, since 2026-04-02), a failed one 1; time and ping 1 each."""
    cancel = send_cancel(binance, hmac_signed(cancel_params()))
    error = send_cancel(binance, hmac_signed(cancel_params()))
    assert [
        cancel.headers[WEIGHT_HEADER],
        error.headers[WEIGHT_HEADER],
        binance.get(TIME_PATH).headers[WEIGHT_HEADER],
        binance.get("/api/v3/ping").headers[WEIGHT_HEADER],
    ] == ["0", "1", "2", "3"]


def test_the_weights_are_the_specs() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    for operation, _ in BINANCE_ENDPOINTS:
        documented = spec["paths"][operation.path][operation.method.lower()]
        weight = Weight.of(operation)
        assert (weight.documented, weight.on_success) == (
            documented["x-weight"],
            documented.get("x-weight-on-success", documented["x-weight"]),
        )


def test_successful_cancels_never_reach_the_limit(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.set_rate_limit(2)
    created = [emulator.create_order_list() for _ in range(4)]
    statuses = [
        send_cancel(binance, hmac_signed(cancel_params(orderListId=order_list.order_list_id))).status_code
        for order_list in created
    ]
    assert statuses == [200] * 4
    unknown = cancel_params(orderListId=999)
    assert [send_cancel(binance, hmac_signed(unknown)).status_code for _ in range(3)] == [400, 400, 429]


def test_reset_forgets_the_weight(emulator: EmulatorControl, binance: httpx.Client) -> None:
    binance.get(TIME_PATH)
    emulator.reset()
    assert binance.get(TIME_PATH).headers[WEIGHT_HEADER] == "1"


def limiter(limit: int | None, ban_seconds: int = 120) -> WeightLimiter:
    return WeightLimiter(RateLimitSettings(limit, ban_seconds))


@given(limit=st.integers(1, 50), extra=st.integers(1, 5))
def test_exactly_the_limit_is_admitted(limit: int, extra: int) -> None:
    weights = limiter(limit)
    admissions = [weights.admit(1, 100_000, server_time_ms=0) for _ in range(limit)]
    assert all(admission.rejection is None for admission in admissions)
    assert [admission.used_weight for admission in admissions] == list(range(1, limit + 1))
    over = weights.admit(extra, 100_000, server_time_ms=0)
    assert over.rejection is not None
    assert over.rejection.http_status == 429


def test_the_window_closes_after_a_minute() -> None:
    weights = limiter(1)
    weights.admit(1, 0, server_time_ms=0)
    limited = weights.admit(1, 10_000, server_time_ms=0)
    assert (limited.retry_after, limited.rejection and limited.rejection.http_status) == (50, 429)
    fresh = weights.admit(1, 60_000, server_time_ms=0)
    assert (fresh.used_weight, fresh.rejection) == (1, None)


def test_a_ban_outlives_the_window_and_then_ends() -> None:
    weights = limiter(1, ban_seconds=120)
    weights.admit(1, 0, server_time_ms=0)
    weights.admit(1, 1_000, server_time_ms=0)
    banned = weights.admit(1, 2_000, server_time_ms=1_000)
    assert banned.rejection is not None
    assert (banned.rejection.http_status, banned.retry_after) == (418, 120)
    assert "IP banned until 121000." in banned.rejection.msg
    later = weights.admit(1, 100_000, server_time_ms=0)
    assert (later.rejection and later.rejection.http_status, later.retry_after) == (418, 22)
    assert weights.admit(1, 121_999, server_time_ms=0).retry_after == 1, "a part of a second left is 1, not 0"
    assert weights.admit(1, 160_000, server_time_ms=0).rejection is None


@given(
    ban_seconds=st.integers(1, 3 * 24 * 3600),
    first_ms=st.integers(0, 2**40),
    gaps_ms=st.lists(st.integers(0, 200_000), min_size=3, max_size=12),
)
def test_retry_after_never_exceeds_what_is_left(ban_seconds: int, first_ms: int, gaps_ms: list[int]) -> None:
    """A fresh ban announces exactly the ban; later answers at most what is left, and never 0."""
    weights = limiter(1, ban_seconds=ban_seconds)
    now_ms = first_ms
    banned_until_ms = None
    for gap_ms in gaps_ms:
        admission = weights.admit(1, now_ms, server_time_ms=0)
        status = admission.rejection and admission.rejection.http_status
        if status == 429:
            assert admission.retry_after is not None
            assert 0 < admission.retry_after <= 60
        if status == 418:
            if banned_until_ms is None or now_ms >= banned_until_ms:
                banned_until_ms = now_ms + ban_seconds * 1000
                assert admission.retry_after == ban_seconds
            assert admission.retry_after is not None
            assert 0 < admission.retry_after <= ban_seconds
            assert 0 <= admission.retry_after * 1000 - (banned_until_ms - now_ms) < 1000
        now_ms += gap_ms


def test_no_limit_admits_everything() -> None:
    weights = limiter(None)
    assert all(weights.admit(1, 0, server_time_ms=0).rejection is None for _ in range(10_000))


def test_benchmark_mode_has_no_limit_and_no_log() -> None:
    config = EmulatorConfig.for_benchmark()
    assert (config.weight_limit_per_minute, config.request_log) == (None, False)
    assert EmulatorConfig().weight_limit_per_minute == 6000
