"""The emulator package exports exactly its public names (ruff's RUF022 keeps ``__all__`` sorted)."""

import binance_orderlist_emulator

PUBLIC = [
    "DEFAULT_HMAC_API_KEY",
    "DEFAULT_HMAC_SECRET_KEY",
    "CreatedOrderList",
    "Credentials",
    "EmulatorConfig",
    "EmulatorControl",
    "EmulatorControlError",
    "EmulatorProcess",
    "FaultKind",
    "LoggedRequest",
    "OrderListState",
    "OrderSpec",
    "OrderState",
    "ResponseVersion",
    "create_app",
]


def test_the_exported_names() -> None:
    assert binance_orderlist_emulator.__all__ == PUBLIC
    assert all(hasattr(binance_orderlist_emulator, name) for name in PUBLIC)


def test_the_fault_kinds() -> None:
    assert [kind.value for kind in binance_orderlist_emulator.FaultKind] == [
        "server_error_json",
        "server_error_html",
        "server_error_empty",
        "backend_timeout",
        "waf_forbidden",
        "rate_limited",
        "ip_banned",
        "malformed_json",
        "truncated_json",
        "slow_response",
        "dropped_connection",
        "unknown_enum_values",
        "extra_fields",
        "missing_field",
    ]
