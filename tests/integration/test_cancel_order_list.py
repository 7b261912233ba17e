"""Round trips against the emulator as a real HTTP server: every key kind, both response versions, both modes."""

import re
from decimal import Decimal

import httpx
import pytest
from binance_orderlist import (
    UNSET,
    AsyncSpotClient,
    ContingencyType,
    HmacSigner,
    ListOrderStatus,
    OrderStatus,
    SpotClient,
)
from binance_orderlist.errors import (
    BinanceAPIError,
    InvalidSignatureError,
    RequestValidationError,
    UnknownOrderListError,
)
from binance_orderlist_api.models import ExpiryReason, PegOffsetType, PegPriceType, WorkingFloor
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl, OrderSpec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..harness import invoke
from .conftest import MakeClient

KEY_KINDS = ["hmac", "ed25519", "rsa"]


async def test_the_documents_example_works_out_of_the_box(make_client: MakeClient, emulator: EmulatorControl) -> None:
    result = await invoke(make_client(), "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert (result.order_list_id, result.list_client_order_id) == (0, "C3wyj4WVEktd7u9aVBRXcN")
    assert result.contingency_type is ContingencyType.OCO
    assert [order.client_order_id for order in result.orders] == ["pO9ufTiFGg3nw2fOdgeOXa", "TXOvglzXuaubXAaENpaRCB"]
    assert [report.status for report in result.order_reports] == [OrderStatus.CANCELED] * 2
    assert result.order_reports[0].stop_price == "1.00000000"
    assert Decimal(result.order_reports[1].price) == Decimal(3)
    assert emulator.order_list(0).list_order_status == "ALL_DONE"


@pytest.mark.parametrize("key_kind", KEY_KINDS)
async def test_cancel_by_id_then_the_second_cancel_is_2011(
    make_client: MakeClient, emulator: EmulatorControl, key_kind: str
) -> None:
    created = emulator.create_order_list(symbol="BNBUSDT", contingency_type="OTO")
    client = make_client(key_kind)
    result = await invoke(client, "cancel_order_list", symbol="BNBUSDT", order_list_id=created.order_list_id)
    assert result.order_list_id == created.order_list_id
    assert result.contingency_type is ContingencyType.OTO
    assert result.list_order_status is ListOrderStatus.ALL_DONE
    assert [report.order_id for report in result.order_reports] == list(created.order_ids)
    assert client.rate_limit_usage.used_weight["1m"] == 0  # a successful cancel weighs 0
    with pytest.raises(UnknownOrderListError) as raised:
        await invoke(client, "cancel_order_list", symbol="BNBUSDT", order_list_id=created.order_list_id)
    assert (raised.value.status_code, raised.value.code, raised.value.msg) == (400, -2011, "Unknown order list sent.")
    assert raised.value.headers["x-mbx-used-weight-1m"] == "1"


@pytest.mark.parametrize("key_kind", KEY_KINDS)
async def test_cancel_by_client_id_with_a_cancel_id_and_decimal_recv_window(
    make_client: MakeClient, emulator: EmulatorControl, key_kind: str
) -> None:
    created = emulator.create_order_list(list_client_order_id="desk-7:oco/2026.11_21-a")
    result = await invoke(
        make_client(key_kind),
        "cancel_order_list",
        symbol="LTCBTC",
        list_client_order_id="desk-7:oco/2026.11_21-a",
        new_client_order_id="my-cancel-1",
        recv_window=Decimal("6000.346"),
    )
    assert result.order_list_id == created.order_list_id
    assert {report.client_order_id for report in result.order_reports} == {"my-cancel-1"}
    assert {report.orig_client_order_id for report in result.order_reports} == set(created.client_order_ids)
    (logged,) = emulator.requests()
    assert "recvWindow=6000.346&" in logged.query_string
    assert "listClientOrderId=desk-7:oco/2026.11_21-a&" in logged.query_string
    assert logged.signature_valid


async def test_non_ascii_symbol_is_percent_encoded_and_signed(
    make_client: MakeClient, emulator: EmulatorControl
) -> None:
    created = emulator.create_order_list(symbol="１２３４５６")
    result = await invoke(
        make_client(), "cancel_order_list", symbol="１２３４５６", order_list_id=created.order_list_id
    )
    assert result.symbol == "１２３４５６"
    assert emulator.requests()[0].query_string.startswith("symbol=%EF%BC%91%EF%BC%92")


@pytest.mark.parametrize("version", ["newer", "older"])
async def test_both_response_versions(make_client: MakeClient, emulator: EmulatorControl, version: str) -> None:
    emulator.set_response_version(version)  # type: ignore[arg-type]
    result = await invoke(make_client(), "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    quote_quantities = [report.orig_quote_order_qty for report in result.order_reports]
    if version == "newer":
        assert all(isinstance(quantity, str) and Decimal(quantity) == 0 for quantity in quote_quantities)
    else:
        assert quote_quantities == [UNSET, UNSET]


async def test_both_ids_must_belong_together(make_client: MakeClient, emulator: EmulatorControl) -> None:
    other = emulator.create_order_list(list_client_order_id="someone-else")
    with pytest.raises(UnknownOrderListError):
        await invoke(
            make_client(), "cancel_order_list", symbol="LTCBTC", order_list_id=0, list_client_order_id="someone-else"
        )
    result = await invoke(
        make_client(),
        "cancel_order_list",
        symbol="LTCBTC",
        order_list_id=other.order_list_id,
        list_client_order_id="someone-else",
    )
    assert result.order_list_id == other.order_list_id


async def test_microsecond_time_unit(make_client: MakeClient, emulator: EmulatorControl) -> None:
    result = await invoke(make_client(time_unit="MICROSECOND"), "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert len(str(result.transaction_time)) == 16
    assert len(str(result.order_reports[0].transact_time)) == 16
    assert re.search(r"timestamp=\d{16}&", emulator.requests()[0].query_string)


async def test_wrong_secret_is_invalid_signature(make_client: MakeClient, emulator: EmulatorControl) -> None:
    emulator.register_hmac_key("desk-key", "the-real-secret")
    client = make_client(api_key="desk-key")  # with the default key's signer: another secret
    with pytest.raises(InvalidSignatureError) as raised:
        await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raised.value.code == -1022
    assert emulator.order_list(0).list_order_status == "EXECUTING", "nothing was cancelled"


async def test_unknown_api_key_is_an_api_error(make_client: MakeClient, emulator: EmulatorControl) -> None:
    client = make_client(api_key="not-registered")
    with pytest.raises(BinanceAPIError) as raised:
        await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raised.value.status_code == 401


async def test_invalid_input_reaches_nothing(make_client: MakeClient, emulator: EmulatorControl) -> None:
    with pytest.raises(RequestValidationError, match="either order_list_id or list_client_order_id"):
        await invoke(make_client(), "cancel_order_list", symbol="LTCBTC")
    assert emulator.requests() == []


async def test_custom_orders_are_reported_exactly(make_client: MakeClient, emulator: EmulatorControl) -> None:
    orders = [
        OrderSpec(side="BUY", type="LIMIT", price="0.00012345", quantity="1234.5", client_order_id="buy-1"),
        OrderSpec(side="SELL", type="STOP_LOSS_LIMIT", price="0.0002", quantity="1234.5", stop_price="0.00021"),
    ]
    created = emulator.create_order_list(symbol="DOGEBTC", contingency_type="OTO", orders=orders)
    result = await invoke(make_client(), "cancel_order_list", symbol="DOGEBTC", order_list_id=created.order_list_id)
    first, second = result.order_reports
    assert (Decimal(first.price), Decimal(first.orig_qty), first.stop_price) == (
        Decimal("0.00012345"),
        Decimal("1234.5"),
        UNSET,
    )
    assert Decimal(second.stop_price) == Decimal("0.00021")


PEGGED = {"pegPriceType": "PRIMARY_PEG", "pegOffsetType": "PRICE_LEVEL", "pegOffsetValue": 5, "peggedPrice": "0.00019"}
EXPIRED = {"preventedMatchId": 7, "preventedQuantity": "1.200000", "expiryReason": "INSUFFICIENT_LIQUIDITY"}
SOR = {"usedSor": True, "workingFloor": "SOR", "icebergQty": "0.50000000", "strategyId": 9, "strategyType": 1000000}


async def test_conditional_fields_come_back_typed_for_the_orders_that_have_them(
    make_client: MakeClient, emulator: EmulatorControl
) -> None:
    orders = [
        OrderSpec(side="SELL", type="LIMIT", price="0.0002", quantity="1", conditional_fields=PEGGED | SOR),
        OrderSpec(
            side="SELL",
            type="STOP_LOSS",
            price="0.0001",
            quantity="1",
            stop_price="0.0001",
            conditional_fields=EXPIRED | {"trailingDelta": 10, "trailingTime": -1},
        ),
    ]
    created = emulator.create_order_list(orders=orders)
    result = await invoke(make_client(), "cancel_order_list", symbol="LTCBTC", order_list_id=created.order_list_id)
    first, second = result.order_reports
    assert (first.peg_price_type, first.peg_offset_type) == (PegPriceType.PRIMARY_PEG, PegOffsetType.PRICE_LEVEL)
    assert (first.peg_offset_value, first.pegged_price, first.iceberg_qty) == (5, "0.00019", "0.50000000")
    assert (first.used_sor, first.working_floor, first.strategy_id, first.strategy_type) == (
        True,
        WorkingFloor.SOR,
        9,
        1000000,
    )
    assert (first.expiry_reason, first.trailing_delta) == (UNSET, UNSET)
    assert (second.prevented_match_id, second.prevented_quantity) == (7, "1.200000")
    assert (second.expiry_reason, second.trailing_delta, second.trailing_time) == (
        ExpiryReason.INSUFFICIENT_LIQUIDITY,
        10,
        -1,
    )
    assert (second.used_sor, second.additional_properties) == (UNSET, {})
    assert emulator.order_list(created.order_list_id).order_list_id == created.order_list_id


SYMBOLS = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Lu", "Nd", "Lo"]).filter(lambda char: not char.islower()), st.sampled_from("-_.")
    ),
    min_size=1,
    max_size=20,
)
CLIENT_IDS = st.from_regex(r"[.A-Z:/a-z0-9_-]{1,36}", fullmatch=True)
RECV_WINDOWS = st.one_of(
    st.integers(min_value=1000, max_value=60000),  # shorter windows expire on the way: -1021, rightly
    st.decimals(min_value=Decimal("1000"), max_value=Decimal(60000), places=3),
    st.decimals(min_value=Decimal("1000"), max_value=Decimal(60000), places=3).map(str),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(symbol=SYMBOLS, list_client_order_id=CLIENT_IDS, new_client_order_id=CLIENT_IDS, recv_window=RECV_WINDOWS)
def test_every_valid_input_is_accepted_by_the_emulators_verifier(
    emulator: EmulatorControl,
    symbol: str,
    list_client_order_id: str,
    new_client_order_id: str,
    recv_window: int | Decimal | str,
) -> None:
    emulator.reset()  # hypothesis runs many examples inside one test, hence one fixture
    created = emulator.create_order_list(symbol=symbol, list_client_order_id=list_client_order_id)
    with SpotClient(
        api_key=DEFAULT_HMAC_API_KEY, signer=HmacSigner(DEFAULT_HMAC_SECRET_KEY), base_url=emulator.base_url
    ) as client:
        result = client.cancel_order_list(
            symbol=symbol,
            order_list_id=created.order_list_id,
            list_client_order_id=list_client_order_id,
            new_client_order_id=new_client_order_id,
            recv_window=recv_window,
        )
    assert (result.symbol, result.order_list_id) == (symbol, created.order_list_id)
    (logged,) = emulator.requests()
    assert logged.signature_valid


async def test_a_callers_own_httpx_client_works(mode: str, emulator: EmulatorControl) -> None:
    created = emulator.create_order_list(list_client_order_id="own:client/1")
    signer = HmacSigner(DEFAULT_HMAC_SECRET_KEY)
    if mode == "sync":
        with (
            httpx.Client() as http,
            SpotClient(
                api_key=DEFAULT_HMAC_API_KEY, signer=signer, base_url=emulator.base_url, http_client=http
            ) as client,
        ):
            result = client.cancel_order_list(symbol="LTCBTC", list_client_order_id="own:client/1")
    else:
        async with (
            httpx.AsyncClient() as http_async,
            AsyncSpotClient(
                api_key=DEFAULT_HMAC_API_KEY, signer=signer, base_url=emulator.base_url, http_client=http_async
            ) as client_async,
        ):
            result = await client_async.cancel_order_list(symbol="LTCBTC", list_client_order_id="own:client/1")
    assert result.order_list_id == created.order_list_id


def test_binance_auth_signs_the_generated_endpoint_functions(emulator: EmulatorControl) -> None:
    """BinanceAuth is an httpx.Auth: the low-level generated package works with it directly."""
    from binance_orderlist import BinanceAuth
    from binance_orderlist_api.api.trade import cancel_order_list
    from binance_orderlist_api.client import AuthenticatedClient
    from binance_orderlist_api.models import CancelOrderListResponse, ErrorResponse

    auth = BinanceAuth(DEFAULT_HMAC_API_KEY, HmacSigner(DEFAULT_HMAC_SECRET_KEY))
    low_level = AuthenticatedClient(base_url=emulator.base_url, token="unused").set_httpx_client(
        httpx.Client(base_url=emulator.base_url, auth=auth, timeout=10)
    )
    with low_level:
        first = cancel_order_list.sync_detailed(client=low_level, symbol="LTCBTC", order_list_id=0, timestamp=0)
        second = cancel_order_list.sync_detailed(client=low_level, symbol="LTCBTC", order_list_id=0, timestamp=0)
    assert isinstance(first.parsed, CancelOrderListResponse)
    assert isinstance(second.parsed, ErrorResponse)
    assert second.parsed.code == -2011
    assert all(logged.signature_valid for logged in emulator.requests())
    assert all(logged.query_string.count("timestamp=") == 1 for logged in emulator.requests())


@pytest.mark.parametrize("time_unit", ["microsecond", "MICROSECOND"])
async def test_both_documented_spellings_of_microseconds(
    make_client: MakeClient, emulator: EmulatorControl, time_unit: str
) -> None:
    result = await invoke(make_client(time_unit=time_unit), "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert len(str(result.transaction_time)) == 16


async def test_a_with_options_client_shares_the_connections_and_closing_it_keeps_them(
    make_client: MakeClient, emulator: EmulatorControl
) -> None:
    """The client owns its connections (no http_client); the copy borrows them."""
    client = make_client()
    second = emulator.create_order_list(symbol="LTCBTC")
    other = client.with_options(recv_window="6000.5", max_retries=0)
    await invoke(other, "cancel_order_list", symbol="LTCBTC", order_list_id=0)
    await invoke(other, "aclose" if isinstance(other, AsyncSpotClient) else "close")
    await invoke(client, "cancel_order_list", symbol="LTCBTC", order_list_id=second.order_list_id)
    first_query, second_query = (request.query_string for request in emulator.requests())
    assert "&recvWindow=6000.5&" in first_query
    assert "recvWindow" not in second_query


async def test_raw_response_of_a_real_cancel(make_client: MakeClient, emulator: EmulatorControl) -> None:
    client = make_client()
    raw = await invoke(client, "with_raw_response.cancel_order_list", symbol="LTCBTC", order_list_id=0)
    assert raw.status_code == 200
    assert raw.rate_limit_usage.used_weight == {"1m": int(raw.headers["X-MBX-USED-WEIGHT-1M"])}
    assert raw.parse().order_list_id == 0


async def test_every_operation_of_the_spec_is_a_method_that_works(make_client: MakeClient) -> None:
    """The general endpoints came with openapi.yaml alone: ``ping`` and ``get_server_time`` are generated too."""
    client = make_client()
    assert (await invoke(client, "ping")).to_dict() == {}
    assert (await invoke(client, "get_server_time")).server_time > 0
