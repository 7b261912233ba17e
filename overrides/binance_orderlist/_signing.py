"""Request signing: the three key types and ``BinanceAuth``, which signs the exact bytes sent.

Binance signs the percent-encoded query string, and the bytes signed must be the bytes sent.
``BinanceAuth.signed_query`` appends a fresh ``timestamp`` to the encoded query, signs it and
appends ``signature`` last. The clients call it for every attempt (a retry always carries a new
timestamp and signature) before httpx builds the request, so httpx parses each URL once; as an
``httpx.Auth`` it signs any request sent through httpx, such as the generated functions' requests.
"""

import base64
import hashlib
import hmac
from collections.abc import Generator
from typing import Protocol
from urllib.parse import quote

import httpx

from ._clock import ServerClock
from .errors import ConfigurationError

__all__ = ["BinanceAuth", "Ed25519Signer", "HmacSigner", "RsaSigner", "Signer", "signer_from_private_key"]

Password = str | bytes | None
PemData = str | bytes


class Signer(Protocol):
    """Turns the signature payload into the value of the ``signature`` parameter (not yet percent-encoded)."""

    def sign(self, payload: bytes) -> str: ...


class HmacSigner:
    """HMAC-SHA256 with the API secret; lowercase hex."""

    __slots__ = ("_mac",)

    def __init__(self, secret: str) -> None:
        if not isinstance(secret, str) or not secret:
            raise ConfigurationError("HmacSigner needs the API secret as a non-empty str")
        self._mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)

    def sign(self, payload: bytes) -> str:
        mac = self._mac.copy()
        mac.update(payload)
        return mac.hexdigest()

    def __repr__(self) -> str:
        return "HmacSigner(secret=<redacted>)"


def _load_private_key(pem: PemData, password: Password, key_kind: str) -> object:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    pem_bytes = pem.encode() if isinstance(pem, str) else pem
    password_bytes = password.encode() if isinstance(password, str) else password
    try:
        return load_pem_private_key(pem_bytes, password=password_bytes)
    except (ValueError, TypeError) as error:
        # cryptography's messages never include key material; keep only its kind of failure.
        raise ConfigurationError(
            f"the {key_kind} private key could not be loaded ({type(error).__name__}): pass a PKCS#8 PEM "
            "private key, with password= if it is encrypted"
        ) from None


class Ed25519Signer:
    """Ed25519 with a PKCS#8 PEM private key; base64 of the 64-byte signature. Binance's recommended key type."""

    __slots__ = ("_key",)

    def __init__(self, private_key_pem: PemData, password: Password = None) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = _load_private_key(private_key_pem, password, "Ed25519")
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigurationError(f"Ed25519Signer needs an Ed25519 private key, got {type(key).__name__}")
        self._key: Ed25519PrivateKey = key

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self._key.sign(payload)).decode()

    def __repr__(self) -> str:
        return "Ed25519Signer(private_key=<redacted>)"


class RsaSigner:
    """RSASSA-PKCS1-v1_5 with SHA-256 and a PKCS#8 PEM private key; base64."""

    __slots__ = ("_key",)

    def __init__(self, private_key_pem: PemData, password: Password = None) -> None:
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

        key = _load_private_key(private_key_pem, password, "RSA")
        if not isinstance(key, RSAPrivateKey):
            raise ConfigurationError(f"RsaSigner needs an RSA private key, got {type(key).__name__}")
        self._key: RSAPrivateKey = key

    def sign(self, payload: bytes) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        return base64.b64encode(self._key.sign(payload, padding.PKCS1v15(), hashes.SHA256())).decode()

    def __repr__(self) -> str:
        return "RsaSigner(private_key=<redacted>)"


def signer_from_private_key(private_key_pem: PemData, password: Password = None) -> Ed25519Signer | RsaSigner:
    """The signer that fits the key's type, for keys read from a file whose type the caller does not know."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = _load_private_key(private_key_pem, password, "Ed25519 or RSA")
    if isinstance(key, Ed25519PrivateKey):
        return Ed25519Signer(private_key_pem, password)
    return RsaSigner(private_key_pem, password)


class BinanceAuth(httpx.Auth):
    """Binance request signing: a fresh ``timestamp``, then ``signature`` over the exact query, last.

    The clients call ``signed_query`` before httpx builds the request; as an ``httpx.Auth`` it signs
    any request sent through httpx, e.g. one built by the generated endpoint functions. The timestamp
    is in microseconds when the request carries ``X-MBX-TIME-UNIT: MICROSECOND``.
    """

    def __init__(self, api_key: str, signer: Signer, clock: ServerClock | None = None) -> None:
        self._api_key = api_key
        self._signer = signer
        self._clock = clock or ServerClock()

    def signed_query(self, query: str, *, microseconds: bool) -> str:
        """``query`` (percent-encoded) with ``timestamp`` and ``signature`` appended; the signature covers
        every byte before it."""
        timestamp = self._clock.timestamp_us() if microseconds else self._clock.timestamp_ms()
        payload = f"{query}&timestamp={timestamp}" if query else f"timestamp={timestamp}"
        return f"{payload}&signature={quote(self._signer.sign(payload.encode()), safe='')}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-MBX-APIKEY"] = self._api_key
        microseconds = request.headers.get("X-MBX-TIME-UNIT", "").upper() == "MICROSECOND"
        # The generated functions require a timestamp argument: the fresh one replaces it.
        pairs = request.url.query.decode("ascii").split("&")
        unsigned = "&".join(pair for pair in pairs if pair and not pair.startswith(("timestamp=", "signature=")))
        query = self.signed_query(unsigned, microseconds=microseconds)
        request.url = request.url.copy_with(query=query.encode("ascii"))
        yield request

    def __repr__(self) -> str:
        return f"BinanceAuth(signer={self._signer!r})"
