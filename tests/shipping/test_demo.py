"""`make demo` (scripts/demo.py) runs the main job end to end and says so only when every step worked."""

import subprocess
import sys
from pathlib import Path

import pytest
from binance_orderlist_emulator import DEFAULT_HMAC_SECRET_KEY

from scripts import demo

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_cancels_an_oco_list_shows_the_typed_2011_error_and_resolves_a_lost_answer() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")], capture_output=True, text=True, timeout=90, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert "Started the emulator at http://127.0.0.1:" in output
    assert "Created an OCO order list on BTCUSDT" in output
    assert (
        "$ binance-orderlist cancel --symbol BTCUSDT --order-list-id 1\n  Cancelled order list 1 on BTCUSDT" in output
    )
    assert "(exit status 0: OK)" in output
    assert "The emulator confirms: list ALL_DONE, orders CANCELED, CANCELED" in output
    assert "binance-orderlist: UnknownOrderListError: HTTP 400, Binance error -2011" in output
    assert "(exit status 6: UNKNOWN_ORDER_LIST)" in output
    lost = "$ binance-orderlist cancel --symbol BTCUSDT --order-list-id 2\n"
    assert lost + "  binance-orderlist: UnknownExecutionStatusError" in output
    assert "(exit status 8: UNKNOWN_EXECUTION_STATUS)" in output
    assert "$ binance-orderlist cancel --symbol BTCUSDT --order-list-id 2 --confirm\n  State: NOT_OPEN" in output
    assert output.count("(exit status 0: OK)") == 2
    assert "one cancel (its answer lost again) and one query, which showed ALL_DONE" in output
    assert output.index("Stopped the emulator.") < output.index("demo: OK")
    assert DEFAULT_HMAC_SECRET_KEY not in output + result.stderr


def test_the_demo_fails_loudly_when_a_step_misbehaves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo, "DEFAULT_HMAC_SECRET_KEY", "not-the-emulator-secret")  # every cancel: -1022

    assert demo.main() == 1

    captured = capsys.readouterr()
    assert "demo: FAILED: the first cancel exited 5, expected 0" in captured.err
    assert "demo: OK" not in captured.out
