"""``_urls.plain_url`` splits a base URL of the usual shape without httpx: every URL it accepts, httpx accepts and
splits into the same parts (the client's own connections send to those parts), and it declines the rest."""

import httpx
import pytest
from binance_orderlist._urls import plain_url
from hypothesis import example, given
from hypothesis import strategies as st

LABELS = st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)
HOSTS = st.one_of(
    st.lists(LABELS, min_size=1, max_size=4).map(".".join),
    st.lists(st.integers(0, 300).map(str), min_size=4, max_size=4).map(".".join),
    st.from_regex(r"[0-9.a-zA-Z_-]{1,20}", fullmatch=True),
)
PORTS = st.one_of(
    st.just(""), st.integers(0, 70000).map(lambda port: f":{port}"), st.sampled_from([":", ":080", ":80"])
)
PATHS = st.from_regex(r"(/[A-Za-z0-9._~%-]{0,8}){0,3}/?", fullmatch=True)
SCHEMES = st.sampled_from(["http", "https", "HTTP", "ftp"])


@given(SCHEMES, HOSTS, PORTS, PATHS)
@example("http", "127.0.0.1", ":8080", "")
@example("https", "api.binance.com", "", "")
@example("https", "api.binance.com", ":443", "/")
@example("http", "1a2b", ":65535", "/api/v3")
@example("http", "10.0.0.1", "", "/.")  # httpx removes dot segments: "/"
@example("http", "host", "", "/a/../b/..")
@example("http", "host", "", "/.a/.../b.")
def test_every_url_it_splits_httpx_splits_the_same(scheme: str, host: str, port: str, path: str) -> None:
    url = f"{scheme}://{host}{port}{path}"
    plain = plain_url(url)
    if plain is None:
        return
    parsed = httpx.URL(url)  # raises if plain_url accepted a URL httpx refuses
    assert (plain.scheme, plain.host, plain.port) == (parsed.scheme, parsed.host, parsed.port)
    assert (plain.path.encode(), plain.netloc.encode()) == (parsed.raw_path, parsed.netloc)


@pytest.mark.parametrize(
    ("url", "splits"),
    [
        ("https://api.binance.com", True),
        ("http://127.0.0.1:8080/prefix", True),
        ("http://localhost:80", True),
        ("HTTPS://api.binance.com", False),
        ("https://API.binance.com", False),
        ("http://1.2.3.400", False),  # IPv4-style but not an address: httpx refuses it
        ("http://[::1]:8080", False),
        ("https://bücher.example", False),
        ("http://host:080", False),
        ("http://host:70000", False),
        ("http://host/a%20b", False),
        ("http://user@host", False),
        ("http://host/.", False),
        ("http://host/a/../b", False),
        ("http://host/a/./b", False),
        ("http://host/.well-known/...", True),
    ],
)
def test_only_the_usual_shape_is_split_without_httpx(url: str, splits: bool) -> None:
    assert (plain_url(url) is not None) is splits
