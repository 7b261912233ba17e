"""Request signing: the three key types and ``QuerySigning``, which signs the exact bytes sent.

Binance signs the percent-encoded query string, and the bytes signed must be the bytes sent.
``QuerySigning.signed_query`` appends a fresh ``timestamp`` to the encoded query, signs it and
appends ``signature`` last. The clients call ``signed_attempt`` (the same, with a timestamp strictly later
than the previous attempt's) for every attempt, so a retry always carries a new timestamp and signature,
before any transport sees the URL. ``BinanceAuth`` (``_httpx_classes``, imported only when asked for: it imports
httpx) is the same signing as an ``httpx.Auth``, for any request sent through httpx, such as the generated
functions' requests.

Error reporters (Sentry, rich, ``pytest --showlocals``) record the local variables of every frame of a
traceback: secrets handed in are wrapped in ``Secret`` (whose repr is redacted) at once and the raw
arguments deleted, and a key that fails to load raises outside the ``except`` block, so that
cryptography's frames (holding the PEM and password) are not chained to the error.
"""

import base64
from collections.abc import Callable
from functools import partial
from typing import Generic, Protocol, TypeVar
from urllib.parse import quote

from ._clock import ServerClock
from ._logging import redact
from .errors import ConfigurationError

__all__ = [
    "Ed25519Signer",
    "HmacSigner",
    "QuerySigning",
    "RsaSigner",
    "Secret",
    "SignedUrl",
    "Signer",
    "signer_from_private_key",
]

Password = str | bytes | None
PemData = str | bytes
Value = TypeVar("Value")
Key = TypeVar("Key")


class Secret(Generic[Value]):
    """A value that shows as ``<redacted>`` in reprs, tracebacks and recorded frame locals."""

    __slots__ = ("_value",)

    def __init__(self, value: Value) -> None:
        self._value = value

    def reveal(self) -> Value:
        return self._value

    def as_bytes(self) -> bytes | None:
        """The value as bytes (str is UTF-8 encoded), or None; never shown."""
        value = self._value
        return value.encode() if isinstance(value, str) else value if isinstance(value, bytes) else None

    def __repr__(self) -> str:
        return "<redacted>"


class SignedUrl(str):
    """A signed URL: the str that goes on the wire, whose repr hides the signature."""

    __slots__ = ()

    def __repr__(self) -> str:
        return redact(super().__repr__())


class Signer(Protocol):
    """Turns the signature payload into the value of the ``signature`` parameter (not yet percent-encoded)."""

    def sign(self, payload: bytes) -> str: ...


class HmacSigner:
    """HMAC-SHA256 with the API secret; lowercase hex."""

    __slots__ = ("_mac",)

    def __init__(self, secret: str) -> None:
        import hashlib  # with the first HMAC key, not with the package
        import hmac

        valid = isinstance(secret, str) and bool(secret)
        mac = hmac.new(secret.encode(), digestmod=hashlib.sha256) if valid else None
        del secret  # not left in this frame's locals for a traceback to record
        if mac is None:
            raise ConfigurationError("HmacSigner needs the API secret as a non-empty str")
        self._mac = mac

    def sign(self, payload: bytes) -> str:
        mac = self._mac.copy()
        mac.update(payload)
        return mac.hexdigest()

    def __repr__(self) -> str:
        return "HmacSigner(secret=<redacted>)"


