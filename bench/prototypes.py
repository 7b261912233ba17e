"""Bench-only prototypes of the async changes bench/RESULTS.md recommends for ``overrides/binance_orderlist/``.

Each is a subclass of the real ``AsyncSpotClient`` that replaces one seam, so the benchmark measures
what that change is worth in the same run as the client, the baselines and the peers. Nothing here is
meant to be imported by the package: it shows what a change saves before anyone makes it.

- ``LeanTransportClient``: the client's own transport is ``LeanAiohttpTransport`` rather than
  httpx-aiohttp's ``AiohttpTransport``. It hands aiohttp the URL httpx has just validated as already
  encoded (``yarl.URL(..., encoded=True)``: no second parse), passes the headers as pairs, and reads the
  body in one go into ``httpx.Response(content=...)`` instead of streaming it through
  ``AiohttpResponseStream`` and ``Response.aread``. The ``httpx.Request`` and ``httpx.Response`` stay.
- ``AiohttpDirectClient``: no ``httpx.Request`` at all. The signed URL string goes straight to one
  ``aiohttp.ClientSession`` that carries the constant headers (API key, Accept, User-Agent); aiohttp's
  answer is wrapped in an ``httpx.Response`` so that ``_result`` is the client's own.
- ``AiohttpBytesClient``: as ``AiohttpDirectClient``, with no ``httpx.Response`` either: ``_result``,
  ``parse_success`` and ``error_from_response`` read only the status, a headers mapping and the body,
  which aiohttp already has. The floor for a typed client over aiohttp with today's response checks.

All three keep the client's retries, signing, validation and response checks, and map aiohttp's
errors onto the httpx errors ``_transport_error`` sorts into "not sent" and "execution status unknown".
They rely on the client's private ``_Call``, ``_auth``, ``_headers``, ``_timeout``, ``_send`` and
``_new_transport`` seams; if those change, their rows in the table say so.

``compiled_type_check`` is a step rather than a client: ``_responses._check``'s type check as one
predicate per model, timed by ``bench.profiling`` against the client's own.
"""

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, cast
from urllib.parse import quote

import aiohttp
import attrs
import binance_orderlist_api.models as generated_models
import httpx
import yarl
from attrs import frozen
from binance_orderlist import AsyncSpotClient
from binance_orderlist._client import QUERY_SAFE, _Call
from binance_orderlist_api.models import TimeUnit


def _as_httpx_error(error: Exception) -> httpx.HTTPError:
    """The httpx error the client's ``_transport_error`` expects: only aiohttp's ``ClientConnectorError``
    means nothing was sent (``_reached_the_server`` looks at the cause); any other failure may have
    happened after the request left."""
    if isinstance(error, aiohttp.ClientConnectorError):
        return httpx.ConnectError(str(error))
    return httpx.ReadError(f"{type(error).__name__}: {error}")


def _client_timeout(timeout: Mapping[str, float | None]) -> aiohttp.ClientTimeout:
    """httpx's timeout extension in aiohttp's terms, as httpx-aiohttp converts it."""
    return aiohttp.ClientTimeout(
        sock_connect=timeout.get("connect"), sock_read=timeout.get("read"), connect=timeout.get("pool")
    )


class LeanAiohttpTransport(httpx.AsyncBaseTransport):
    """httpx requests sent through one aiohttp session, converted as little as possible."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = aiohttp.ClientSession(auto_decompress=False)
        try:
            async with self._session.request(
                request.method,
                yarl.URL(str(request.url), encoded=True),
                headers=request.headers.multi_items(),
                data=request.content or None,
                allow_redirects=False,
                timeout=_client_timeout(request.extensions.get("timeout", {})),
            ) as answer:
                content = await answer.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise _as_httpx_error(error) from error
        return httpx.Response(answer.status, headers=answer.raw_headers, content=content, request=request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class LeanTransportClient(AsyncSpotClient):
    @staticmethod
    def _new_transport() -> httpx.AsyncBaseTransport:
        return LeanAiohttpTransport()


@frozen
class Answer:
    """What the client's response handling reads of an HTTP response: status, headers and body."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes


