"""Requests built by hand from Binance's documents, independent of the client package, and a spec check."""

import base64
import functools
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

import httpx
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

ORDER_LIST_PATH = "/api/v3/orderList"
TIME_PATH = "/api/v3/time"
Params = Sequence[tuple[str, object]]
_ROOT = Path(__file__).resolve().parents[2]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def encoded(params: Params) -> str:
    """Percent-encoded the way Binance asks, non-ASCII as UTF-8 escapes."""
    return urlencode([(name, str(value)) for name, value in params], quote_via=quote)


def hmac_signed(params: Params, secret: str = DEFAULT_HMAC_SECRET_KEY) -> str:
    payload = encoded(params)
    return f"{payload}&signature={hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()}"


def base64_signed(params: Params, sign: Callable[[bytes], bytes]) -> str:
    """For Ed25519 and RSA keys: base64 of the signature, percent-encoded (``+``, ``/``, ``=``)."""
    payload = encoded(params)
    return f"{payload}&signature={quote(base64.b64encode(sign(payload.encode())).decode(), safe='')}"


def cancel_params(**overrides: object) -> list[tuple[str, object]]:
    """The seed list's cancel, fresh timestamp; ``None`` in overrides leaves a parameter out."""
    params: dict[str, object] = {"symbol": "LTCBTC", "orderListId": 0, "timestamp": now_ms()} | overrides
    return [(name, value) for name, value in params.items() if value is not None]


def send_cancel(
    client: httpx.Client,
    query: str,
    *,
    api_key: str | None = DEFAULT_HMAC_API_KEY,
    time_unit: str | None = None,
) -> httpx.Response:
    headers = {} if api_key is None else {"X-MBX-APIKEY": api_key}
    if time_unit is not None:
        headers["X-MBX-TIME-UNIT"] = time_unit
    return client.delete(f"{ORDER_LIST_PATH}?{query}", headers=headers)


def error_of(response: httpx.Response) -> tuple[int, int, str]:
    """HTTP status, Binance code and message of an error response (checked against the spec)."""
    assert_matches_spec(response)
    body = response.json()
    return response.status_code, body["code"], body["msg"]


@functools.cache
def _openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(_ROOT / "openapi.yaml"))


def assert_matches_spec(response: httpx.Response) -> None:
    """The response validates against openapi.yaml for the operation its request was sent to."""
    request = response.request
    mock_request = MockRequest(
        "https://api.binance.com",
        request.method,
        request.url.path,
        args=dict(parse_qsl(request.url.query.decode())),
        headers=dict(request.headers),
    )
    content_type = response.headers.get("content-type", "application/json").split(";")[0]
    mock_response = MockResponse(response.content, response.status_code, dict(response.headers), content_type)
    _openapi().validate_response(mock_request, mock_response)
