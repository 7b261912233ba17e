"""A typed client for the emulator's control API, for tests, demos and anyone testing trading code offline.

>>> with EmulatorControl("http://127.0.0.1:43121") as emulator:
...     created = emulator.create_order_list(symbol="BTCUSDT")
...     emulator.lose_answer()  # the next cancel executes, and its answer is a 500 "-1007 execution status unknown"

httpx, cryptography and the client are imported where first used, so importing this module (as the pytest plugin's
fixtures do) loads only what a test goes on to use.
"""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypedDict, Unpack

from binance_orderlist_api.operations import CANCEL_ORDER_LIST

from ._config import ApiKeyType
from ._control_messages import (
    CONTROL_PREFIX,
    ApiKeyRegistration,
    ClockShift,
    CreatedOrderList,
    FaultRequest,
    NewOrderList,
    OrderListState,
    OrderSpec,
    PendingFault,
    QueryLagSetting,
    RateLimitSetting,
    ResponseVersionSetting,
    from_json,
    refusal_reason,
    to_json,
)
from ._faults import FaultKind
from ._request_log import LoggedRequest

if TYPE_CHECKING:
    import httpx
    from binance_orderlist import AsyncSpotClient, Signer, SpotClient
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

CANCEL_PATH = CANCEL_ORDER_LIST.path
"""Cancel Order list (``DELETE``) and Query Order list (``GET``): where the fault helpers aim by default."""
KeyType = Literal["hmac", "ed25519", "rsa"]


class FaultTarget(TypedDict, total=False):
    """Which requests a fault helper's fault answers: the next ``count`` (1; ``None``: until cleared) to ``path``
    (``CANCEL_PATH``; ``None``: any) with ``method`` (``"DELETE"``, the cancel; ``"GET"``: Query Order list)."""

    count: int | None
    path: str | None
    method: str | None


