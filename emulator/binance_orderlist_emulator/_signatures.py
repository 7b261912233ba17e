"""Signature checks over the request exactly as it arrived, the way Binance verifies SIGNED requests.

The payload is the query string immediately followed by the form body (no separator), each without
its ``signature`` pair; percent-encoding is part of what was signed, so neither is decoded and
re-encoded before checking.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_plus

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ._config import ApiKeyType

_SIGNATURE_FIELD = b"signature="


@dataclass(frozen=True)
class SignedRequest:
    """The query string and form body without their ``signature`` pairs, and the (percent-decoded) signature.

    ``signature`` may travel in either part; when both carry one, the query's is the one checked,
    as for every parameter sent in both places.
    """

    query: bytes
    body: bytes
    signature: str | None

    @property
    def payload(self) -> bytes:
        """What was signed: the query string concatenated without separator to the body."""
        return self.query + self.body

    @classmethod
    def split(cls, raw_query: bytes, form_body: bytes = b"") -> "SignedRequest":
        query, query_signature = _without_signature(raw_query)
        body, body_signature = _without_signature(form_body)
        signature = query_signature if query_signature is not None else body_signature
        return cls(query, body, None if signature is None else unquote_plus(signature.decode("ascii", "replace")))


def _without_signature(raw: bytes) -> tuple[bytes, bytes | None]:
    """The bytes before ``signature=`` and its raw value; a signature that is not last keeps what follows in
    its value, so those unsigned bytes make it fail."""
    payload, separator, signature = raw.rpartition(b"&" + _SIGNATURE_FIELD)
    if separator:
        return payload, signature
    if raw.startswith(_SIGNATURE_FIELD):
        return b"", raw.removeprefix(_SIGNATURE_FIELD)
    return raw, None


@dataclass(frozen=True)
class HmacKey:
    secret: str
    type: ApiKeyType = ApiKeyType.HMAC

    def verifies(self, payload: bytes, signature: str) -> bool:
        expected = hmac.new(self.secret.encode(), payload, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature.lower())


@dataclass(frozen=True)
class Ed25519Key:
    public_key: Ed25519PublicKey
    type: ApiKeyType = ApiKeyType.ED25519

    def verifies(self, payload: bytes, signature: str) -> bool:
        return _verifies_base64(signature, lambda decoded: self.public_key.verify(decoded, payload))


@dataclass(frozen=True)
class RsaKey:
    public_key: RSAPublicKey
    type: ApiKeyType = ApiKeyType.RSA

    def verifies(self, payload: bytes, signature: str) -> bool:
        return _verifies_base64(
            signature, lambda decoded: self.public_key.verify(decoded, payload, padding.PKCS1v15(), hashes.SHA256())
        )


ApiKey = HmacKey | Ed25519Key | RsaKey


def load_key(key_type: ApiKeyType, material: str) -> ApiKey:
    """Build a key from an HMAC secret or a public key PEM; ValueError when the material does not fit the type."""
    if key_type is ApiKeyType.HMAC:
        if not material:
            raise ValueError("an HMAC secret must not be empty")
        return HmacKey(material)
    public_key = serialization.load_pem_public_key(material.encode())
    if key_type is ApiKeyType.ED25519 and isinstance(public_key, Ed25519PublicKey):
        return Ed25519Key(public_key)
    if key_type is ApiKeyType.RSA and isinstance(public_key, RSAPublicKey):
        return RsaKey(public_key)
    raise ValueError(f"the PEM holds no {key_type} public key")


def _verifies_base64(signature: str, verify: Callable[[bytes], None]) -> bool:
    """Ed25519 and RSA signatures travel as base64; one that does not decode is as invalid as a wrong one."""
    try:
        verify(base64.b64decode(signature, validate=True))
    except (ValueError, InvalidSignature):  # binascii.Error is a ValueError
        return False
    return True
