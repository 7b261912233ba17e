"""A program written against the installed package only, as a user of the internal index would write it.

Each ``assert_type`` pins the exact static type of a response field or error attribute. The index
end-to-end test installs the package into a fresh virtualenv and runs ``mypy --strict`` and
``pyright`` (strict) on this file there, then on a copy whose ``assert_type`` calls became
``reveal_type``, comparing what the checkers reveal with the pinned types (none may be ``Any``).
It then runs the file against the emulator: ``python consumer.py BASE_URL API_KEY SECRET SYMBOL
ORDER_LIST_ID`` cancels that list with ``SpotClient``, then again with ``AsyncSpotClient``, then
makes sure of it with ``ensure_order_list_cancelled`` and queries the open lists, and prints one line
per outcome. It imports every public name but those that need the aiohttp extra; the test checks that against
``__all__``.
"""

import asyncio
import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import assert_type

from binance_orderlist import (
    BINANCE_BASE_URLS,
    DEFAULT_BASE_URL,
    UNSET,
    AsyncSpotClient,
    BinanceAuth,
    CancelConfirmation,
    CancelOrderListResponse,
    CancelOrderReport,
    CancelState,
    ContingencyType,
    Ed25519Signer,
    ExpiryReason,
    HmacSigner,
    ListOrderStatus,
    ListStatusType,
    OpenOrderLists,
    OrderList,
    OrderListOrder,
    OrderSide,
    OrderStatus,
    OrderType,
    PegOffsetType,
    PegPriceType,
    PingResponse,
    RateLimitUsage,
    RawResponse,
    RsaSigner,
    SelfTradePreventionMode,
    ServerTimeResponse,
    Signer,
    SpotClient,
    TimeInForce,
    TimeUnit,
    Unset,
    WorkingFloor,
    __version__,
)
from binance_orderlist.errors import (
    BinanceAPIError,
    BinanceError,
    ClientClosedError,
    ClientUnusableError,
    ConfigurationError,
    InvalidSignatureError,
    IPBanError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    ResponseTooLargeError,
    TimestampError,
    TransportError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)


def signer_for(kind: str, secret_or_pem: str, password: str | None = None) -> Signer:
    """Every key type a user may hold."""
    if kind == "ed25519":
        return Ed25519Signer(secret_or_pem, password=password)
    if kind == "rsa":
        return RsaSigner(secret_or_pem.encode(), password=password)
    return HmacSigner(secret_or_pem)


def signing_for_httpx(api_key: str, signer: Signer) -> BinanceAuth:
    """The same signing as an ``httpx.Auth``, for users of the generated low-level functions."""
    auth = BinanceAuth(api_key, signer)
    assert_type(auth.signed_query("symbol=LTCBTC", microseconds=False), str)
    return auth


def report_line(report: CancelOrderReport) -> str:
    assert_type(report.order_id, int)
    assert_type(report.order_list_id, int)
    assert_type(report.symbol, str)
    assert_type(report.orig_client_order_id, str)
    assert_type(report.client_order_id, str)
    assert_type(report.transact_time, int)
    assert_type(report.price, str)
    assert_type(report.orig_qty, str)
    assert_type(report.executed_qty, str)
    assert_type(report.cummulative_quote_qty, str)
    assert_type(report.orig_quote_order_qty, str | Unset)
    assert_type(report.stop_price, str | Unset)
    assert_type(report.status, OrderStatus)
    assert_type(report.time_in_force, TimeInForce)
    assert_type(report.type_, OrderType)
    assert_type(report.side, OrderSide)
    assert_type(report.self_trade_prevention_mode, SelfTradePreventionMode)
    assert_type(report.iceberg_qty, str | Unset)  # the conditional fields, present when they apply
    assert_type(report.prevented_match_id, int | Unset)
    assert_type(report.used_sor, bool | Unset)
    assert_type(report.working_floor, WorkingFloor | Unset)
    assert_type(report.peg_price_type, PegPriceType | Unset)
    assert_type(report.peg_offset_type, PegOffsetType | Unset)
    assert_type(report.pegged_price, str | Unset)
    assert_type(report.expiry_reason, ExpiryReason | Unset)
    price = Decimal(report.price)  # exact: Binance sends decimals as strings
    stop = "-" if isinstance(report.stop_price, Unset) else str(Decimal(report.stop_price))
    newer_document = report.orig_quote_order_qty is not UNSET
    canceled = report.status is OrderStatus.CANCELED
    buying = report.side is OrderSide.BUY
    limit_maker = report.type_ is OrderType.LIMIT_MAKER
    gtc = report.time_in_force is TimeInForce.GTC
    no_stp = report.self_trade_prevention_mode is SelfTradePreventionMode.NONE
    return f"{report.order_id}:{price}:{stop}:{newer_document}:{canceled}:{buying}:{limit_maker}:{gtc}:{no_stp}"


def describe(response: CancelOrderListResponse, usage: RateLimitUsage) -> str:
    assert_type(response, CancelOrderListResponse)
    assert_type(response.order_list_id, int)
    assert_type(response.contingency_type, ContingencyType)
    assert_type(response.list_status_type, ListStatusType)
    assert_type(response.list_order_status, ListOrderStatus)
    assert_type(response.list_client_order_id, str)
    assert_type(response.transaction_time, int)
    assert_type(response.symbol, str)
    assert_type(response.orders, list[OrderListOrder])
    assert_type(response.order_reports, list[CancelOrderReport])
    assert_type(usage.used_weight, Mapping[str, int])
    assert_type(usage.order_count, Mapping[str, int])
    orders: list[OrderListOrder] = response.orders
    order: OrderListOrder
    for order in orders:
        assert_type(order.order_id, int)
        assert_type(order.client_order_id, str)
        assert_type(order.symbol, str)
    oco = response.contingency_type is ContingencyType.OCO and response.contingency_type.is_known
    done = response.list_status_type is ListStatusType.ALL_DONE
    all_done = response.list_order_status is ListOrderStatus.ALL_DONE
    reports = ",".join(report_line(report) for report in response.order_reports)
    return (
        f"cancelled={response.order_list_id} symbol={response.symbol} oco={oco} done={done} all_done={all_done} "
        f"orders={len(orders)} reports={reports} weight={usage.used_weight.get('1m')}"
    )


