"""Bench-only prototypes of the changes bench/RESULTS.md recommends for ``overrides/binance_orderlist/``.

Each is a subclass of the real client that overrides one step, so the benchmark measures exactly
what that change saves, in the same run as the real client and the baselines. None of this is
meant to be imported by the package: it shows what a change is worth before anyone makes it.

- ``OneParse``: sign in ``_send`` (still once per attempt, so a retry gets a fresh timestamp) and
  hand httpx the finished URL string with no ``params`` and no ``auth``: httpx parses the URL once,
  as it does for raw httpx, instead of three times (relative URL + params merge + the auth hook's
  ``copy_with``).
- ``FastCheck``: check the parsed model against its annotations with a table compiled once per
  model (exact ``type(value) in allowed`` tests) and fall back to the existing, message-producing
  check only when that fast test fails; instead of walking ``typing`` annotations on every call.
- ``OwnTransport``: send a prebuilt ``httpx.Request`` straight to the ``HTTPTransport`` the client
  created (public httpx API), skipping ``build_request``, the cookie jar and the auth and redirect loops.
- ``NoParseURL``: as ``OwnTransport``, with the ``httpx.URL`` built from the base URL's already-validated
  parse result (``ParseResult._replace``; the signed query only holds unreserved characters and ``%XX``).
  Uses httpx internals (``URL._uri_reference``): it shows the floor, it is not a recommendation.
- ``LeanAiohttpTransport``: an ``httpx.AsyncBaseTransport`` over one ``aiohttp.ClientSession`` that
  passes aiohttp a ``yarl.URL(..., encoded=True)`` (no second URL parse) and reads the body in one go;
  ``AsyncOwnTransport``, ``AsyncAiohttpNative`` and ``AsyncAiohttpFloor`` go further towards aiohttp.

The prototypes rely on the client's private ``_Call``, ``_send``, ``_result`` and ``_send_with_retries``
seams as of the commit bench/RESULTS.md names; if those change, their rows in the table say so. They
keep their own copies of the response helpers they need, so they do not break when ``_responses`` does.
"""

import functools
import json
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import aiohttp
import attrs
import binance_orderlist_api.models as generated_models
import httpx
import yarl
from binance_orderlist import AsyncSpotClient, HmacSigner, RateLimitUsage, SpotClient
from binance_orderlist._client import _Call, _SpotClientBase
from binance_orderlist._logging import logger
from binance_orderlist._responses import FromDict, error_from_response, parse_success

Model = TypeVar("Model", bound=FromDict)
TypeCheck = Callable[[object], bool]
# Binance's decimal strings, as binance_orderlist._responses checks them.
DECIMAL_FIELDS = ("price", "orig_qty", "executed_qty", "orig_quote_order_qty", "cummulative_quote_qty", "stop_price")


@functools.cache
def _field_types(model: type[Any]) -> tuple[tuple[str, Any], ...]:
    """(field name, annotation) of an attrs model, as binance_orderlist._responses reads them."""
    hints = typing.get_type_hints(model, localns=vars(generated_models))
    return tuple((item.name, hints[item.name]) for item in attrs.fields(model) if item.name != "additional_properties")


def _decimals_ok(reports: list[Any]) -> bool:
    """Every decimal string of every report parses as a finite Decimal."""
    for report in reports:
        for name in DECIMAL_FIELDS:
            value = getattr(report, name)
            if isinstance(value, str):
                try:
                    if not Decimal(value).is_finite():
                        return False
                except InvalidOperation:
                    return False
    return True


# ---- FastCheck: the response check compiled once per model --------------------------------------------------


def _exact_types(expected: Any) -> tuple[type, ...] | None:
    """The exact classes a field may hold, or None when the annotation needs a nested check (lists, models)."""
    options = getattr(expected, "__args__", None) if not isinstance(expected, type) else None
    if options is None:
        if isinstance(expected, type) and not attrs.has(expected):
            return (expected,)
        return None
    classes = tuple(option for option in options if isinstance(option, type) and not attrs.has(option))
    return classes if len(classes) == len(options) else None


