"""SpotClient's own httpcore pool keeps httpx's default TLS: certificates verified against certifi, or against
``SSL_CERT_FILE`` when set (``httpx.create_ssl_context()``), and the CA bundle loaded only for an https ``base_url``.

A real TLS server on 127.0.0.1 with a certificate for ``localhost`` from a CA made here (trustme): unknown to
certifi, so a call is refused before anything is sent; trusted through ``SSL_CERT_FILE``, the same call succeeds.
"""

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest
import trustme
from binance_orderlist import CancelOrderListResponse, HmacSigner, SpotClient
from binance_orderlist._own_connections import ResponseHeaders
from binance_orderlist.errors import ConfigurationError, TransportError
from hypothesis import given
from hypothesis import strategies as st

from ..ports import refused_port
from ..reliability.hostile import SEED_BODY

CANCELS: list[str] = []


class _Exchange(BaseHTTPRequestHandler):
    def do_DELETE(self) -> None:
        CANCELS.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(SEED_BODY)))
        self.end_headers()
        self.wfile.write(SEED_BODY)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads ``CANCELS``."""


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The base URL of a TLS server whose certificate a CA made here issued, and that CA's certificate file."""
    authority, certificate_file = trustme.CA(), tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(certificate_file)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("localhost").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Exchange)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    CANCELS.clear()
    try:
        yield f"https://localhost:{server.server_address[1]}", certificate_file
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def cancel(base_url: str) -> CancelOrderListResponse:
    with SpotClient(api_key="tls-test-key", signer=HmacSigner("tls-test-secret"), base_url=base_url) as client:
        return client.cancel_order_list(symbol="LTCBTC", order_list_id=0)


def test_a_certificate_certifi_does_not_know_is_refused_before_anything_is_sent(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    base_url, _ = tls_server
    with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
        cancel(base_url)
    assert CANCELS == []


def test_ssl_cert_file_is_trusted_as_httpx_trusts_it(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base_url, certificate_file = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate_file))
    assert isinstance(cancel(base_url), CancelOrderListResponse)
    assert len(CANCELS) == 1


@pytest.mark.parametrize("contents", [None, b"", b"not a certificate"], ids=["missing", "empty", "garbage"])
def test_ca_certificates_that_do_not_load_are_a_configuration_error_and_nothing_is_sent(
    tls_server: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contents: bytes | None
) -> None:
    base_url, _ = tls_server
    certificate_file = tmp_path / "bundle.pem"
    if contents is not None:
        certificate_file.write_bytes(contents)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate_file))
    with pytest.raises(ConfigurationError, match=r"SSL_CERT_FILE=.*bundle\.pem.* cannot be loaded.*nothing was sent"):
        cancel(base_url)
    assert CANCELS == []


def contexts_made(base_urls: list[str], monkeypatch: pytest.MonkeyPatch) -> list[ssl.SSLContext]:
    """Every TLS context ``ssl.create_default_context`` made (the CA bundle is loaded into each) while a client tried
    a cancel at ``base_urls``, each of which refuses the connection."""
    made: list[ssl.SSLContext] = []
    create_default_context = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(create_default_context(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    refusing = [f"{base_url}:{refused_port()}" for base_url in base_urls]
    with SpotClient(api_key="k", signer=HmacSigner("s"), base_url=refusing, max_retries=0) as client:
        assert made == [], "no pool before the first call"
        with pytest.raises(TransportError):
            client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    return made


@pytest.mark.parametrize(
    ("base_urls", "loads"),
    [(["http://127.0.0.1"], 0), (["https://127.0.0.1"], 1), (["https://127.0.0.1", "https://localhost"], 2)],
)
def test_the_ca_bundle_is_loaded_only_for_an_https_base_url(
    base_urls: list[str], loads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded when a base URL's pool is opened, on the first call there: with several (failover), once for each
    the call went to."""
    assert len(contexts_made(base_urls, monkeypatch)) == loads


def settings(context: ssl.SSLContext) -> tuple[object, ...]:
    return (
        sorted(map(repr, context.get_ca_certs())),
        context.verify_mode,
        context.verify_flags,
        context.check_hostname,
        context.options,
        context.minimum_version,
        context.maximum_version,
        context.protocol,
    )


@pytest.mark.parametrize("variable", [None, "SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_the_tls_context_is_the_one_httpx_makes(
    variable: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same CA certificates and settings as ``httpx.create_ssl_context()`` (which the client's own connections
    do not import httpx for), with certifi's bundle, ``SSL_CERT_FILE`` or ``SSL_CERT_DIR``."""
    certificate_file = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(certificate_file)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    if variable is not None:
        monkeypatch.setenv(variable, str(certificate_file if variable == "SSL_CERT_FILE" else tmp_path))
    (ours,) = contexts_made(["https://127.0.0.1"], monkeypatch)
    assert settings(ours) == settings(httpx.create_ssl_context())
    certifi_bundle = Path(certifi.where()).read_text().count("-----BEGIN CERTIFICATE-----")
    expected = {None: certifi_bundle, "SSL_CERT_FILE": 1, "SSL_CERT_DIR": 0}  # a directory is read when needed
    assert len(ours.get_ca_certs()) == expected[variable]


# What h11 lets through: names are tokens; values visible ASCII, spaces and obs-text (bytes 0x80-0xFF).
HEADER_NAMES = st.from_regex(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,8}", fullmatch=True)
HEADER_VALUES = st.from_regex(rb"[\x21-\x7e\x80-\xff]([\x20-\x7e\x80-\xff]{0,6}[\x21-\x7e\x80-\xff])?", fullmatch=True)
RAW_HEADERS = st.lists(
    st.tuples(
        st.sampled_from([b"X-MBX-USED-WEIGHT-1M", b"x-mbx-used-weight-1m", b"Retry-After", b"Date"]) | HEADER_NAMES,
        st.sampled_from([b"1", b"caf\xc3\xa9", b"\xe9t\xe9"]) | HEADER_VALUES,
    ),
    max_size=6,
)


@given(RAW_HEADERS)
def test_response_headers_read_as_httpx_headers_read_them(raw: list[tuple[bytes, bytes]]) -> None:
    """What the client's own connections read a response's headers into, without httpx: the same names and values."""
    ours, httpx_headers = ResponseHeaders(raw), httpx.Headers(raw)
    assert dict(ours) == dict(httpx_headers)
    for name in {name.decode("latin-1") for name, _ in raw}:
        for spelling in (name, name.upper(), name.lower()):
            assert ours.get(spelling) == httpx_headers.get(spelling)