class EmulatorControlError(RuntimeError):
    """The control API refused a request (400 names the reason, 404 an unknown order list)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"{status_code}: {message}")
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True)
class Credentials:
    """An API key the emulator accepts and the signer that belongs to it."""

    api_key: str
    signer: "Signer"


class EmulatorControl:
    """Drives one running emulator; pass ``http_client`` to reach an in-process app (e.g. Starlette's TestClient)."""

    def __init__(self, base_url: str, *, http_client: "httpx.Client | None" = None, timeout: float = 10.0) -> None:
        import httpx

        self._base_url = base_url.rstrip("/")
        self._http = http_client or httpx.Client(timeout=timeout)

    @property
    def base_url(self) -> str:
        """Where Binance's paths are served, e.g. ``http://127.0.0.1:43121``."""
        return self._base_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def is_ready(self) -> bool:
        import httpx

        try:
            return self._http.get(self._url("/health")).is_success
        except httpx.TransportError:
            return False

    def reset(self) -> None:
        """Back to the start: the seed list only, the default key only, no faults, no clock shift, no query lag, the
        start-up response version and rate limit, empty log."""
        self._call("POST", "/reset")

    def create_order_list(
        self,
        *,
        symbol: str = "LTCBTC",
        contingency_type: Literal["OCO", "OTO"] = "OCO",
        list_client_order_id: str | None = None,
        orders: Sequence[OrderSpec] | None = None,
    ) -> CreatedOrderList:
        """An open list; without ``orders`` the seed's two SELL orders (OCO) or a BUY then a SELL (OTO)."""
        new = NewOrderList(symbol, contingency_type, list_client_order_id, None if orders is None else tuple(orders))
        return from_json(CreatedOrderList, self._call("POST", "/order-lists", to_json(new)))

    def order_list(self, order_list_id: int) -> OrderListState:
        return from_json(OrderListState, self._call("GET", f"/order-lists/{order_list_id}"))

    def credentials(self, key_type: KeyType = "hmac") -> Credentials:
        """Binance's published HMAC example key (accepted from the start), or an Ed25519 or RSA key pair (made once
        per process) registered now: a reset forgets it, so ask again in each test."""
        from binance_orderlist import Ed25519Signer, HmacSigner, RsaSigner

        from ._config import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY

        if key_type == "hmac":
            return Credentials(DEFAULT_HMAC_API_KEY, HmacSigner(DEFAULT_HMAC_SECRET_KEY))
        api_key = f"emulator-{key_type}-key"
        private_pem, public_pem = _key_pair(key_type)
        if key_type == "ed25519":
            self.register_ed25519_key(api_key, public_pem)
            return Credentials(api_key, Ed25519Signer(private_pem))
        self.register_rsa_key(api_key, public_pem)
        return Credentials(api_key, RsaSigner(private_pem))

    def spot_client(self, key_type: KeyType = "hmac", **options: Any) -> "SpotClient":
        """A ``SpotClient`` on this emulator with :meth:`credentials`; ``options`` are ``SpotClient``'s. Close it."""
        from binance_orderlist import SpotClient

        return SpotClient(**self._client_options(key_type, options))

    def async_spot_client(self, key_type: KeyType = "hmac", **options: Any) -> "AsyncSpotClient":
        """An ``AsyncSpotClient`` on this emulator with :meth:`credentials`; ``options`` are its own. Close it."""
        from binance_orderlist import AsyncSpotClient

        return AsyncSpotClient(**self._client_options(key_type, options))

    def _client_options(self, key_type: KeyType, options: Mapping[str, Any]) -> dict[str, Any]:
        credentials = self.credentials(key_type)
        return {"api_key": credentials.api_key, "signer": credentials.signer, "base_url": self.base_url, **options}

    def register_hmac_key(self, api_key: str, secret: str) -> None:
        self._call("POST", "/api-keys", ApiKeyRegistration(api_key, ApiKeyType.HMAC, secret).to_json())

    def register_ed25519_key(self, api_key: str, public_key_pem: str) -> None:
        self._call("POST", "/api-keys", ApiKeyRegistration(api_key, ApiKeyType.ED25519, public_key_pem).to_json())

    def register_rsa_key(self, api_key: str, public_key_pem: str) -> None:
        self._call("POST", "/api-keys", ApiKeyRegistration(api_key, ApiKeyType.RSA, public_key_pem).to_json())

    def add_fault(
        self,
        kind: FaultKind | str,
        *,
        count: int | None = 1,
        path: str | None = None,
        method: str | None = None,
        **params: object,
    ) -> int:
        """Fault the next ``count`` matching requests (None: all until cleared); returns the fault's id.

        ``path``/``method`` narrow the match (e.g. ``path="/api/v3/orderList"`` so a clock sync does
        not use the fault up); ``params`` are the kind's own, e.g. ``status=503`` or ``seconds=2.5``.
        """
        wanted = FaultRequest(kind, count, path, method, params)
        return from_json(PendingFault, self._call("POST", "/faults", to_json(wanted))).id

    def lose_answer(self, *, executed: bool = True, **target: Unpack[FaultTarget]) -> int:
        """The next cancel's answer is lost: Binance's 500 ``-1007`` "execution status unknown", sent after the
        cancel executed (``executed=False``: instead of executing it). Returns the fault's id, as every helper."""
        return self._add_fault(FaultKind.BACKEND_TIMEOUT, target, apply_cancel=executed)

    def server_error(self, status: int = 503, *, executed: bool = False, **target: Unpack[FaultTarget]) -> int:
        """The next cancel is answered ``status`` with Binance's ``-1001`` body instead of executing it
        (``executed=True``: after it executed)."""
        return self._add_fault(FaultKind.SERVER_ERROR_JSON, target, status=status, apply_cancel=executed)

    def drop_connection(self, *, executed: bool = True, **target: Unpack[FaultTarget]) -> int:
        """The connection breaks in the middle of the next cancel's answer, after the cancel executed
        (``executed=False``: before the server acted, with no byte of an answer)."""
        return self._add_fault(FaultKind.DROPPED_CONNECTION, target, apply_cancel=executed)

    def too_many_requests(self, *, retry_after: int = 60, **target: Unpack[FaultTarget]) -> int:
        """The next cancel is refused 429 ``-1003`` with ``Retry-After: retry_after``; nothing executes
        (:meth:`set_rate_limit` makes real weight counting lead there)."""
        return self._add_fault(FaultKind.RATE_LIMITED, target, retry_after=retry_after)

    def ban_ip(self, *, retry_after: int = 120, **target: Unpack[FaultTarget]) -> int:
        """The next cancel is refused 418 ``-1003`` (IP banned) with ``Retry-After: retry_after``; nothing executes."""
        return self._add_fault(FaultKind.IP_BANNED, target, retry_after=retry_after)

    def _add_fault(self, kind: FaultKind, target: FaultTarget, **params: object) -> int:
        count, path, method = target.get("count", 1), target.get("path", CANCEL_PATH), target.get("method", "DELETE")
        return self.add_fault(kind, count=count, path=path, method=method, **params)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def shift_clock(self, offset_ms: int) -> None:
        """Move the server clock ``offset_ms`` away from the real one (replaces any earlier shift)."""
        self._call("PUT", "/clock", to_json(ClockShift(offset_ms)))

    def set_response_version(self, version: Literal["newer", "older"]) -> None:
        self._call("PUT", "/response-version", to_json(ResponseVersionSetting(version)))

    def set_rate_limit(self, weight_per_minute: int | None, *, ban_seconds: int = 120) -> None:
        """A new weight limit per minute (None: unlimited) with a fresh window; 418 bans last ``ban_seconds``."""
        self._call("PUT", "/rate-limit", to_json(RateLimitSetting(weight_per_minute, ban_seconds)))

    def set_query_lag(self, *, queries: int = 0, milliseconds: int = 0) -> None:
        """Queries of a list cancelled from now on show it as it was (open) for its next ``queries`` queries, or
        for ``milliseconds`` of server time, whichever lasts longer: Binance's database behind its engine."""
        self._call("PUT", "/query-lag", to_json(QueryLagSetting(queries, milliseconds)))

    def requests(self, *, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        """The requests that reached Binance's paths since the last reset or clear, oldest first; ``method`` and
        ``path`` keep only those (``requests(method="DELETE")``: the cancels)."""
        logged = [from_json(LoggedRequest, raw) for raw in self._call("GET", "/requests")]
        return [entry for entry in logged if method in (None, entry.method) and path in (None, entry.path)]

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def _url(self, path: str) -> str:
        return f"{self._base_url}{CONTROL_PREFIX}{path}"

    def _call(self, method: str, path: str, payload: Mapping[str, object] | None = None) -> Any:
        response = self._http.request(method, self._url(path), json=payload)
        if response.is_error:
            body = response.json() if response.headers.get("content-type") == "application/json" else None
            raise EmulatorControlError(response.status_code, refusal_reason(body) or response.text)
        return response.json()


@functools.cache
def _key_pair(key_type: Literal["ed25519", "rsa"]) -> tuple[bytes, str]:
    """A private key as PKCS#8 PEM and its public key as PEM; made once per process (RSA takes a moment)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    key: Ed25519PrivateKey | RSAPrivateKey = (
        ed25519.Ed25519PrivateKey.generate()
        if key_type == "ed25519"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()
