"""A bench-only prototype of the async change bench/RESULTS.md recommends for ``overrides/binance_orderlist/``.

``AiohttpBytesClient`` is the real ``AsyncSpotClient`` with one seam replaced, so the benchmark measures
what the change is worth in the same run as the client, the baselines and the peers. Nothing here is
meant to be imported by the package: it shows what a change saves before anyone makes it.

The client already sends its signed URL (``_url``) through its own aiohttp session (``AiohttpSender``)
and wraps aiohttp's answer in an ``httpx.Response``. The prototype's sender, ``AiohttpBytesSender``,
hands back aiohttp's status, headers and body as they are instead: ``_result``, ``parse_success`` and
``error_from_response`` read nothing else. That is the floor for a typed client over aiohttp with today's
response checks. It keeps the client's validation, signing, sending, error mapping, retries and response
checks; it relies on the private ``_new_sender`` and ``AiohttpSender._response`` seams.

``compiled_type_check`` is a step rather than a client: ``_responses._check``'s type check as one
predicate per model, timed by ``bench.profiling`` against the client's own.
"""

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, cast

import attrs
import binance_orderlist_api.models as generated_models
import httpx
from attrs import frozen
from binance_orderlist import AsyncSpotClient
from binance_orderlist._aiohttp import AiohttpSender


@frozen
class Answer:
    """What the client's response handling reads of an HTTP response: status, headers and body."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    extensions: Mapping[str, object] = attrs.field(factory=dict)
    """None of the client's response extensions (a refused body is never a floor measurement)."""


class AiohttpBytesSender(AiohttpSender):
    """``AiohttpSender`` that answers with aiohttp's status, headers and body instead of an ``httpx.Response``.

    The ``cast`` stands for the change it measures: typing ``_result``, ``parse_success`` and
    ``error_from_response`` with what they read (``Answer``'s three fields) instead of ``httpx.Response``.
    Sending and the mapping of aiohttp's errors are the client's own.
    """

    async def _response(self, *answer: Any) -> httpx.Response:
        status, headers, _raw_headers, content = answer  # AiohttpSender._response's arguments
        return cast(httpx.Response, Answer(status, headers, await content.read()))


class AiohttpBytesClient(AsyncSpotClient):
    """``AsyncSpotClient`` whose own connections are an ``AiohttpBytesSender``."""

    def _new_sender(self) -> httpx.AsyncClient | AiohttpSender:
        return AiohttpBytesSender(self._headers, self._timeout, self._max_response_bytes)


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
