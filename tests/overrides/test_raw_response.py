"""``RawResponse`` (``_raw_response``): one response's own status, headers and rate-limit usage, parsed only when
asked; the round trips through ``with_raw_response`` are in test_facade.py."""

import json
import string
from typing import Any

import httpx
import pytest
from binance_orderlist import CancelOrderListResponse
from binance_orderlist._raw_response import RawResponse
from binance_orderlist._responses import Answer
from binance_orderlist.errors import ResponseDecodeError
from hypothesis import given
from hypothesis import strategies as st

from .conftest import SEED_RESPONSE

BASE_URL = "https://api1.binance.com"
counters = st.dictionaries(st.sampled_from(["1m", "1h", "10s", "1d"]), st.integers(min_value=0, max_value=10**9))


def raw(content: bytes, headers: dict[str, str] | None = None, status: int = 200) -> RawResponse[Any]:
    answer = Answer(status, httpx.Headers(headers or {}), content)
    return RawResponse(answer=answer, model=CancelOrderListResponse, base_url=BASE_URL)


def test_parse_gives_the_model_of_the_body() -> None:
    response = raw(json.dumps(SEED_RESPONSE).encode())
    parsed = response.parse()
    assert isinstance(parsed, CancelOrderListResponse)
    assert parsed.to_dict() == CancelOrderListResponse.from_dict(SEED_RESPONSE).to_dict()
    assert (response.status_code, response.base_url) == (200, BASE_URL)


@pytest.mark.parametrize("body", [b"", b"[1, 2]", b"<html>not json</html>", b'{"orderListId": 0, "contin'])
def test_a_body_that_is_not_the_model_is_a_decode_error_when_parsed(body: bytes) -> None:
    response = raw(body)
    assert response.status_code == 200, "made without reading the body"
    with pytest.raises(ResponseDecodeError):
        response.parse()


@given(used_weight=counters, order_count=counters)
def test_the_rate_limit_usage_is_this_response_s_own(used_weight: dict[str, int], order_count: dict[str, int]) -> None:
    headers = {f"X-MBX-USED-WEIGHT-{interval.upper()}": str(value) for interval, value in used_weight.items()}
    headers |= {f"x-mbx-order-count-{interval}": str(value) for interval, value in order_count.items()}
    usage = raw(b"{}", headers).rate_limit_usage
    assert (dict(usage.used_weight), dict(usage.order_count)) == (used_weight, order_count)


@given(
    headers=st.dictionaries(
        st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8).map("x-{}".format),
        st.text(alphabet=string.ascii_letters + string.digits, max_size=20),
    ),
    content=st.binary(max_size=64),
    status=st.integers(min_value=100, max_value=599),
)
def test_the_http_response_holds_the_status_headers_and_body_as_read(
    headers: dict[str, str], content: bytes, status: int
) -> None:
    response = raw(content, headers, status)
    http = response.http_response
    assert (http.status_code, http.content) == (status, content)
    for name, value in headers.items():
        assert http.headers[name.upper()] == response.headers[name.title()] == value