def _load_private_key(pem: Secret[PemData], password: Secret[Password], key_kind: str) -> object:
    """The loaded key; ``ConfigurationError`` without a chained cause (cryptography's frames hold the PEM)."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        return load_pem_private_key(pem.as_bytes() or b"", password=password.as_bytes())
    except (ValueError, TypeError) as error:
        failure = type(error).__name__  # cryptography's messages never include key material; keep only its kind
    raise ConfigurationError(
        f"the {key_kind} private key could not be loaded ({failure}): pass a PKCS#8 PEM private key, with "
        "password= if it is encrypted"
    )


def _key_of_kind(
    pem: Secret[PemData], password: Secret[Password], key_class: type[Key], key_kind: str, signer_name: str
) -> Key:
    """The loaded key if it is a ``key_class``; else ConfigurationError naming the signer that needs one."""
    key = _load_private_key(pem, password, key_kind)
    if not isinstance(key, key_class):
        raise ConfigurationError(f"{signer_name} needs an {key_kind} private key, got {type(key).__name__}")
    return key


class Ed25519Signer:
    """Ed25519 with a PKCS#8 PEM private key; base64 of the 64-byte signature. Binance's recommended key type."""

    __slots__ = ("_key",)

    def __init__(self, private_key_pem: PemData, password: Password = None) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        pem, secret_password = Secret(private_key_pem), Secret(password)
        del private_key_pem, password
        # mypy's type-abstract guards calls of the class; _key_of_kind only gives it to isinstance.
        key_class: type[Ed25519PrivateKey] = Ed25519PrivateKey  # type: ignore[type-abstract]
        self._key = _key_of_kind(pem, secret_password, key_class, "Ed25519", "Ed25519Signer")

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self._key.sign(payload)).decode()

    def __repr__(self) -> str:
        return "Ed25519Signer(private_key=<redacted>)"


class RsaSigner:
    """RSASSA-PKCS1-v1_5 with SHA-256 and a PKCS#8 PEM private key; base64."""

    __slots__ = ("_key",)

    def __init__(self, private_key_pem: PemData, password: Password = None) -> None:
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

        pem, secret_password = Secret(private_key_pem), Secret(password)
        del private_key_pem, password
        key_class: type[RSAPrivateKey] = RSAPrivateKey  # type: ignore[type-abstract]  # as in Ed25519Signer
        self._key = _key_of_kind(pem, secret_password, key_class, "RSA", "RsaSigner")

    def sign(self, payload: bytes) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        return base64.b64encode(self._key.sign(payload, padding.PKCS1v15(), hashes.SHA256())).decode()

    def __repr__(self) -> str:
        return "RsaSigner(private_key=<redacted>)"


def signer_from_private_key(private_key_pem: PemData, password: Password = None) -> Ed25519Signer | RsaSigner:
    """The signer that fits the key's type, for keys read from a file whose type the caller does not know."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem, secret_password = Secret(private_key_pem), Secret(password)
    del private_key_pem, password
    key = _load_private_key(pem, secret_password, "Ed25519 or RSA")
    signer_class = Ed25519Signer if isinstance(key, Ed25519PrivateKey) else RsaSigner
    return signer_class(pem.reveal(), secret_password.reveal())


class QuerySigning:
    """Binance request signing: a fresh ``timestamp``, then ``signature`` over the exact query, last.

    The clients call ``signed_attempt`` before any transport sees the URL; ``BinanceAuth`` (``_httpx_classes``) is the
    same signing as an ``httpx.Auth``. The timestamp is in microseconds when ``microseconds`` is set (the request
    carries ``X-MBX-TIME-UNIT: MICROSECOND``).
    """

    def __init__(self, signer: Signer, clock: ServerClock | None = None) -> None:
        self._signer = signer
        self._clock = clock or ServerClock()
        # An HmacSigner's lowercase hex is already as it goes in a query (str() returns it as it is); any other
        # signer's text (base64's "+", "/" and "=") is percent-encoded.
        self._encoded: Callable[[str], str] = str if type(signer) is HmacSigner else partial(quote, safe="")

    def signed_query(self, query: str, *, microseconds: bool) -> str:
        """``query`` (percent-encoded) with ``timestamp`` and ``signature`` appended; the signature covers
        every byte before it."""
        return self.signed_attempt(query, microseconds=microseconds, after=-1)[0]

    def signed_attempt(self, query: str, *, microseconds: bool, after: int) -> tuple[str, int]:
        """``signed_query`` and its timestamp, made strictly later than ``after`` (the previous attempt's):
        two attempts within one clock tick would otherwise carry the same timestamp and signature."""
        now = self._clock.timestamp_us() if microseconds else self._clock.timestamp_ms()
        timestamp = max(now, after + 1)
        payload = f"{query}&timestamp={timestamp}" if query else f"timestamp={timestamp}"
        return f"{payload}&signature={self._encoded(self._signer.sign(payload.encode()))}", timestamp
