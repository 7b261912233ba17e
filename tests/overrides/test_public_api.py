"""The public surface is exactly the intended names: users and other code depend on them."""

import subprocess
import sys

import binance_orderlist
from binance_orderlist import errors

CONTRACT = {
    "SpotClient",
    "AsyncSpotClient",
    "HmacSigner",
    "Ed25519Signer",
    "RsaSigner",
    "CancelState",
    "CancelConfirmation",
    "BINANCE_BASE_URLS",
}
MODELS = {
    "CancelOrderListResponse",
    "CancelOrderReport",
    "OrderList",
    "OpenOrderLists",
    "OrderListOrder",
    "ContingencyType",
    "ListOrderStatus",
    "ListStatusType",
    "OrderSide",
    "OrderStatus",
    "OrderType",
    "SelfTradePreventionMode",
    "TimeInForce",
    "PingResponse",  # what get_server_time() and ping() return, and the time_unit option's enum
    "ServerTimeResponse",
    "TimeUnit",
    "WorkingFloor",  # enums of the order reports' conditional fields
    "PegPriceType",
    "PegOffsetType",
    "ExpiryReason",
}
EXTRAS = {"BinanceAuth", "DEFAULT_BASE_URL", "RateLimitUsage", "RawResponse", "Signer", "UNSET", "Unset", "__version__"}
AIOHTTP_EXTRA = {"no_hidden_resend"}
"""Imported only when asked for: it needs the aiohttp extra."""
ERRORS_CONTRACT = {
    "BinanceError",
    "RequestValidationError",
    "BinanceAPIError",
    "RateLimitError",
    "IPBanError",
    "UnknownExecutionStatusError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "TransportError",
}


def test_package_exports_exactly_the_intended_names() -> None:
    assert set(binance_orderlist.__all__) == CONTRACT | MODELS | EXTRAS | AIOHTTP_EXTRA
    assert all(hasattr(binance_orderlist, name) for name in binance_orderlist.__all__)


def test_error_names_of_the_contract() -> None:
    per_code = {"ConfigurationError", "InvalidSignatureError", "TimestampError", "UnknownOrderListError"}
    lifecycle = {"ClientClosedError", "ClientUnusableError"}
    assert set(errors.__all__) == ERRORS_CONTRACT | per_code | lifecycle


def test_every_error_class_openapi_yaml_names_is_an_api_error_of_the_errors_module() -> None:
    from binance_orderlist._responses import ERRORS_BY_CODE
    from binance_orderlist_api.operations import API_ERRORS

    named = {code: error.error_class for code, error in API_ERRORS.items() if error.error_class}
    assert named == {code: error_class.__name__ for code, error_class in ERRORS_BY_CODE.items()}
    assert named[-2011] == named[-2013] == "UnknownOrderListError"
    assert all(issubclass(error_class, errors.BinanceAPIError) for error_class in ERRORS_BY_CODE.values())
    assert all(name in errors.__all__ for name in named.values())


def test_error_hierarchy() -> None:
    assert issubclass(errors.RequestValidationError, ValueError)
    assert issubclass(errors.RateLimitError, errors.BinanceAPIError)
    assert issubclass(errors.IPBanError, errors.BinanceAPIError)
    for error in (
        errors.BinanceAPIError,
        errors.UnknownExecutionStatusError,
        errors.ResponseDecodeError,
        errors.TransportError,
    ):
        assert issubclass(error, errors.BinanceError)
    assert not issubclass(errors.UnknownExecutionStatusError, errors.BinanceAPIError), (
        "an unknown outcome is not a rejection"
    )
    assert issubclass(errors.ClientClosedError, errors.ClientUnusableError)
    assert issubclass(errors.ClientUnusableError, errors.BinanceError)
    assert issubclass(errors.ClientUnusableError, RuntimeError), "like httpx's own"


def modules_after(probe: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``probe``."""
    listing = subprocess.run(
        [sys.executable, "-c", f"{probe}\nimport sys; print(*sys.modules)"], capture_output=True, text=True, check=True
    )
    return {name.partition(".")[0] for name in listing.stdout.split()}


NOT_IMPORTED_WITH_THE_PACKAGE = {"httpx", "httpcore", "h11", "ssl", "asyncio", "cryptography", "aiohttp", "email"}
"""What ``import binance_orderlist`` leaves for the first client, call or error that needs it (import time)."""


def test_importing_the_package_imports_no_transport_tls_or_event_loop() -> None:
    assert not modules_after("import binance_orderlist") & NOT_IMPORTED_WITH_THE_PACKAGE
    assert not modules_after("from binance_orderlist.errors import BinanceError") & NOT_IMPORTED_WITH_THE_PACKAGE
    assert not modules_after("import binance_orderlist_api.public") & NOT_IMPORTED_WITH_THE_PACKAGE


def test_the_names_that_need_httpx_import_it_when_asked_for() -> None:
    """The lazily imported names are the real ones (and the probe sees what they import)."""
    for probe in (
        "from binance_orderlist import BinanceAuth; import httpx; assert issubclass(BinanceAuth, httpx.Auth)",
        "from binance_orderlist_api import Client, AuthenticatedClient; import httpx; assert Client.__module__ == "
        "AuthenticatedClient.__module__ == 'binance_orderlist_api.client'",
    ):
        assert "httpx" in modules_after(probe)


def test_the_aiohttp_middleware_is_imported_only_when_asked_for() -> None:
    """``import binance_orderlist`` must not import aiohttp (import time; the extra may be absent)."""
    probe = "import sys, binance_orderlist; assert 'aiohttp' not in sys.modules; binance_orderlist.no_hidden_resend"
    probe += "; assert 'aiohttp' in sys.modules"
    subprocess.run([sys.executable, "-c", probe], check=True)
