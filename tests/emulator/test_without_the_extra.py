"""Without the `emulator` extra (starlette, uvicorn) the control client works; the server says what to install."""

import subprocess
import sys

HIDE_SERVER_PACKAGES = "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None; "


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", HIDE_SERVER_PACKAGES + code], capture_output=True, text=True, check=False
    )


def test_control_client_imports_without_the_extra() -> None:
    result = run("from binance_orderlist_emulator import EmulatorControl, EmulatorProcess; print('ok')")
    assert (result.returncode, result.stdout.strip()) == (0, "ok")


def test_create_app_names_the_extra() -> None:
    result = run("import binance_orderlist_emulator as e; e.create_app()")
    assert result.returncode == 1
    assert "pip install 'binance-orderlist[emulator]'" in result.stderr
    assert "ModuleNotFoundError" in result.stderr


def test_the_command_names_the_extra() -> None:
    result = run("from binance_orderlist_emulator.__main__ import main")
    assert result.returncode == 1
    assert "binance-orderlist-emulator: the emulator's server needs the 'emulator' extra" in result.stderr
