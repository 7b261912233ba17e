"""Debug logging says what happened and never shows a signature, even in httpx's own records."""

import logging
import subprocess
import sys

import pytest
from binance_orderlist._logging import redact

from .conftest import Recorder, error, ok, sync_client


def test_redact_removes_signature_values() -> None:
    url = "https://api.binance.com/api/v3/orderList?symbol=LTCBTC&timestamp=1&signature=abc%2B%3D"
    assert redact(url) == "https://api.binance.com/api/v3/orderList?symbol=LTCBTC&timestamp=1&signature=<redacted>"
    assert redact("signature=deadbeef'") == "signature=<redacted>'"


def test_debug_and_httpx_logs_carry_no_signature(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder(ok(), error(400, -2011, "Unknown order list sent."))
    with caplog.at_level(logging.DEBUG), sync_client(recorder) as client:
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
        with pytest.raises(Exception, match="-2011"):
            client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    signatures = [request.url.params["signature"] for request in recorder.requests]
    messages = [record.getMessage() for record in caplog.records]
    assert any(record.name == "httpx" for record in caplog.records), "httpx's request log was captured"
    assert any("HTTP 200, used weight {'1m': 2}" in message for message in messages)
    for signature in signatures:
        assert not any(signature in message for message in messages)


def test_the_scan_above_can_fail(caplog: pytest.LogCaptureFixture) -> None:
    """A record logged through a logger the filter does not cover keeps its signature: the scan sees it."""
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("somebody.else").info("GET /x?signature=%s", "feedface")
    assert "signature=feedface" in caplog.text


def test_env_var_switches_debug_logging_on() -> None:
    code = "import logging, binance_orderlist; print(logging.getLogger('binance_orderlist').level)"
    environ = {"BINANCE_ORDERLIST_LOG": "debug", "PATH": ""}
    output = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    assert output.stdout.strip() == str(logging.DEBUG)
