"""Fixtures shared by every test folder: the emulator as a real process, and in-process."""

from collections.abc import Iterator

import pytest
from binance_orderlist_emulator import EmulatorControl, EmulatorProcess, create_app
from starlette.applications import Starlette


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
