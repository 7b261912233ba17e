"""SpotClient's own httpcore pool keeps httpx's default TLS: certificates verified against certifi, or against
``SSL_CERT_FILE`` when set (``httpx.create_ssl_context()``), and the CA bundle loaded only for an https ``base_url``.

A real TLS server on 127.0.0.1 with a certificate made here for ``localhost``: unknown to certifi, so a call is
refused before anything is sent; trusted through ``SSL_CERT_FILE``, the same call succeeds.
"""

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from binance_orderlist import CancelOrderListResponse, HmacSigner, SpotClient
from binance_orderlist._own_connections import ResponseHeaders
from binance_orderlist.errors import TransportError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
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


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = directory / "cert.pem", directory / "key.pem"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return certificate_file, key_file


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The base URL of a TLS server with a self-signed certificate, and that certificate's file."""
    certificate_file, key_file = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate_file, key_file)
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


@pytest.mark.parametrize(
    ("base_urls", "loads"),
    [(["http://127.0.0.1"], 0), (["https://127.0.0.1"], 1), (["https://127.0.0.1", "https://localhost"], 2)],
)
def test_the_ca_bundle_is_loaded_only_for_an_https_base_url(
    base_urls: list[str], loads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded when a base URL's pool is opened, on the first call there: with several (failover), once for each
    the call went to (here every one refuses the connection)."""
    made: list[ssl.SSLContext] = []
    create_ssl_context = httpx.create_ssl_context

    def counted() -> ssl.SSLContext:
        made.append(create_ssl_context())
        return made[-1]

    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    refusing = [f"{base_url}:{refused_port()}" for base_url in base_urls]
    with SpotClient(api_key="k", signer=HmacSigner("s"), base_url=refusing, max_retries=0) as client:
        assert made == [], "no pool before the first call"
        with pytest.raises(TransportError):
            client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    assert len(made) == loads


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
