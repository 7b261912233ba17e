"""Run by ``test_golden_record.py`` with a regenerated ``binance_orderlist_api`` first on ``PYTHONPATH``.

That package was generated from a copy of openapi.yaml extended by ``golden_cases.extended``: a parameter
of the cancel per kind, and a new signed GET operation. Everything else is the repository's hand-written
code as it is. The parameters' Python names come from the regenerated rules, never from this file, which
knows only their spec names. For each kind it prints ``kind <name>: OK`` once both clients sent the value
exactly as Binance expects and refused a bad one with nothing sent (counted), the emulator read it and
rejected a bad wire text with Binance's code, and the command line took it; then ``new operation: OK``
and ``golden record: OK``.

The new operation is answered by a scripted server (``tests/reliability/hostile.py``), not the emulator:
the emulator serves the endpoints whose behaviour it implements, and a made-up answer for any declared
GET would be an endpoint that only pretends. What is checked is the client side: the method exists on
both clients, sends a signed GET to the declared path, and parses the declared model.
"""

import asyncio
import json
import os
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import binance_orderlist_api
import binance_orderlist_api.models
import httpx
from binance_orderlist import AsyncSpotClient, HmacSigner, SpotClient
from binance_orderlist import _cli as cli
from binance_orderlist.errors import RequestValidationError
from binance_orderlist_api.operations import CANCEL_ORDER_LIST, OPERATIONS
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl, EmulatorProcess
from binance_orderlist_emulator._parameters import parse_cancel_parameters

from tests.emulator.by_hand import ORDER_LIST_PATH, cancel_params, hmac_signed
from tests.reliability.hostile import HostileServer, respond
from tests.spec.golden_cases import KINDS, NEW_ANSWER, NEW_MODEL, NEW_OPERATION_ID, NEW_OPERATION_PATH, Kind

CREDENTIALS: Mapping[str, Any] = {"api_key": DEFAULT_HMAC_API_KEY, "signer": HmacSigner(DEFAULT_HMAC_SECRET_KEY)}


def python_name(kind: Kind) -> str:
    return CANCEL_ORDER_LIST.parameter(kind.parameter["name"]).python_name


def good_value(kind: Kind) -> Any:
    """The value a caller passes: for an enum, the generated class's member (which must exist by that name)."""
    if kind.enum_class is None:
        return kind.good
    return getattr(binance_orderlist_api.models, kind.enum_class)(kind.good)


def on_the_wire(kind: Kind, query_string: str) -> bool:
    return f"&{kind.parameter['name']}={quote(kind.wire, safe=':/')}&" in f"&{query_string}&"


def refused(call: Any, **arguments: Any) -> str:
    """The parameter the RequestValidationError of a cancel with ``arguments`` names."""
    try:
        call(symbol="LTCBTC", order_list_id=0, **arguments)
    except RequestValidationError as error:
        return error.parameter
    raise AssertionError(f"{arguments} was not refused")


def check_sync(kind: Kind, emulator: EmulatorControl) -> None:
    with SpotClient(**CREDENTIALS, base_url=emulator.base_url) as client:
        created = emulator.create_order_list(symbol="LTCBTC")
        arguments = {python_name(kind): good_value(kind)}
        result = client.cancel_order_list(symbol="LTCBTC", order_list_id=created.order_list_id, **arguments)
        assert result.order_list_id == created.order_list_id
        if kind.parameter["in"] == "query":
            sent = emulator.requests()[-1].query_string
            assert on_the_wire(kind, sent), (kind.wire, sent)
        before = len(emulator.requests())
        assert refused(client.cancel_order_list, **{python_name(kind): kind.bad}) == python_name(kind)
        assert len(emulator.requests()) == before, "a refused call reached the server"


async def check_async(kind: Kind, emulator: EmulatorControl) -> None:
    async with AsyncSpotClient(**CREDENTIALS, base_url=emulator.base_url) as client:
        created = emulator.create_order_list(symbol="LTCBTC")
        value = kind.good  # the plain value, also for an enum (its str)
        result = await client.cancel_order_list(
            symbol="LTCBTC", order_list_id=created.order_list_id, **{python_name(kind): value}
        )
        assert result.order_list_id == created.order_list_id
        if kind.parameter["in"] == "query":
            assert on_the_wire(kind, emulator.requests()[-1].query_string)
        before = len(emulator.requests())
        try:
            await client.cancel_order_list(symbol="LTCBTC", order_list_id=0, **{python_name(kind): kind.bad})
        except RequestValidationError as error:
            named = error.parameter
        else:
            raise AssertionError(f"{kind.name}: {kind.bad!r} was not refused")
        assert named == python_name(kind)
        assert len(emulator.requests()) == before, "a refused call reached the server"


def check_header_sent(kind: Kind) -> None:
    """Headers are not in the emulator's request log: a scripted server records what both clients sent."""
    with HostileServer((respond(),)) as server:
        with SpotClient(**CREDENTIALS, base_url=server.base_url) as client:
            client.cancel_order_list(symbol="LTCBTC", order_list_id=0, **{python_name(kind): good_value(kind)})

        async def send() -> None:
            async with AsyncSpotClient(**CREDENTIALS, base_url=server.base_url) as client:
                await client.cancel_order_list(symbol="LTCBTC", order_list_id=0, **{python_name(kind): kind.good})

        asyncio.run(send())
        name = kind.parameter["name"].lower()
        assert [request.headers.get(name) for request in server.received] == [kind.wire, kind.wire]
        assert all(kind.parameter["name"] not in request.query for request in server.received)