def explain(error: BinanceError) -> str:
    """What a caller does about each error; every attribute the errors carry."""
    if isinstance(error, RequestValidationError):
        assert_type(error.parameter, str)
        assert_type(error.rule, str)
        return f"fix {error.parameter}"
    if isinstance(error, ConfigurationError | TransportError):
        return "fix the set-up" if isinstance(error, ConfigurationError) else "send again"
    if isinstance(error, ClientUnusableError):
        assert isinstance(error, RuntimeError), "also a RuntimeError, like httpx's closed client"
        return "make a new client" if isinstance(error, ClientClosedError) else "make the client where it is used"
    if isinstance(error, RateLimitError | IPBanError):
        assert_type(error.retry_after, float | None)
        return f"wait {error.retry_after}"
    if isinstance(error, TimestampError | InvalidSignatureError):
        return "sync the clock or check the key"
    if isinstance(error, BinanceAPIError):
        known = isinstance(error, UnknownOrderListError)
        assert_type(error.status_code, int)
        assert_type(error.code, int | None)
        assert_type(error.msg, str | None)
        assert_type(error.headers, Mapping[str, str])
        assert_type(error.body, bytes)
        rejection = f"rejected={type(error).__name__} unknown_list={known}"
        return f"{rejection} status={error.status_code} code={error.code} msg={error.msg}"
    if isinstance(error, ResponseTooLargeError):
        return f"the cancel executed; its {len(error.body)}-byte start was all that was read"
    if isinstance(error, UnknownExecutionStatusError | ResponseDecodeError):
        return f"query the order list (HTTP {error.status_code}, {len(error.body)} bytes)"
    return str(error)


def cancel_sync(base_url: str, api_key: str, secret: str, symbol: str, order_list_id: int) -> str:
    with SpotClient(
        api_key=api_key,
        signer=signer_for("hmac", secret),
        base_url=base_url,
        recv_window=Decimal("6000.5"),
        time_unit=TimeUnit.MILLISECOND,
        timeout=10.0,
        max_retries=1,
        max_retry_after=1.0,
        max_response_bytes=1 << 20,
        http_client=None,
    ) as client:
        patient = client.with_options(max_retries=0, timeout=20.0)
        response = patient.cancel_order_list(
            symbol=symbol, order_list_id=order_list_id, new_client_order_id="c-1", timeout=15.0, max_retries=1
        )
        return describe(response, patient.rate_limit_usage)


async def cancel_async(base_url: str, api_key: str, secret: str, symbol: str, order_list_id: int) -> str:
    async with AsyncSpotClient(api_key=api_key, signer=HmacSigner(secret), base_url=base_url) as client:
        offset: float = await client.sync_time()
        assert_type(await client.ping(), PingResponse)
        assert_type((await client.get_server_time()).server_time, int)
        assert_type(await client.get_server_time(), ServerTimeResponse)
        try:
            raw = await client.with_raw_response.cancel_order_list(
                symbol=symbol, order_list_id=order_list_id, recv_window=5000
            )
        except BinanceError as error:
            return f"{explain(error)} synced={isinstance(offset, float)}"
        assert_type(raw, RawResponse[CancelOrderListResponse])
        assert_type(raw.status_code, int)
        assert_type(raw.base_url, str)
        return describe(raw.parse(), raw.rate_limit_usage)


def confirmation_line(confirmation: CancelConfirmation, open_lists: OpenOrderLists) -> str:
    assert_type(confirmation.state, CancelState)
    assert_type(confirmation.report, CancelOrderListResponse | None)
    assert_type(confirmation.order_list, OrderList | None)
    listed: list[OrderList] = open_lists
    closed = "-" if confirmation.order_list is None else str(confirmation.order_list.list_order_status)
    not_open = confirmation.state is CancelState.NOT_OPEN
    return f"confirmed={confirmation.state} not_open={not_open} closed={closed} open_lists={len(listed)}"


async def confirm_async(base_url: str, api_key: str, secret: str, symbol: str, order_list_id: int) -> str:
    # In an outage: BINANCE_BASE_URLS after the given server, tried in order when one cannot be reached.
    base_urls = [base_url, *BINANCE_BASE_URLS]
    async with AsyncSpotClient(api_key=api_key, signer=HmacSigner(secret), base_url=base_urls) as client:
        assert_type(client.base_urls, tuple[str, ...])
        confirmation = await client.ensure_order_list_cancelled(symbol=symbol, order_list_id=order_list_id)
        return confirmation_line(confirmation, await client.query_open_order_lists())


def main(argv: list[str]) -> int:
    base_url, api_key, secret, symbol, order_list_id = argv
    print(f"version={__version__} default_base_url={DEFAULT_BASE_URL}")
    print(cancel_sync(base_url, api_key, secret, symbol, int(order_list_id)))
    print(asyncio.run(cancel_async(base_url, api_key, secret, symbol, int(order_list_id))))
    print(asyncio.run(confirm_async(base_url, api_key, secret, symbol, int(order_list_id))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
