"""A desk's tests of its order-list code, with nothing but the fixtures binance-orderlist's pytest plugin ships."""

from typing import Literal

import pytest
from binance_orderlist import UNSET, AsyncSpotClient, CancelState, SpotClient
from binance_orderlist.errors import IPBanError, RateLimitError, UnknownExecutionStatusError
from binance_orderlist_emulator import EmulatorControl


def test_a_cancel_and_what_the_server_received(binance_emulator: EmulatorControl, binance_client: SpotClient) -> None:
    created = binance_emulator.create_order_list(symbol="ETHBTC")
    cancelled = binance_client.cancel_order_list(symbol="ETHBTC", order_list_id=created.order_list_id)

    assert [report.order_id for report in cancelled.order_reports] == list(created.order_ids)
    (cancel,) = binance_emulator.requests(method="DELETE")
    assert f"orderListId={created.order_list_id}" in cancel.query_string
    assert (cancel.status, cancel.signature_valid) == (200, True)


@pytest.mark.asyncio
async def test_an_oto_list_cancelled_by_the_async_client(
    binance_emulator: EmulatorControl, binance_async_client: AsyncSpotClient
) -> None:
    created = binance_emulator.create_order_list(symbol="ETHBTC", contingency_type="OTO")
    confirmation = await binance_async_client.ensure_order_list_cancelled(
        symbol="ETHBTC", list_client_order_id=created.list_client_order_id
    )

    assert (confirmation.state, confirmation.cancels_sent) == (CancelState.CANCELLED, 1)
    assert binance_emulator.order_list(created.order_list_id).list_order_status == "ALL_DONE"


@pytest.mark.parametrize("key_type", ["ed25519", "rsa"])
def test_other_key_types(binance_emulator: EmulatorControl, key_type: Literal["ed25519", "rsa"]) -> None:
    with binance_emulator.spot_client(key_type) as client:
        assert client.cancel_order_list(symbol="LTCBTC", order_list_id=0).order_list_id == 0


def test_a_5xx_before_executing_is_unknown_then_settled(
    binance_emulator: EmulatorControl, binance_client: SpotClient
) -> None:
    created = binance_emulator.create_order_list()
    binance_emulator.server_error(503)  # Binance answered 503 and did not act
    with pytest.raises(UnknownExecutionStatusError):
        binance_client.cancel_order_list(symbol="LTCBTC", order_list_id=created.order_list_id)
    assert binance_emulator.order_list(created.order_list_id).list_order_status == "EXECUTING"

    binance_emulator.server_error(503)
    confirmation = binance_client.ensure_order_list_cancelled(symbol="LTCBTC", order_list_id=created.order_list_id)
    assert (confirmation.state, confirmation.cancels_sent, confirmation.queries_sent) == (CancelState.CANCELLED, 2, 1)


def test_a_lost_connection_then_a_lagging_query(binance_emulator: EmulatorControl, binance_client: SpotClient) -> None:
    created = binance_emulator.create_order_list()
    binance_emulator.drop_connection()  # the cancel executed, the connection broke mid-answer
    binance_emulator.set_query_lag(queries=1)  # and the next query still shows the list open
    confirmation = binance_client.ensure_order_list_cancelled(symbol="LTCBTC", order_list_id=created.order_list_id)

    assert (confirmation.state, confirmation.cancels_sent, confirmation.queries_sent) == (CancelState.NOT_OPEN, 2, 2)


def test_429_and_418_are_never_retried_blindly(binance_emulator: EmulatorControl, binance_client: SpotClient) -> None:
    binance_emulator.too_many_requests(retry_after=60)
    with pytest.raises(RateLimitError) as limited:
        binance_client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    binance_emulator.ban_ip(retry_after=120)
    with pytest.raises(IPBanError) as banned:
        binance_client.cancel_order_list(symbol="LTCBTC", order_list_id=0)

    assert (limited.value.retry_after, banned.value.retry_after) == (60, 120)
    assert len(binance_emulator.requests(method="DELETE")) == 2
    assert binance_emulator.order_list(0).list_order_status == "EXECUTING"


@pytest.mark.asyncio
async def test_a_clock_30_s_behind_is_resynchronised(
    binance_emulator: EmulatorControl, binance_async_client: AsyncSpotClient
) -> None:
    binance_emulator.shift_clock(30_000)
    await binance_async_client.cancel_order_list(symbol="LTCBTC", order_list_id=0)

    assert [(entry.method, entry.path, entry.status) for entry in binance_emulator.requests()] == [
        ("DELETE", "/api/v3/orderList", 400),
        ("GET", "/api/v3/time", 200),
        ("DELETE", "/api/v3/orderList", 200),
    ]


def test_a_server_of_the_older_document(binance_emulator: EmulatorControl, binance_client: SpotClient) -> None:
    binance_emulator.set_response_version("older")  # or the whole run: pytest --binance-emulator-version=older
    cancelled = binance_client.cancel_order_list(symbol="LTCBTC", order_list_id=0)

    assert all(report.orig_quote_order_qty is UNSET for report in cancelled.order_reports)
