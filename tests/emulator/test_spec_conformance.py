"""Whatever a client sends, what comes back on a Binance path validates against openapi.yaml."""

import string

import httpx
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, EmulatorControl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .by_hand import ORDER_LIST_PATH, assert_matches_spec, hmac_signed, now_ms, send_cancel

NAMES = ["symbol", "orderListId", "listClientOrderId", "newClientOrderId", "recvWindow", "timestamp", "orderId", "x"]
values = st.one_of(
    st.sampled_from(["LTCBTC", "0", "1", "C3wyj4WVEktd7u9aVBRXcN", "5000", "5000.5", "60001", ""]),
    st.integers(-5, 2**64).map(str),
    st.text(alphabet=string.printable + "１２é", max_size=40),
    st.just("fresh-timestamp"),
)
time_units = st.sampled_from([None, "MILLISECOND", "microsecond", "SECONDS"])


@given(
    params=st.lists(st.tuples(st.sampled_from(NAMES), values), max_size=8),
    time_unit=time_units,
    api_key_known=st.booleans(),
    in_a_form_body=st.booleans(),
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=150)
def test_any_cancel_gets_a_response_the_spec_describes(
    emulator: EmulatorControl,
    binance: httpx.Client,
    params: list[tuple[str, str]],
    time_unit: str | None,
    api_key_known: bool,
    in_a_form_body: bool,
) -> None:
    params = [(name, str(now_ms()) if value == "fresh-timestamp" else value) for name, value in params]
    api_key = DEFAULT_HMAC_API_KEY if api_key_known else "unknown-key"
    if in_a_form_body:
        headers = {"X-MBX-APIKEY": api_key, "Content-Type": "application/x-www-form-urlencoded"}
        headers |= {} if time_unit is None else {"X-MBX-TIME-UNIT": time_unit}
        response = binance.request("DELETE", ORDER_LIST_PATH, content=hmac_signed(params).encode(), headers=headers)
    else:
        response = send_cancel(binance, hmac_signed(params), api_key=api_key, time_unit=time_unit)
    assert response.status_code in {200, 400, 401}
    assert_matches_spec(response)
    if response.status_code == 200:
        emulator.reset()
