"""Signature checks: Binance's and RFC 8032's vectors, and round trips with keys made here."""

import base64
import hashlib
import hmac
import itertools

import httpx
import pytest
from binance_orderlist_emulator import DEFAULT_HMAC_SECRET_KEY, EmulatorControl
from binance_orderlist_emulator._config import ApiKeyType as KeyType
from binance_orderlist_emulator._signatures import HmacKey, SignedRequest, load_key
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from hypothesis import given
from hypothesis import strategies as st

from .by_hand import assert_matches_spec, base64_signed, cancel_params, encoded, error_of, send_cancel

_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
BINANCE_VECTORS = [
    (
        b"symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
    ),
    (
        b"symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC"
        b"&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3",
    ),
]
# RFC 8032, section 7.1, TEST 2: a one-byte message.
RFC8032_PUBLIC_KEY = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
RFC8032_MESSAGE = bytes.fromhex("72")
RFC8032_SIGNATURE = (
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
)


@pytest.mark.parametrize(("payload", "signature"), BINANCE_VECTORS)
def test_the_default_secret_verifies_binances_hmac_vectors(payload: bytes, signature: str) -> None:
    key = HmacKey(DEFAULT_HMAC_SECRET_KEY)
    assert key.verifies(payload, signature)
    assert key.verifies(payload, signature.upper())
    assert not key.verifies(payload + b"0", signature)


def test_rfc8032_ed25519_vector() -> None:
    pem = ed25519.Ed25519PublicKey.from_public_bytes(RFC8032_PUBLIC_KEY).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key = load_key(KeyType.ED25519, pem.decode())
    signature = base64.b64encode(bytes.fromhex(RFC8032_SIGNATURE)).decode()
    assert key.verifies(RFC8032_MESSAGE, signature)
    assert not key.verifies(b"\x73", signature)


@pytest.mark.parametrize(
    ("raw", "payload", "signature"),
    [
        (b"a=1&signature=ab", b"a=1", "ab"),
        (b"signature=ab", b"", "ab"),
        (b"a=1&b=2", b"a=1&b=2", None),
        (b"a=1&signature=ab%2B%2F%3D", b"a=1", "ab+/="),
        (b"a=1&signature=ab&b=2", b"a=1", "ab&b=2"),
        (b"a=1&signature=x&signature=y", b"a=1&signature=x", "y"),
    ],
)
def test_the_signature_is_split_off_the_raw_query(raw: bytes, payload: bytes, signature: str | None) -> None:
    assert SignedRequest.split(raw) == SignedRequest(payload, b"", signature)
    assert SignedRequest.split(b"", raw) == SignedRequest(b"", payload, signature)


def public_pem(private_key: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_an_ed25519_key(emulator: EmulatorControl, binance: httpx.Client) -> None:
    private_key = ed25519.Ed25519PrivateKey.generate()
    emulator.register_ed25519_key("ed-key", public_pem(private_key))
    response = send_cancel(binance, base64_signed(cancel_params(), private_key.sign), api_key="ed-key")
    assert_matches_spec(response)
    assert response.json()["orderListId"] == 0
    assert emulator.requests()[-1].signature_valid is True


def test_an_rsa_key(emulator: EmulatorControl, binance: httpx.Client) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    emulator.register_rsa_key("rsa-key", public_pem(private_key))

    def sign(payload: bytes) -> bytes:
        return private_key.sign(payload, padding.PKCS1v15(), hashes.SHA256())

    response = send_cancel(binance, base64_signed(cancel_params(), sign), api_key="rsa-key")
    assert response.json()["orderListId"] == 0


def test_a_base64_signature_must_be_percent_encoded(emulator: EmulatorControl, binance: httpx.Client) -> None:
    """A raw ``+`` reads as a space, so the signature no longer verifies (the reference page's rule)."""
    private_key = ed25519.Ed25519PrivateKey.generate()
    emulator.register_ed25519_key("ed-key", public_pem(private_key))
    signed = (
        f"{payload}&signature={base64.b64encode(private_key.sign(payload.encode())).decode()}"
        for payload in (encoded(cancel_params(newClientOrderId=f"try-{attempt}")) for attempt in itertools.count())
    )
    unencoded = next(query for query in signed if "+" in query.partition("&signature=")[2])
    assert error_of(send_cancel(binance, unencoded, api_key="ed-key"))[1] == -1022
    assert emulator.requests()[-1].signature_valid is False
    assert send_cancel(binance, unencoded.replace("+", "%2B"), api_key="ed-key").status_code == 200


def test_a_signature_made_with_another_ed25519_key(emulator: EmulatorControl, binance: httpx.Client) -> None:
    emulator.register_ed25519_key("ed-key", public_pem(ed25519.Ed25519PrivateKey.generate()))
    stranger = ed25519.Ed25519PrivateKey.generate()
    response = send_cancel(binance, base64_signed(cancel_params(), stranger.sign), api_key="ed-key")
    assert error_of(response) == (400, -1022, "Signature for this request is not valid.")


@given(payload=st.binary(max_size=64))
def test_ed25519_and_rsa_signatures_are_case_sensitive_and_hmac_is_not(payload: bytes) -> None:
    """Binance: HMAC signatures verify whatever their letters' case; Ed25519 and RSA ones do not."""
    ed_key, rsa_private = ed25519.Ed25519PrivateKey.generate(), _RSA_KEY
    signatures = {
        KeyType.ED25519: (public_pem(ed_key), ed_key.sign(payload)),
        KeyType.RSA: (public_pem(rsa_private), rsa_private.sign(payload, padding.PKCS1v15(), hashes.SHA256())),
    }
    for key_type, (pem, raw) in signatures.items():
        key, signature = load_key(key_type, pem), base64.b64encode(raw).decode()
        assert key.verifies(payload, signature)
        assert not key.verifies(payload, signature.swapcase())
    hmac_hex = hmac.new(b"secret", payload, hashlib.sha256).hexdigest()
    assert HmacKey("secret").verifies(payload, hmac_hex.upper())


@given(st.text(min_size=1, max_size=120))
def test_a_signature_that_is_not_base64_never_verifies(signature: str) -> None:
    pem = public_pem(ed25519.Ed25519PrivateKey.generate())
    assert not load_key(KeyType.ED25519, pem).verifies(b"symbol=LTCBTC", signature)


@pytest.mark.parametrize(
    ("key_type", "material", "reason"),
    [
        (KeyType.HMAC, "", "must not be empty"),
        (KeyType.ED25519, public_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)), "no ED25519"),
        (KeyType.RSA, public_pem(ed25519.Ed25519PrivateKey.generate()), "no RSA"),
    ],
)
def test_key_material_of_the_wrong_kind_is_refused(key_type: KeyType, material: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        load_key(key_type, material)
