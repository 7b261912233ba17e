"""The failover memory's monotonic clock (``_failover.monotonic_ns``), moved only when a test says so: cool-downs
are tested in integer nanoseconds, without sleeping."""

import pytest
from binance_orderlist import _failover as failover


class FakeClock:
    def __init__(self) -> None:
        self.now_ns = 5_000_000_000

    def __call__(self) -> int:
        return self.now_ns


@pytest.fixture(name="clock")
def fake_monotonic_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Import it into a test module to have the ``clock`` fixture there."""
    fake = FakeClock()
    monkeypatch.setattr(failover, "monotonic_ns", fake)
    return fake
