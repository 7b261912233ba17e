"""RetryPolicy, the pure rule of when a failed attempt is sent again: constructed and asked directly."""

import pytest
from binance_orderlist._retries import RESYNC_CLOCK, RetryPolicy
from binance_orderlist.errors import (
    BinanceAPIError,
    IPBanError,
    RateLimitError,
    ResponseDecodeError,
    TimestampError,
    TransportError,
    UnknownExecutionStatusError,
)
from hypothesis import given
from hypothesis import strategies as st

retries = st.integers(min_value=0, max_value=20)
seconds = st.floats(min_value=0, max_value=120, allow_nan=False)


def rate_limited(retry_after: float | None) -> RateLimitError:
    return RateLimitError("429", retry_after=retry_after, status_code=429, code=-1003)


NEVER_RETRIED = [
    UnknownExecutionStatusError("lost", status_code=None),
    UnknownExecutionStatusError("5XX", status_code=503),
    ResponseDecodeError("not JSON", status_code=200),
    IPBanError("418", retry_after=1.0, status_code=418, code=-1003),
    BinanceAPIError("-1007", status_code=408, code=-1007),
    BinanceAPIError("-2011", status_code=400, code=-2011),
    rate_limited(None),
]


@given(max_retries=retries, retries_done=retries, max_retry_after=seconds)
def test_a_timestamp_error_resyncs_the_clock_once_whatever_the_retry_budget(
    max_retries: int, retries_done: int, max_retry_after: float
) -> None:
    policy = RetryPolicy(max_retries=max_retries, max_retry_after=max_retry_after)
    error = TimestampError("-1021", status_code=400, code=-1021)
    assert policy.decide(error, retries_done, clock_resynced=False) is RESYNC_CLOCK
    assert policy.decide(error, retries_done, clock_resynced=True) is None


@given(max_retries=retries, retries_done=retries, clock_resynced=st.booleans())
def test_a_transport_failure_is_retried_after_a_jittered_exponential_backoff_within_the_budget(
    max_retries: int, retries_done: int, clock_resynced: bool
) -> None:
    policy = RetryPolicy(max_retries=max_retries, max_retry_after=5.0)
    decision = policy.decide(TransportError("refused"), retries_done, clock_resynced)
    if retries_done >= max_retries:
        assert decision is None
        return
    step = min(policy.max_backoff, policy.initial_backoff * 2**retries_done)
    assert isinstance(decision, float)
    assert step / 2 <= decision <= step


@given(retry_after=seconds, max_retry_after=seconds, max_retries=retries, retries_done=retries)
def test_a_429_waits_its_retry_after_only_when_short_enough_and_within_the_budget(
    retry_after: float, max_retry_after: float, max_retries: int, retries_done: int
) -> None:
    policy = RetryPolicy(max_retries=max_retries, max_retry_after=max_retry_after)
    decision = policy.decide(rate_limited(retry_after), retries_done, clock_resynced=False)
    if retries_done < max_retries and retry_after <= max_retry_after:
        assert decision == retry_after
    else:
        assert decision is None


@pytest.mark.parametrize("error", NEVER_RETRIED, ids=lambda error: f"{type(error).__name__}-{error}")
@given(max_retries=retries, retries_done=retries, clock_resynced=st.booleans())
def test_an_outcome_that_may_have_executed_or_was_refused_is_never_retried(
    error: Exception, max_retries: int, retries_done: int, clock_resynced: bool
) -> None:
    policy = RetryPolicy(max_retries=max_retries, max_retry_after=120.0)
    assert policy.decide(error, retries_done, clock_resynced) is None


@given(retry_number=st.integers(min_value=0, max_value=64))
def test_the_backoff_never_passes_max_backoff(retry_number: int) -> None:
    policy = RetryPolicy(max_retries=3, max_retry_after=5.0, initial_backoff=0.25, max_backoff=4.0)
    assert 0.125 <= policy.backoff(retry_number) <= 4.0