def check_emulator(kind: Kind, emulator: EmulatorControl) -> None:
    """The emulator reads a good wire text as the rule's Python value, and rejects a bad one with Binance's code."""
    created = emulator.create_order_list(symbol="LTCBTC")
    name, header = kind.parameter["name"], kind.parameter["in"] == "header"
    headers = {"X-MBX-APIKEY": DEFAULT_HMAC_API_KEY}

    def cancel(text: str) -> httpx.Response:
        extra = {} if header else {name: text}
        query = hmac_signed(cancel_params(orderListId=created.order_list_id, **extra))
        return binance.delete(f"{ORDER_LIST_PATH}?{query}", headers=headers | ({name: text} if header else {}))

    with httpx.Client(base_url=emulator.base_url, timeout=10.0) as binance:
        bad = cancel(kind.bad_wire)
        assert (bad.status_code, bad.json()["code"]) == (400, kind.code), bad.text
        assert name in bad.json()["msg"] or kind.code != -1100, bad.text
        good = cancel(kind.wire)
        assert good.status_code == 200, good.text
    query = b"" if header else f"{name}={quote(kind.wire)}&".encode()
    read = parse_cancel_parameters(
        b"symbol=A&orderListId=0&" + query + b"timestamp=1", b"", decimal_recv_window=True, headers={name: kind.wire}
    )
    expected = CANCEL_ORDER_LIST.parameter(name).read(kind.wire)
    assert expected == (tuple(kind.good) if isinstance(kind.good, list) else kind.good)
    assert getattr(read, python_name(kind)) == expected


def check_cli(kind: Kind, emulator: EmulatorControl) -> None:
    """The command gains an option per new parameter; a bad value is refused before anything is sent."""
    created = emulator.create_order_list(symbol="LTCBTC")
    options = ["cancel", "--symbol", "LTCBTC", "--order-list-id", str(created.order_list_id), "--json"]
    flag = "--" + python_name(kind).replace("_", "-")
    assert cli.main([*options, flag, *kind.cli]) == cli.ExitCode.OK
    if kind.parameter["in"] == "query":
        assert kind.parameter["name"] + "=" in emulator.requests()[-1].query_string


def check_new_operation() -> None:
    """The new GET operation: a method on both clients (and their raw twins), signed, its model parsed."""
    operation = OPERATIONS[NEW_OPERATION_ID]
    assert (operation.method, operation.path, operation.signed) == ("GET", NEW_OPERATION_PATH, True)
    model = getattr(binance_orderlist_api.models, NEW_MODEL)
    body = json.dumps(NEW_ANSWER).encode()
    with HostileServer((respond(body=body),)) as server:
        with SpotClient(**CREDENTIALS, base_url=server.base_url) as client:
            stats = getattr(client, operation.python_name)(symbol="LTCBTC")
            raw = getattr(client.with_raw_response, operation.python_name)(symbol="LTCBTC")
            assert raw.status_code == 200
            assert raw.parse().to_dict() == NEW_ANSWER

        async def ask() -> Any:
            async with AsyncSpotClient(**CREDENTIALS, base_url=server.base_url) as client:
                return await getattr(client, operation.python_name)(symbol="LTCBTC", recv_window=6000)

        async_stats = asyncio.run(ask())
        for result in (stats, async_stats):
            assert type(result) is model
            assert (result.symbol, result.open_lists, result.last_price) == ("LTCBTC", 3, "0.00420000")
        assert [(request.method, request.path) for request in server.received] == [("GET", NEW_OPERATION_PATH)] * 3
        for request in server.received:
            assert request.query["symbol"] == "LTCBTC"
            assert {"timestamp", "signature"} <= set(request.query)
            assert request.raw_query.endswith("&signature=" + quote(request.query["signature"], safe=""))
            assert request.headers["x-mbx-apikey"] == DEFAULT_HMAC_API_KEY
        assert server.received[-1].query["recvWindow"] == "6000"
    print(f"new operation: {operation.python_name} on both clients, signed, parsed as {NEW_MODEL}: OK")


def main() -> int:
    assert binance_orderlist_api.__file__ is not None
    print(f"generated package: {binance_orderlist_api.__file__}")
    os.environ.update(BINANCE_API_KEY=DEFAULT_HMAC_API_KEY, BINANCE_API_SECRET=DEFAULT_HMAC_SECRET_KEY)
    with EmulatorProcess() as process, EmulatorControl(process.base_url) as emulator:
        os.environ["BINANCE_BASE_URL"] = emulator.base_url
        for kind in KINDS:
            check_sync(kind, emulator)
            asyncio.run(check_async(kind, emulator))
            if kind.parameter["in"] == "header":
                check_header_sent(kind)
            check_emulator(kind, emulator)
            check_cli(kind, emulator)
            print(f"kind {kind.name}: OK")
    check_new_operation()
    print("golden record: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
