"""Fixtures shared by every test folder: the emulator as a real process, and in-process; Hypothesis's settings."""

import os
from collections.abc import Iterator

import pytest
from binance_orderlist_emulator import EmulatorControl, EmulatorProcess, create_app
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


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[str]:
    """The base URL of one emulator process (newer document) on a free port, for the whole session."""
    with EmulatorProcess() as process:
        yield process.base_url


@pytest.fixture
def emulator(emulator_process: str) -> Iterator[EmulatorControl]:
    """The session's emulator, reset to its initial state so every test starts from the same place."""
    with EmulatorControl(emulator_process) as control:
        control.reset()
        yield control


@pytest.fixture
def emulator_app() -> Starlette:
    """A fresh emulator app for ``httpx.ASGITransport`` or Starlette's ``TestClient``, no process needed."""
    return create_app()
