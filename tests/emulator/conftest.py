"""A plain HTTP client for Binance's paths on the session's emulator (reset for every test)."""

from collections.abc import Iterator

import httpx
import pytest
from binance_orderlist_emulator import EmulatorControl


@pytest.fixture
def binance(emulator: EmulatorControl) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.base_url) as client:
        yield client
