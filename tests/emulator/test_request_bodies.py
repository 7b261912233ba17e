"""Parameters in a form body as well as the query string, as Binance allows for POST, PUT and DELETE."""

import hashlib
import hmac

import httpx
import pytest
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .by_hand import ORDER_LIST_PATH, TIME_PATH, assert_matches_spec, cancel_params, encoded, error_of

FORM = "application/x-www-form-urlencoded"
UNKNOWN_LIST = (400, -2011, "Unknown order list sent.")


def hmac_hex(payload: str) -> str:
    return hmac.new(DEFAULT_HMAC_SECRET_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def send(
    binance: httpx.Client, query: str, body: str, *, content_type: str | None = FORM, method: str = "DELETE"
) -> httpx.Response:
    headers = {"X-MBX-APIKEY": DEFAULT_HMAC_API_KEY} | ({} if content_type is None else {"Content-Type": content_type})
    path = ORDER_LIST_PATH if method == "DELETE" else TIME_PATH
    return binance.request(method, f"{path}?{query}" if query else path, content=body.encode(), headers=headers)


def signed_split(params: list[tuple[str, object]], in_body: list[bool], *, signature_in_body: bool) -> tuple[str, str]:
    """Query and body, the signature over both concatenated without separator, appended to the part asked for."""
    query = encoded([pair for pair, body in zip(params, in_body, strict=True) if not body])
    body = encoded([pair for pair, body in zip(params, in_body, strict=True) if body])
    signature = f"signature={hmac_hex(query + body)}"
    if signature_in_body:
        return query, f"{body}&{signature}" if body else signature
    return f"{query}&{signature}" if query else signature, body


@given(data=st.data(), signature_in_body=st.booleans())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=25)
def test_any_split_between_query_and_body_is_one_request(
    emulator: EmulatorControl, binance: httpx.Client, data: st.DataObject, signature_in_body: bool
) -> None:
    params = cancel_params(newClientOrderId="split-cancel", recvWindow="6000.5")
    in_body = data.draw(st.lists(st.booleans(), min_size=len(params), max_size=len(params)))
    query, body = signed_split(params, in_body, signature_in_body=signature_in_body)
    response = send(binance, query, body)
    assert_matches_spec(response)
    assert response.status_code == 200, response.text
    assert {report["clientOrderId"] for report in response.json()["orderReports"]} == {"split-cancel"}
    logged = emulator.requests()[-1]
    assert (logged.query_string, logged.body) == (query, body)
    emulator.reset()


@pytest.mark.parametrize(("query_id", "body_id", "expected_status"), [(0, 999, 200), (999, 0, 400)])
def test_a_parameter_in_both_places_takes_the_querys_value(
    binance: httpx.Client, query_id: int, body_id: int, expected_status: int
) -> None:
    query = encoded([*cancel_params(orderListId=None), ("orderListId", query_id)])
    body = encoded([("orderListId", body_id)])
    response = send(binance, f"{query}&signature={hmac_hex(query + body)}", body)
    assert response.status_code == expected_status
    if expected_status != 200:
        assert error_of(response) == UNKNOWN_LIST


@pytest.mark.parametrize("twice_in_body", [False, True])
def test_a_parameter_twice_in_one_part_is_1101(binance: httpx.Client, twice_in_body: bool) -> None:
    doubled = encoded([*cancel_params(), ("orderListId", 0)])
    signed = f"{doubled}&signature={hmac_hex(doubled)}"
    response = send(binance, "", signed) if twice_in_body else send(binance, signed, "")
    assert error_of(response) == (400, -1101, "Duplicate values for a parameter detected.")


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "multipart/form-data; boundary=x", None])
def test_a_body_of_another_kind_is_neither_read_nor_signed(binance: httpx.Client, content_type: str | None) -> None:
    form = encoded(cancel_params())
    everything_in_the_body = send(binance, "", f"{form}&signature={hmac_hex(form)}", content_type=content_type)
    assert error_of(everything_in_the_body) == (
        400,
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
    )
    stray_body = send(binance, f"{form}&signature={hmac_hex(form)}", '{"orderListId": 999}', content_type=content_type)
    assert stray_body.status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded; charset=UTF-8", "Application/X-WWW-Form-Urlencoded"]
)
def test_form_bodies_are_read_whatever_the_media_types_case_and_parameters(
    binance: httpx.Client, content_type: str
) -> None:
    form = encoded(cancel_params())
    assert send(binance, "", f"{form}&signature={hmac_hex(form)}", content_type=content_type).status_code == 200


def test_body_bytes_count_in_the_signature(binance: httpx.Client) -> None:
    form = encoded(cancel_params())
    response = send(binance, "", f"{form}&signature={hmac_hex(form)}&colour=blue")
    assert error_of(response) == (400, -1022, "Signature for this request is not valid.")


def test_a_get_with_a_body_is_refused_before_binance(emulator: EmulatorControl, binance: httpx.Client) -> None:
    response = send(binance, "", "a=1", method="GET")
    assert (response.status_code, response.headers["content-type"].split(";")[0]) == (403, "text/html")
    assert "x-mbx-used-weight-1m" not in response.headers
    assert (emulator.requests()[-1].status, emulator.requests()[-1].body) == (403, "a=1")
    assert binance.get(TIME_PATH).headers["x-mbx-used-weight-1m"] == "1"


def test_an_upper_case_hmac_signature_is_accepted(binance: httpx.Client) -> None:
    query = encoded(cancel_params())
    assert send(binance, f"{query}&signature={hmac_hex(query).upper()}", "").status_code == 200