_COMPILED: dict[type[Any], TypeCheck] = {}


def _compiled_check(model: type[Any]) -> TypeCheck:
    """A predicate that is True when every field of ``model`` has exactly an annotated type (bool is not int)."""
    if model in _COMPILED:
        return _COMPILED[model]
    flat: list[tuple[str, frozenset[type]]] = []
    lists: list[tuple[str, TypeCheck]] = []
    for name, expected in _field_types(model):  # type: ignore[arg-type]  # classes are hashable
        exact = _exact_types(expected)
        if exact is not None:
            # Enum members' class is the enum itself; an int field never accepts a bool (type(True) is bool).
            flat.append((name, frozenset(exact)))
            continue
        (item_type,) = expected.__args__
        lists.append((name, _item_check(item_type)))
    flat_fields = tuple(flat)
    list_fields = tuple(lists)

    def check(instance: object) -> bool:
        for name, allowed in flat_fields:
            if type(getattr(instance, name)) not in allowed:
                return False
        for name, item_check in list_fields:
            items = getattr(instance, name)
            if type(items) is not list or not all(item_check(item) for item in items):
                return False
        return True

    _COMPILED[model] = check
    return check


def _item_check(item_type: type) -> TypeCheck:
    if attrs.has(item_type):
        model_check = _compiled_check(item_type)
        return lambda item: type(item) is item_type and model_check(item)
    return lambda item: type(item) is item_type


def parsed_if_clean(content: bytes, model: type[Model]) -> Model | None:
    """The parsed body when it passes every check on the fast path, else None (the caller then goes slow)."""
    try:
        body = json.loads(content)
        parsed = model.from_dict(body) if type(body) is dict else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if parsed is None or not _compiled_check(model)(parsed) or not _decimals_ok(getattr(parsed, "order_reports", [])):
        return None
    return parsed


def parse_success_fast(response: httpx.Response, model: type[Model]) -> Model:
    """``parse_success`` with the compiled check; any doubt goes to the original for its exact message."""
    parsed = parsed_if_clean(response.content, model)
    return parsed if parsed is not None else parse_success(response, model)


# ---- the prototype clients -----------------------------------------------------------------------------------


class _Signing:
    """What ``BinanceAuth`` does, done before httpx builds the request (once per attempt)."""

    def __init__(self, api_key: str, signer: HmacSigner, client: _SpotClientBase[Any]) -> None:
        self.api_key = api_key
        self.signer = signer
        self.client = client

    def query(self, call: _Call) -> str:
        clock = self.client._clock
        in_microseconds = call.headers.get("X-MBX-TIME-UNIT", "").upper() == "MICROSECOND"
        timestamp = clock.timestamp_us() if in_microseconds else clock.timestamp_ms()
        query = urlencode(call.params)
        payload = f"{query}&timestamp={timestamp}" if query else f"timestamp={timestamp}"
        signature = quote(self.signer.sign(payload.encode()), safe="")
        return f"{payload}&signature={signature}"

    def headers(self, call: _Call) -> dict[str, str]:
        return {**call.headers, "X-MBX-APIKEY": self.api_key}


def _result_fast(client: _SpotClientBase[Any], call: _Call, response: httpx.Response, model: type[Model]) -> Model:
    """``_SpotClientBase._result`` with ``parse_success_fast``."""
    client._rate_limit_usage = RateLimitUsage.from_headers(response.headers)
    logger.debug("%s %s -> HTTP %d", call.method, call.url, response.status_code)
    if response.status_code == 200:
        return parse_success_fast(response, model)
    raise error_from_response(response)


