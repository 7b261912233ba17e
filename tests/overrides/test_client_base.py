"""What both clients share before any I/O (``_client_base``): the checks of the base URLs and options made at
construction and by ``with_options``. The requests they shape are tested in test_client.py and test_facade.py."""

import string
from typing import Any

import pytest
from binance_orderlist import HmacSigner, SpotClient
from binance_orderlist.errors import ClientClosedError, ConfigurationError
from hypothesis import given
from hypothesis import strategies as st

from .conftest import SECRET, Recorder, ok, sync_client

hosts = st.lists(st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=10), min_size=1).map(
    ".".join
)
paths = st.lists(st.text(alphabet=string.ascii_letters + "-_", min_size=1, max_size=8), max_size=3).map(
    lambda parts: "".join(f"/{part}" for part in parts)
)
passwords = st.text(alphabet=string.ascii_letters + string.digits + "!$&'()*+,;=", min_size=8, max_size=20)


def spot(**options: Any) -> SpotClient:
    return SpotClient(**{"api_key": "k", "signer": HmacSigner(SECRET), **options})


@pytest.mark.parametrize(
    "options",
    [
        {"api_key": ""},
        {"api_key": "key with\nnewline"},
        {"signer": "secret"},
        {"base_url": "api.binance.com"},
        {"max_retries": -1},
        {"time_unit": "SECOND"},
        {"recv_window": 70000},
        {"max_retry_after": -1},
        {"timeout": 0},
        {"timeout": "10"},
        {"timeout": True},
        {"timeout": float("inf")},
        {"timeout": float("nan")},
        {"timeout": 1e300},
        {"max_retry_after": float("inf")},
        {"max_retry_after": float("nan")},
        {"max_retries": True},
        {"max_response_bytes": 0},
        {"max_response_bytes": True},
    ],
)
def test_bad_configuration_is_rejected_at_construction(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"."):
        spot(**options)


@given(scheme=st.sampled_from(["http", "https"]), host=hosts, port=st.none() | st.integers(0, 65535), path=paths)
def test_a_base_url_is_kept_as_given_without_its_trailing_slashes(
    scheme: str, host: str, port: int | None, path: str
) -> None:
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}"
    with spot(base_url=url + "/") as client:
        assert client.base_urls == (url,)
    with spot(base_url=[url, url + "/other"]) as client:
        assert client.base_urls == (url, url + "/other"), "in the order given"


@pytest.mark.parametrize("listed", [False, True])
@given(user=st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8), password=passwords)
def test_a_base_url_with_credentials_is_refused_without_repeating_them(listed: bool, user: str, password: str) -> None:
    """The message is the same whatever the credentials: nothing of them is repeated."""
    messages = []
    for credentials in (f"{user}:{password}", "u:p"):
        url = f"https://{credentials}@api.binance.com"
        with pytest.raises(ConfigurationError, match="must not carry credentials") as raised:
            spot(base_url=[url] if listed else url)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ([], "non-empty sequence"),
        (b"https://api.binance.com", "non-empty sequence"),
        (["https://api.binance.com", 3], r"base_url\[1\] must be a str"),
        (["https://api.binance.com", "ftp://api1.binance.com"], r"base_url\[1\] 'ftp://api1.binance.com' must start"),
        (["https://api.binance.com", "https://api.binance.com/"], r"base_url\[1\] 'https://api.binance.com' is listed"),
        ("https://user:hunter2@api.binance.com", "base_url must not carry credentials"),
        (["https://user:hunter2@api.binance.com"], r"base_url\[0\] must not carry credentials"),
        ("https://api.binance.com:99999", "is not a valid URL"),
        ("https://api.binance.com/?symbol=LTCBTC", "must not carry a query or fragment"),
        ("https://api.binance.com/#top", "must not carry a query or fragment"),
        ("https://api.binance.com\n", "without spaces or control characters"),
        ("https://", "name a host"),
    ],
)
def test_every_base_url_is_checked_and_the_bad_one_named(base_url: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as raised:
        spot(base_url=base_url)
    assert "hunter2" not in str(raised.value)


def test_without_a_base_url_a_client_sends_to_binance_s_own() -> None:
    with spot() as client:
        assert client.base_urls == ("https://api.binance.com",)


def test_with_options_checks_the_base_urls_too() -> None:
    with spot() as client, pytest.raises(ConfigurationError, match=r"base_url\[0\]"):
        client.with_options(base_url=["not a url"])


def test_with_options_changes_the_child_s_base_urls_and_not_its_parent_s() -> None:
    with spot(base_url=["https://api1.binance.com", "https://api2.binance.com"]) as client:
        child = client.with_options(base_url="https://api3.binance.com")
        assert (client.base_urls, child.base_urls) == (
            ("https://api1.binance.com", "https://api2.binance.com"),
            ("https://api3.binance.com",),
        )
        assert client.with_options(max_retries=0).base_urls == client.base_urls


def test_closing_a_child_leaves_its_parent_open_and_closing_the_parent_closes_every_child() -> None:
    recorder = Recorder(ok())
    client = sync_client(recorder)
    child = client.with_options(max_retries=0)
    grandchild = child.with_options(timeout=3.0)
    child.close()
    for closed in (child, grandchild):
        with pytest.raises(ClientClosedError):
            closed.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    sibling = client.with_options(max_retries=1)
    client.close()
    with pytest.raises(ClientClosedError):
        sibling.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    assert len(recorder.requests) == 1, "only the open parent's call was sent"


@pytest.mark.parametrize("timeout", [float("inf"), float("nan"), "httpx-inf"])
def test_a_timeout_no_clock_can_wait_is_refused_per_call_and_as_an_httpx_timeout(timeout: object) -> None:
    """Before this check, an infinite timeout was accepted and every sync call raised a bare OverflowError."""
    import httpx

    if timeout == "httpx-inf":
        timeout = httpx.Timeout(10.0, read=float("inf"))
    with pytest.raises(ConfigurationError, match="timeout must be a number of seconds"):
        spot(timeout=timeout)
    with spot() as client, pytest.raises(ConfigurationError, match="timeout must be a number of seconds"):
        client.cancel_order_list(symbol="LTCBTC", order_list_id=1, timeout=timeout)  # type: ignore[arg-type]
