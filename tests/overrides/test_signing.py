"""Signers against published vectors, and the auth hook against the exact bytes httpx sends."""

import base64
import hashlib
import hmac
from urllib.parse import unquote

import httpx
import pytest
from binance_orderlist import BinanceAuth, Ed25519Signer, HmacSigner, RsaSigner
from binance_orderlist._clock import ServerClock
from binance_orderlist._signing import signer_from_private_key
from binance_orderlist.errors import ConfigurationError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import given
from hypothesis import strategies as st

from .keys import RFC8032_VECTORS, ed25519_key, ed25519_key_from_hex, pem_of, rsa_key

BINANCE_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
BINANCE_HMAC_VECTORS = [
    (
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
    ),
    (
        "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC"
        "&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3",
    ),
]


@pytest.mark.parametrize(("payload", "signature"), BINANCE_HMAC_VECTORS)
def test_hmac_matches_binances_published_vectors(payload: str, signature: str) -> None:
    assert HmacSigner(BINANCE_SECRET).sign(payload.encode()) == signature


@pytest.mark.parametrize(("secret_hex", "message_hex", "signature_hex"), RFC8032_VECTORS)
def test_ed25519_matches_rfc8032_vectors(secret_hex: str, message_hex: str, signature_hex: str) -> None:
    signer = Ed25519Signer(pem_of(ed25519_key_from_hex(secret_hex)))
    assert base64.b64decode(signer.sign(bytes.fromhex(message_hex))).hex() == signature_hex


def test_rsa_signature_verifies_with_the_public_key() -> None:
    payload = b"symbol=LTCBTC&orderListId=0&timestamp=1499827319559"
    signature = base64.b64decode(RsaSigner(pem_of(rsa_key())).sign(payload))
    rsa_key().public_key().verify(signature, payload, padding.PKCS1v15(), hashes.SHA256())


def test_encrypted_keys_need_their_password() -> None:
    pem = pem_of(ed25519_key(), password=b"correct horse")
    Ed25519Signer(pem, password="correct horse")
    with pytest.raises(ConfigurationError, match="could not be loaded") as raised:
        Ed25519Signer(pem, password="wrong")
    assert "correct horse" not in str(raised.value)


def test_key_of_the_wrong_type_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="needs an Ed25519 private key"):
        Ed25519Signer(pem_of(rsa_key()))
    with pytest.raises(ConfigurationError, match="needs an RSA private key"):
        RsaSigner(pem_of(ed25519_key()))
    with pytest.raises(ConfigurationError):
        HmacSigner("")


def test_signer_from_private_key_picks_the_type() -> None:
    assert isinstance(signer_from_private_key(pem_of(ed25519_key())), Ed25519Signer)
    assert isinstance(signer_from_private_key(pem_of(rsa_key()).decode()), RsaSigner)


def test_reprs_redact_key_material() -> None:
    pem = pem_of(ed25519_key())
    for signer in (HmacSigner(BINANCE_SECRET), Ed25519Signer(pem), RsaSigner(pem_of(rsa_key()))):
        text = repr(signer) + str(signer) + repr(BinanceAuth("key", signer, ServerClock()))
        assert "redacted" in text
        assert BINANCE_SECRET not in text
        assert "PRIVATE KEY" not in text


def signed_request(
    params: dict[str, str], signer: HmacSigner | Ed25519Signer | RsaSigner, **headers: str
) -> httpx.Request:
    request = httpx.Request("DELETE", "https://api.binance.com/api/v3/orderList", params=params, headers=headers)
    flow = BinanceAuth("my-api-key", signer, ServerClock()).auth_flow(request)
    return next(flow)


def split_signature(request: httpx.Request) -> tuple[bytes, str]:
    payload, _, signature = request.url.query.rpartition(b"&signature=")
    return payload, unquote(signature.decode())


ID_CHARACTERS = st.text(alphabet="ABCXYZabcxyz0189._-:/", min_size=1, max_size=36)


@given(symbol=st.text(min_size=1, max_size=12).filter(str.isprintable), client_id=ID_CHARACTERS)
def test_hmac_signature_covers_exactly_the_bytes_on_the_wire(symbol: str, client_id: str) -> None:
    request = signed_request({"symbol": symbol, "listClientOrderId": client_id}, HmacSigner(BINANCE_SECRET))
    payload, signature = split_signature(request)
    expected = hmac.new(BINANCE_SECRET.encode(), payload, hashlib.sha256).hexdigest()
    assert signature == expected
    assert request.url.raw_path.endswith(b"&signature=" + expected.encode())
    assert request.url.query.startswith(httpx.QueryParams({"symbol": symbol}).__str__().encode())
    assert request.headers["X-MBX-APIKEY"] == "my-api-key"


def test_base64_signatures_are_percent_encoded_and_verify() -> None:
    key = ed25519_key()
    for _ in range(20):  # enough signatures that some contain + / or =
        request = signed_request({"symbol": "LTCBTC", "orderListId": "0"}, Ed25519Signer(pem_of(key)))
        payload, signature = split_signature(request)
        raw_signature = request.url.query.rpartition(b"&signature=")[2]
        assert not set(raw_signature) & set(b"+/=")
        key.public_key().verify(base64.b64decode(signature), payload)


class _Base64HmacSigner(HmacSigner):
    """A signer of the HmacSigner class that makes another kind of text, as a caller's subclass may."""

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(hmac.digest(BINANCE_SECRET.encode(), payload, "sha256")).decode() + "+/="


def test_only_an_hmac_signers_hex_is_sent_without_percent_encoding() -> None:
    """The signature is percent-encoded unless it comes from HmacSigner itself, whose hex needs none; a subclass's
    text is encoded like any other signer's."""
    hex_request = signed_request({"symbol": "LTCBTC"}, HmacSigner(BINANCE_SECRET))
    payload, signature = split_signature(hex_request)
    assert hex_request.url.query == payload + b"&signature=" + signature.encode()
    request = signed_request({"symbol": "LTCBTC"}, _Base64HmacSigner(BINANCE_SECRET))
    payload, signature = split_signature(request)
    assert request.url.query.endswith(b"%2B%2F%3D")
    assert signature == _Base64HmacSigner(BINANCE_SECRET).sign(payload)


def test_timestamp_is_appended_fresh_and_signature_is_last() -> None:
    before_ms = ServerClock().timestamp_ms()
    request = signed_request({"symbol": "LTCBTC", "orderListId": "0"}, HmacSigner(BINANCE_SECRET))
    after_ms = ServerClock().timestamp_ms()
    names = [pair.split(b"=")[0] for pair in request.url.query.split(b"&")]
    assert names == [b"symbol", b"orderListId", b"timestamp", b"signature"]
    timestamp = int(dict(httpx.QueryParams(request.url.query.decode()))["timestamp"])
    assert before_ms <= timestamp <= after_ms


def test_microsecond_requests_get_microsecond_timestamps() -> None:
    before_us = ServerClock().timestamp_us()
    request = signed_request({"symbol": "LTCBTC"}, HmacSigner(BINANCE_SECRET), **{"X-MBX-TIME-UNIT": "MICROSECOND"})
    after_us = ServerClock().timestamp_us()
    timestamp = int(dict(httpx.QueryParams(request.url.query.decode()))["timestamp"])
    assert before_us <= timestamp <= after_us