class OneParse(SpotClient):
    def __init__(self, *, api_key: str, signer: HmacSigner, base_url: str) -> None:
        super().__init__(api_key=api_key, signer=signer, base_url=base_url)
        self._signing = _Signing(api_key, signer, self)

    def _send(self, call: _Call) -> httpx.Response:
        if not call.signed:
            return super()._send(call)
        try:
            return self._http.request(
                call.method,
                f"{call.url}?{self._signing.query(call)}",
                headers=self._signing.headers(call),
                timeout=self._timeout,
            )
        except httpx.HTTPError as error:
            raise self._transport_error(call, error) from error


class FastCheck(SpotClient):
    def _result(self, call: _Call, response: httpx.Response, model: type[Model]) -> Model:
        return _result_fast(self, call, response, model)


class OneParseFastCheck(OneParse):
    def _result(self, call: _Call, response: httpx.Response, model: type[Model]) -> Model:
        return _result_fast(self, call, response, model)


class OwnTransport(OneParseFastCheck):
    """OneParse + FastCheck, sending a prebuilt request straight to the transport the client created.

    Public httpx API only (``httpx.Request``, ``HTTPTransport.handle_request``): skips
    ``build_request``'s merges, the auth and redirect loops and the cookie jar. A user-supplied
    ``http_client`` would keep going through ``client.request`` so its hooks and mounts still apply.
    """

    def __init__(self, *, api_key: str, signer: HmacSigner, base_url: str) -> None:
        super().__init__(api_key=api_key, signer=signer, base_url=base_url)
        self._transport = httpx.HTTPTransport()
        self._http = httpx.Client(transport=self._transport, timeout=self._timeout)
        self._extensions = {"timeout": self._timeout.as_dict()}

    def _url(self, call: _Call) -> httpx.URL | str:
        return f"{call.url}?{self._signing.query(call)}"

    def _send(self, call: _Call) -> httpx.Response:
        if not call.signed:
            return super()._send(call)
        request = httpx.Request(call.method, self._url(call), headers=self._signing.headers(call))
        request.extensions = self._extensions
        try:
            response = self._transport.handle_request(request)
            response.request = request
            response.read()
        except httpx.HTTPError as error:
            raise self._transport_error(call, error) from error
        return response


class NoParseURL(OwnTransport):
    """OwnTransport with no URL parse at all: the URL is the base URL's parse result with a new path and query."""

    def __init__(self, *, api_key: str, signer: HmacSigner, base_url: str) -> None:
        super().__init__(api_key=api_key, signer=signer, base_url=base_url)
        self._base_parse = httpx.URL(self._base_url)._uri_reference

    def _url(self, call: _Call) -> httpx.URL | str:
        url = httpx.URL.__new__(httpx.URL)
        path = call.url[len(self._base_url) :]
        url._uri_reference = self._base_parse._replace(path=path, query=self._signing.query(call))
        return url


# ---- async ---------------------------------------------------------------------------------------------------


