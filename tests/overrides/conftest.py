"""Clients wired to an httpx.MockTransport that records every request: the unit-test seam."""

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, HmacSigner, SpotClient

from ..harness import call_once

Handler = Callable[[httpx.Request], httpx.Response]
SEED_RESPONSE: dict[str, Any] = json.loads((Path(__file__).parent / "seed_response.json").read_text(encoding="utf-8"))
SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
ORDER_LIST: dict[str, Any] = {
    "orderListId": 3,
    "contingencyType": "OCO",
    "listStatusType": "EXEC_STARTED",
    "listOrderStatus": "EXECUTING",
    "listClientOrderId": "abc",
    "transactionTime": 1,
    "symbol": "LTCBTC",
    "orders": [{"symbol": "LTCBTC", "orderId": 4, "clientOrderId": "x"}],
}
"""An open OCO list as Query Order list answers it."""


class Recorder:
    """Answers with ``responses`` in turn (the last one repeats) and keeps every request."""

    def __init__(self, *responses: httpx.Response | Exception | Handler) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses[min(len(self.requests), len(self.responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):  # a fresh copy: a response object is read only once
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return answer(request)


def ok(body: Any = None, **headers: str) -> httpx.Response:
    content = json.dumps(SEED_RESPONSE if body is None else body).encode()
    return httpx.Response(200, content=content, headers={"X-MBX-USED-WEIGHT-1M": "2", **headers})


def error(status: int, code: int | None = None, msg: str = "", **headers: str) -> httpx.Response:
    content = b"" if code is None else json.dumps({"code": code, "msg": msg}).encode()
    return httpx.Response(status, content=content, headers=headers)


def sync_client(recorder: Recorder, **options: Any) -> SpotClient:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return SpotClient(api_key="test-key", signer=HmacSigner(SECRET), http_client=http, **options)


def async_client(recorder: Recorder, **options: Any) -> AsyncSpotClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    return AsyncSpotClient(api_key="test-key", signer=HmacSigner(SECRET), http_client=http, **options)


def run(mode: str, recorder: Recorder, call: str, options: dict[str, Any] | None = None, **arguments: Any) -> Any:
    """``client.<call>(**arguments)`` (``call`` may be ``with_raw_response.cancel_order_list``) on a fresh client."""
    client = (sync_client if mode == "sync" else async_client)(recorder, **(options or {}))
    return call_once(client, call, **{"symbol": "LTCBTC", "order_list_id": 0, **arguments})


@pytest.fixture
def seed_response() -> dict[str, Any]:
    return copy.deepcopy(SEED_RESPONSE)
