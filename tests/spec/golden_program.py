"""Run by ``test_golden_record.py`` with a regenerated ``binance_orderlist_api`` first on ``PYTHONPATH``.

That package was generated from a copy of openapi.yaml with two new optional parameters (an enum and a
string with a pattern and a ``maxLength``). Everything else is the repository's hand-written code as it
is. The new parameters' names come from the regenerated rules, never from this file, which knows only
their spec names. It prints one line per check and ``golden record: OK`` at the end.
"""

import asyncio
import os
import sys
from typing import Any

import binance_orderlist_api
import binance_orderlist_api.models
import httpx
from binance_orderlist import AsyncSpotClient, HmacSigner, SpotClient
from binance_orderlist import _cli as cli
from binance_orderlist.errors import RequestValidationError
from binance_orderlist_api.operations import CANCEL_ORDER_LIST
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl, EmulatorProcess
from binance_orderlist_emulator._parameters import parse_cancel_parameters

from tests.emulator.by_hand import cancel_params, hmac_signed, send_cancel

ENUM, STRING, ENUM_SCHEMA = sys.argv[1], sys.argv[2], sys.argv[3]
ENUM_NAME = CANCEL_ORDER_LIST.parameter(ENUM).python_name
STRING_NAME = CANCEL_ORDER_LIST.parameter(STRING).python_name
ENUM_CLASS = getattr(binance_orderlist_api.models, ENUM_SCHEMA)


def refused(call: Any, emulator: EmulatorControl, **arguments: Any) -> str:
    """The parameter a RequestValidationError names; nothing may have reached the server."""
    before = len(emulator.requests())
    try:
        call(symbol="LTCBTC", order_list_id=0, **arguments)
    except RequestValidationError as error:
        assert len(emulator.requests()) == before, "a refused call reached the server"
        return error.parameter
    raise AssertionError(f"{arguments} was not refused")


async def refused_async(client: AsyncSpotClient, emulator: EmulatorControl, **arguments: Any) -> str:
    before = len(emulator.requests())
    try:
        await client.cancel_order_list(symbol="LTCBTC", order_list_id=0, **arguments)
    except RequestValidationError as error:
        assert len(emulator.requests()) == before, "a refused call reached the server"
        return error.parameter
    raise AssertionError(f"{arguments} was not refused")


def sent_query(emulator: EmulatorControl) -> str:
    return emulator.requests()[-1].query_string


def check_sync(emulator: EmulatorControl) -> None:
    with SpotClient(
        api_key=DEFAULT_HMAC_API_KEY, signer=HmacSigner(DEFAULT_HMAC_SECRET_KEY), base_url=emulator.base_url
    ) as client:
        created = emulator.create_order_list(symbol="LTCBTC")
        member = next(iter(ENUM_CLASS))  # the generated enum itself
        arguments: dict[str, Any] = {ENUM_NAME: member, STRING_NAME: "abc"}
        result = client.cancel_order_list(symbol="LTCBTC", order_list_id=created.order_list_id, **arguments)
        assert result.order_list_id == created.order_list_id
        assert f"&{ENUM}={member.value}&{STRING}=abc&" in sent_query(emulator), sent_query(emulator)
        assert refused(client.cancel_order_list, emulator, **{STRING_NAME: "ABC"}) == STRING_NAME
        assert refused(client.cancel_order_list, emulator, **{STRING_NAME: "a" * 9}) == STRING_NAME
        assert refused(client.cancel_order_list, emulator, **{ENUM_NAME: "NOT_A_MEMBER"}) == ENUM_NAME
    print("sync client: accepted, validated and sent both new parameters")


async def check_async(emulator: EmulatorControl) -> None:
    async with AsyncSpotClient(
        api_key=DEFAULT_HMAC_API_KEY, signer=HmacSigner(DEFAULT_HMAC_SECRET_KEY), base_url=emulator.base_url
    ) as client:
        created = emulator.create_order_list(symbol="LTCBTC")
        value = str(list(ENUM_CLASS)[-1].value)  # the enum's value as a plain str
        arguments: dict[str, Any] = {ENUM_NAME: value, STRING_NAME: "xyz"}
        result = await client.cancel_order_list(symbol="LTCBTC", order_list_id=created.order_list_id, **arguments)
        assert result.order_list_id == created.order_list_id
        assert f"&{ENUM}={value}&{STRING}=xyz&" in sent_query(emulator), sent_query(emulator)
        assert await refused_async(client, emulator, **{STRING_NAME: "x y"}) == STRING_NAME
        assert await refused_async(client, emulator, **{ENUM_NAME: 7}) == ENUM_NAME
    print("async client: accepted, validated and sent both new parameters")


def check_emulator(emulator: EmulatorControl) -> None:
    """The emulator reads the new parameters with the same rules: a good value is read, a bad one -1100."""
    created = emulator.create_order_list(symbol="LTCBTC")
    with httpx.Client(base_url=emulator.base_url, timeout=10.0) as binance:
        bad = send_cancel(binance, hmac_signed(cancel_params(orderListId=created.order_list_id, **{STRING: "ABC"})))
        assert (bad.status_code, bad.json()["code"]) == (400, -1100), bad.text
        bad_enum = send_cancel(binance, hmac_signed(cancel_params(orderListId=created.order_list_id, **{ENUM: "NO"})))
        assert (bad_enum.status_code, bad_enum.json()["code"]) == (400, -1100), bad_enum.text
        good = send_cancel(binance, hmac_signed(cancel_params(orderListId=created.order_list_id, **{STRING: "ok"})))
        assert good.status_code == 200, good.text
    read = parse_cancel_parameters(
        f"symbol=A&orderListId=0&{STRING}=ok&timestamp=1".encode(), b"", decimal_recv_window=True
    )
    assert getattr(read, STRING_NAME) == "ok"
    print("emulator: read the new parameters, refused bad values with -1100")


def check_cli(emulator: EmulatorControl) -> None:
    """The command gains an option per new parameter, checked with the same rules before anything is sent."""
    created = emulator.create_order_list(symbol="LTCBTC")
    os.environ.update(
        BINANCE_API_KEY=DEFAULT_HMAC_API_KEY,
        BINANCE_API_SECRET=DEFAULT_HMAC_SECRET_KEY,
        BINANCE_BASE_URL=emulator.base_url,
    )
    options = ["cancel", "--symbol", "LTCBTC", "--order-list-id", str(created.order_list_id)]
    flag = "--" + STRING_NAME.replace("_", "-")
    before = len(emulator.requests())
    assert cli.main([*options, flag, "NOT-LOWER"]) == cli.ExitCode.INVALID_PARAMETER
    assert len(emulator.requests()) == before
    assert cli.main([*options, flag, "fromcli", "--json"]) == cli.ExitCode.OK
    assert f"&{STRING}=fromcli&" in sent_query(emulator), sent_query(emulator)
    print("command line: an option per new parameter, validated and sent")


def main() -> int:
    assert binance_orderlist_api.__file__ is not None
    print(f"generated package: {binance_orderlist_api.__file__}")
    with EmulatorProcess() as process, EmulatorControl(process.base_url) as emulator:
        check_sync(emulator)
        asyncio.run(check_async(emulator))
        check_emulator(emulator)
        check_cli(emulator)
    print("golden record: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