class LeanAiohttpTransport(httpx.AsyncBaseTransport):
    """httpx requests sent through one aiohttp session, the URL handed over as already encoded."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = aiohttp.ClientSession(auto_decompress=False)
        async with self._session.request(
            request.method,
            yarl.URL(str(request.url), encoded=True),
            headers=request.headers.multi_items(),
            data=request.content or None,
            allow_redirects=False,
        ) as response:
            content = await response.read()
        return httpx.Response(response.status, headers=response.raw_headers, content=content, request=request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class AsyncOneParseFastCheck(AsyncSpotClient):
    def __init__(
        self, *, api_key: str, signer: HmacSigner, base_url: str, http_client: httpx.AsyncClient | None = None
    ) -> None:
        super().__init__(api_key=api_key, signer=signer, base_url=base_url, http_client=http_client)
        self._signing = _Signing(api_key, signer, self)

    async def _send(self, call: _Call) -> httpx.Response:
        if not call.signed:
            return await super()._send(call)
        try:
            return await self._http.request(
                call.method,
                f"{call.url}?{self._signing.query(call)}",
                headers=self._signing.headers(call),
                timeout=self._timeout,
            )
        except httpx.HTTPError as error:
            raise self._transport_error(call, error) from error

    def _result(self, call: _Call, response: httpx.Response, model: type[Model]) -> Model:
        return _result_fast(self, call, response, model)


class AsyncOwnTransport(AsyncOneParseFastCheck):
    """AsyncOneParseFastCheck sending a prebuilt request straight to its own LeanAiohttpTransport."""

    def __init__(self, *, api_key: str, signer: HmacSigner, base_url: str) -> None:
        self._transport = LeanAiohttpTransport()
        super().__init__(
            api_key=api_key, signer=signer, base_url=base_url, http_client=httpx.AsyncClient(transport=self._transport)
        )
        self._owns_http_client = True
        self._extensions = {"timeout": self._timeout.as_dict()}

    async def _send(self, call: _Call) -> httpx.Response:
        if not call.signed:
            return await super()._send(call)
        request = httpx.Request(
            call.method, f"{call.url}?{self._signing.query(call)}", headers=self._signing.headers(call)
        )
        request.extensions = self._extensions
        try:
            return await self._transport.handle_async_request(request)
        except httpx.HTTPError as error:
            raise self._transport_error(call, error) from error


class AsyncAiohttpNative(AsyncOneParseFastCheck):
    """AsyncOneParseFastCheck calling aiohttp directly (no httpx request on the hot path); the answer is
    wrapped in an ``httpx.Response`` only so the response handling stays the same."""

    def __init__(self, *, api_key: str, signer: HmacSigner, base_url: str) -> None:
        super().__init__(api_key=api_key, signer=signer, base_url=base_url)
        self._session: aiohttp.ClientSession | None = None

    async def _send(self, call: _Call) -> httpx.Response:
        if not call.signed:
            return await super()._send(call)
        if self._session is None:
            self._session = aiohttp.ClientSession(auto_decompress=False)
        url = yarl.URL(f"{call.url}?{self._signing.query(call)}", encoded=True)
        async with self._session.request(
            call.method, url, headers=self._signing.headers(call), allow_redirects=False
        ) as response:
            content = await response.read()
        return httpx.Response(response.status, headers=response.raw_headers, content=content)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
        await super().aclose()


class AsyncAiohttpFloor(AsyncAiohttpNative):
    """The floor for a typed client over aiohttp: the API key set once on the session, the body parsed
    straight from bytes (no ``httpx.Response``), rate limits read from aiohttp's headers. Anything but a
    clean 200 takes the normal path once (no retries here: it is a measurement, not a client)."""

    async def _send_with_retries(self, call: _Call, model: type[Model]) -> Model:
        if not call.signed:
            return await super()._send_with_retries(call, model)
        if self._session is None:
            self._session = aiohttp.ClientSession(
                auto_decompress=False, headers={"X-MBX-APIKEY": self._signing.api_key}
            )
        url = yarl.URL(f"{call.url}?{self._signing.query(call)}", encoded=True)
        headers = call.headers or None
        async with self._session.request(call.method, url, headers=headers, allow_redirects=False) as answer:
            content = await answer.read()
        self._rate_limit_usage = RateLimitUsage.from_headers(answer.headers)
        parsed = parsed_if_clean(content, model) if answer.status == 200 else None
        if parsed is not None:
            return parsed
        return self._result(call, httpx.Response(answer.status, headers=answer.raw_headers, content=content), model)


SYNC_PROTOTYPES: Mapping[str, Callable[..., SpotClient]] = {
    "proto: one URL parse": OneParse,
    "proto: compiled response check": FastCheck,
    "proto: one parse + compiled check": OneParseFastCheck,
    "proto: + own transport, prebuilt request": OwnTransport,
    "proto: + no URL parse (httpx internals)": NoParseURL,
}
ASYNC_PROTOTYPES: Mapping[str, Callable[..., AsyncSpotClient]] = {
    "proto: + own lean transport, prebuilt request": AsyncOwnTransport,
    "proto: aiohttp native (no httpx on the hot path)": AsyncAiohttpNative,
    "proto: aiohttp native, body parsed from bytes (floor)": AsyncAiohttpFloor,
}
