"""The ``slow`` marker: end-to-end tests that take tens of seconds (they run in ``make test`` and CI), and the
command line's environment."""

import os

import pytest
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, CreatedOrderList, EmulatorControl

SYMBOL = "BTCUSDT"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a whole-path end-to-end test (tens of seconds); part of make test, skip with -m 'not slow'"
    )


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch, emulator: EmulatorControl) -> EmulatorControl:
    """BINANCE_* variables for the emulator's default HMAC key, and nothing else from the outer environment."""
    for name in list(os.environ):
        if name.startswith("BINANCE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BINANCE_API_KEY", DEFAULT_HMAC_API_KEY)
    monkeypatch.setenv("BINANCE_API_SECRET", DEFAULT_HMAC_SECRET_KEY)
    monkeypatch.setenv("BINANCE_BASE_URL", emulator.base_url)
    return emulator


@pytest.fixture
def order_list(credentials: EmulatorControl) -> CreatedOrderList:
    return credentials.create_order_list(symbol=SYMBOL, contingency_type="OCO", list_client_order_id="cli-test-oco")


# A consumer project of its own, run from fresh venvs by test_index_end_to_end.py, not as part of this suite.
collect_ignore = ["plugin_consumer"]
