"""Fixtures shared by every test folder: the emulator in-process, the shipped plugin's under this suite's name;
Hypothesis's settings.

The emulator as a real process, its control object and clients are the shipped pytest plugin's
(``binance_orderlist_emulator.pytest_plugin``, loaded by its entry point): ``binance_emulator_process``,
``binance_emulator``, ``binance_client``, ``binance_async_client``.
"""

import os

import pytest
from binance_orderlist_emulator import EmulatorControl, create_app
from hypothesis import HealthCheck, settings
from starlette.applications import Starlette

# Speed is the benchmark's business: a per-example deadline or a slow-generation health check
# fails a correct test whenever the machine is busy. The rest stays as Hypothesis chose it
# (its ``ci`` profile, derandomized, when it detects CI).
settings.register_profile(
    "suite",
    parent=settings(),
    deadline=None,
    suppress_health_check=[*settings().suppress_health_check, HealthCheck.too_slow],
)
if not os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile("suite")


pytest_plugins = ["pytester"]  # tests/emulator/test_pytest_plugin.py runs the shipped plugin as users do


@pytest.fixture
def emulator(binance_emulator: EmulatorControl) -> EmulatorControl:
    """The plugin's ``binance_emulator`` (reset before each test), by the name this suite's tests use."""
    return binance_emulator


@pytest.fixture
def emulator_app() -> Starlette:
    """A fresh emulator app for ``httpx.ASGITransport`` or Starlette's ``TestClient``, no process needed."""
    return create_app()
