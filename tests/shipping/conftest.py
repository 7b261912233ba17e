"""The ``slow`` marker: end-to-end tests that take tens of seconds. They run in ``make test`` and CI."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a whole-path end-to-end test (tens of seconds); part of make test, skip with -m 'not slow'"
    )