class AiohttpDirectClient(AsyncSpotClient):
    """The signed URL straight to aiohttp; its answer wrapped in an ``httpx.Response`` for ``_result``."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._session: aiohttp.ClientSession | None = None
        self._aiohttp_timeout = _client_timeout(self._timeout.as_dict())

    def _signed_url(self, call: _Call) -> str:
        """The URL ``_request`` builds, without the ``httpx.Request`` around it (whose constructor parses it)."""
        query = "&".join(f"{name}={quote(str(value), safe=QUERY_SAFE)}" for name, value in call.params.items())
        if call.signed:
            microseconds = call.headers.get("X-MBX-TIME-UNIT") == TimeUnit.MICROSECOND
            query = self._auth.signed_query(query, microseconds=microseconds)
        return f"{call.url}?{query}" if query else call.url

    def _response(self, status: int, headers: Mapping[str, str], raw_headers: Any, content: bytes) -> httpx.Response:
        return httpx.Response(status, headers=raw_headers, content=content)

    async def _send(self, call: _Call) -> httpx.Response:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers, auto_decompress=False)
        try:
            async with self._session.request(
                call.method,
                yarl.URL(self._signed_url(call), encoded=True),
                headers=call.headers or None,
                allow_redirects=False,
                timeout=self._aiohttp_timeout,
            ) as answer:
                content = await answer.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise self._transport_error(call, _as_httpx_error(error)) from error
        return self._response(answer.status, answer.headers, answer.raw_headers, content)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
        await super().aclose()


class AiohttpBytesClient(AiohttpDirectClient):
    """``AiohttpDirectClient`` handing ``_result`` aiohttp's status, headers and body as they are.

    The ``cast`` stands for the change it measures: typing ``_result``, ``parse_success`` and
    ``error_from_response`` with what they read (``Answer``'s three fields) instead of ``httpx.Response``.
    """

    def _response(self, status: int, headers: Mapping[str, str], raw_headers: Any, content: bytes) -> httpx.Response:
        return cast(httpx.Response, Answer(status, headers, content))


TypeCheck = Callable[[object], bool]


@functools.cache
def compiled_type_check(annotation: Any) -> TypeCheck:
    """True when a value has exactly its annotated type: ``type(value) in allowed`` per field, so a bool is
    never an int and an enum member's class (pseudo-members included) is its enum, plus list items and
    nested models. Stricter than ``_check``, which would stay to word a failure and to have the last say."""
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(annotation)
        if all(isinstance(option, type) and not attrs.has(option) for option in options):
            allowed = frozenset(options)
            return lambda value: type(value) in allowed
        option_checks = tuple(map(compiled_type_check, options))
        return lambda value: any(check(value) for check in option_checks)
    if origin is list:
        item_check = compiled_type_check(typing.get_args(annotation)[0])
        return lambda value: type(value) is list and all(map(item_check, value))
    if not attrs.has(annotation):
        return lambda value: type(value) is annotation
    hints = typing.get_type_hints(annotation, localns=vars(generated_models))
    names = [field.name for field in attrs.fields(annotation) if field.name != "additional_properties"]
    flat = tuple(
        (name, frozenset(typing.get_args(hints[name]) or (hints[name],)))
        for name in names
        if typing.get_origin(hints[name]) is not list and not attrs.has(hints[name])
    )
    nested = tuple((name, compiled_type_check(hints[name])) for name in names if name not in dict(flat))

    def check(value: object) -> bool:
        if type(value) is not annotation:
            return False
        for name, allowed in flat:
            if type(getattr(value, name)) not in allowed:
                return False
        return all(field_check(getattr(value, name)) for name, field_check in nested)

    return check


ASYNC_PROTOTYPES: Mapping[str, type[AsyncSpotClient]] = {
    "proto: own lean aiohttp transport, prebuilt request": LeanTransportClient,
    "proto: aiohttp called directly, answer as httpx.Response": AiohttpDirectClient,
    "proto: aiohttp called directly, answer as bytes (floor)": AiohttpBytesClient,
}
