"""The offset to Binance's clock (``_clock.ServerClock``): learned from one round trip, counted, applied to every
timestamp. Times are integers (microseconds, milliseconds), as the clock keeps them."""

from binance_orderlist._clock import ServerClock
from hypothesis import given
from hypothesis import strategies as st

US_PER_MS = 1000
local_us = st.integers(min_value=0, max_value=2**62)
round_trip_us = st.integers(min_value=0, max_value=60 * 10**6)
offset_ms = st.integers(min_value=-(10**9), max_value=10**9)


@given(sent_at_us=local_us, trip_us=round_trip_us, server_ms=st.integers(min_value=0, max_value=2**52))
def test_the_offset_is_the_server_s_time_minus_the_round_trip_s_midpoint(
    sent_at_us: int, trip_us: int, server_ms: int
) -> None:
    clock = ServerClock()
    clock.record(server_time_ms=server_ms, sent_at_us=sent_at_us, received_at_us=sent_at_us + trip_us)
    midpoint_us = sent_at_us + trip_us // 2
    assert clock.offset_ms == (server_ms * US_PER_MS - midpoint_us) / US_PER_MS


def test_clock_offset_is_applied() -> None:
    clock = ServerClock()
    now = clock.local_us()
    clock.record(server_time_ms=now // 1000 + 30_000, sent_at_us=now - 2_000, received_at_us=now + 2_000)
    assert 29_999 < clock.offset_ms <= 30_000, "the server's whole millisecond, less the local sub-millisecond part"
    before_ms = ServerClock().timestamp_ms()
    shifted_ms = clock.timestamp_ms()
    after_ms = ServerClock().timestamp_ms()
    assert before_ms + 29_999 <= shifted_ms <= after_ms + 30_000


@given(offset=offset_ms)
def test_timestamps_in_both_units_carry_the_same_offset(offset: int) -> None:
    """Learned from a round trip of no length, the offset is whole milliseconds: every timestamp is shifted by it."""
    clock = ServerClock()
    now_us = clock.local_us()
    clock.record(server_time_ms=now_us // US_PER_MS + offset, sent_at_us=now_us, received_at_us=now_us)
    shift_us = offset * US_PER_MS - now_us % US_PER_MS
    before_us = clock.local_us()
    shifted_us = clock.timestamp_us()
    shifted_ms = clock.timestamp_ms()
    after_us = clock.local_us()
    assert before_us + shift_us <= shifted_us <= after_us + shift_us
    assert (before_us + shift_us) // US_PER_MS <= shifted_ms <= (after_us + shift_us) // US_PER_MS


def test_before_any_measurement_the_offset_is_zero_and_nothing_was_tried() -> None:
    clock = ServerClock()
    assert (clock.offset_ms, clock.resyncs, clock.resync_failure) == (0, 0, None)


@given(outcomes=st.lists(st.booleans(), min_size=1, max_size=20))
def test_every_measurement_tried_is_counted_and_only_the_latest_failure_is_kept(outcomes: list[bool]) -> None:
    """``resyncs`` counts successes and failures alike (requests that met -1021 together share one); a success
    forgets the failure before it, and a failure keeps the offset learned before it."""
    clock = ServerClock()
    learned_ms = 0.0
    for number, succeeded in enumerate(outcomes, start=1):
        if succeeded:
            clock.record(server_time_ms=number, sent_at_us=0, received_at_us=0)
            learned_ms = number
            assert clock.resync_failure is None
        else:
            failure = OSError(f"measurement {number} failed")
            clock.record_failure(failure)
            assert clock.resync_failure is failure
        assert (clock.resyncs, clock.offset_ms) == (number, learned_ms)
