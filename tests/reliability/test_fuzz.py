"""Fuzzing: whatever a caller passes or a server answers, the client returns a result or raises its own error.

Parameters go to the emulator as a real server, through ``SpotClient`` and ``AsyncSpotClient``: a call
the oracle finds valid is sent with a signature the emulator verifies (and cancels the list the example
created first); an invalid one raises ``RequestValidationError`` before any byte is sent. Bodies come
through ``httpx.MockTransport``: a 200 parses into the model or raises ``ResponseDecodeError``; any other
status raises exactly the ``BinanceAPIError`` subclass or ``UnknownExecutionStatusError`` Binance's rules
call for.

The oracles live in ``oracles.py``. The bugs the fuzzing found have regression tests at the end.
``HYPOTHESIS_PROFILE=fuzz`` runs 10,000 examples per test (see conftest.py and docs/reliability.md).
"""

import asyncio
import copy
import decimal
import json
import string
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx
import pytest
from binance_orderlist import AsyncSpotClient, CancelOrderListResponse, HmacSigner, SpotClient
from binance_orderlist.errors import (
    BinanceAPIError,
    BinanceError,
    InvalidSignatureError,
    IPBanError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    TimestampError,
    UnknownExecutionStatusError,
    UnknownOrderListError,
)
from binance_orderlist_emulator import (
    DEFAULT_HMAC_API_KEY,
    DEFAULT_HMAC_SECRET_KEY,
    CreatedOrderList,
    EmulatorControl,
    LoggedRequest,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import FUZZING
from .oracles import (
    ASCII_SYMBOL_CHARACTERS,
    CLIENT_ORDER_ID_CHARACTERS,
    MAX_ORDER_LIST_ID,
    NON_ASCII_SYMBOL_CATEGORIES,
    SCHEMAS,
    WIRE_RECV_WINDOW,
    ParameterRuling,
    Placeholder,
    Verdict,
    body_ruling,
    conformance,
    decode_json,
    error_code,
    rule_parameters,
)

Result = TypeVar("Result")
FUZZ_TIMEOUT = pytest.mark.timeout(3600 if FUZZING else 120)
SEED_RESPONSE: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "overrides" / "seed_response.json").read_text(encoding="utf-8")
)
OLDER_SEED_RESPONSE = {
    **SEED_RESPONSE,
    "orderReports": [
        {name: value for name, value in report.items() if name != "origQuoteOrderQty"}
        for report in SEED_RESPONSE["orderReports"]
    ],
}
SEED_ERROR = {"code": -2011, "msg": "Unknown order list sent."}
PARAMETER_EXAMPLES = 400
"""At least this many parameter examples even in the default profile (about 2 s): rare limits need them."""
BODY_EXAMPLES = 1000
"""At least this many body examples in the default profile (a few seconds each, no server involved)."""
SHORT_RECV_WINDOW_MS = 100
"""Below this a valid recvWindow may expire on the way to the emulator: -1021 is then a fair answer."""


def print_tally(outcomes: Counter[str]) -> None:
    """The examples a test ran, by outcome: ``pytest -rP`` shows it (docs/reliability.md records a fuzz run)."""
    print(f"{outcomes.total()} examples:", ", ".join(f"{name} {count}" for name, count in outcomes.most_common()))


def mostly(valid: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``valid`` three times in four, so that whole valid calls are common enough to reach the server."""
    return st.integers(0, 3).flatmap(lambda pick: other if pick == 3 else valid)


# ---- (a) parameters, against the emulator as a real server --------------------------------------------------

OTHER_TYPES = st.one_of(
    st.binary(max_size=8),
    st.booleans(),
    st.floats(),
    st.lists(st.integers(), max_size=2),
    st.complex_numbers(max_magnitude=10),
)
SYMBOLS = mostly(
    st.one_of(
        st.text(alphabet=ASCII_SYMBOL_CHARACTERS, min_size=1, max_size=20),
        st.text(alphabet=ASCII_SYMBOL_CHARACTERS, min_size=20, max_size=20),
        st.text(alphabet=st.characters(categories=sorted(NON_ASCII_SYMBOL_CATEGORIES)), min_size=1, max_size=20),
        st.builds(
            str.__add__, st.sampled_from(["币安人生", "１２３４５６", "ÄÖÜ", "ǅ"]), st.sampled_from(["USDT", "BTC"])
        ),
    ),
    st.one_of(
        st.text(alphabet=st.characters(codec="ascii"), max_size=24),
        st.text(max_size=24),
        st.text(alphabet=st.characters(categories=["Cs", "Lu"]), min_size=1, max_size=4),
        st.text(alphabet=ASCII_SYMBOL_CHARACTERS, min_size=21, max_size=21),
        st.text(alphabet=ASCII_SYMBOL_CHARACTERS, min_size=21, max_size=40),
        st.none(),
        st.integers(),
        st.decimals(),
        OTHER_TYPES,
    ),
)
CLIENT_ORDER_IDS = mostly(
    st.one_of(
        st.none(),
        st.text(alphabet=CLIENT_ORDER_ID_CHARACTERS, min_size=1, max_size=36),
        st.text(alphabet=CLIENT_ORDER_ID_CHARACTERS, min_size=36, max_size=36),
    ),
    st.one_of(
        st.text(alphabet=st.characters(codec="ascii"), max_size=40),
        st.text(max_size=40),
        st.text(alphabet=CLIENT_ORDER_ID_CHARACTERS, min_size=37, max_size=37),
        st.text(alphabet=CLIENT_ORDER_ID_CHARACTERS, min_size=37, max_size=60),
        st.integers(),
        OTHER_TYPES,
    ),
)
ORDER_LIST_IDS = mostly(
    st.one_of(st.just(Placeholder.CREATED_LIST_ID), st.none(), st.integers(0, MAX_ORDER_LIST_ID)),
    st.one_of(
        st.integers(max_value=-1),
        st.integers(min_value=MAX_ORDER_LIST_ID + 1),
        st.integers(MAX_ORDER_LIST_ID - 2, MAX_ORDER_LIST_ID + 2),
        st.text(alphabet=string.digits, min_size=1, max_size=5),
        st.decimals(allow_nan=True),
        OTHER_TYPES,
    ),
)
VALID_RECV_WINDOW_DECIMALS = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(60000), places=3)
VALID_RECV_WINDOW_LIMITS = [1, 60000, *map(Decimal, ["0.001", "60000.000", "59999.999"])]
INVALID_RECV_WINDOW_LIMITS = [0, -1, 60001, *map(Decimal, ["0.0009", "60000.001", "-0", "0E+3", "6000.0001"])]
RECV_WINDOWS = mostly(
    st.one_of(
        st.none(),
        st.integers(1, 60000),
        st.sampled_from(VALID_RECV_WINDOW_LIMITS),
        st.sampled_from(VALID_RECV_WINDOW_LIMITS).map(str),
        VALID_RECV_WINDOW_DECIMALS,
        VALID_RECV_WINDOW_DECIMALS.map(str),
        VALID_RECV_WINDOW_DECIMALS.map(lambda value: value.quantize(Decimal("1E-12"))),  # trailing zeros
    ),
    st.one_of(
        st.integers(),
        st.sampled_from(INVALID_RECV_WINDOW_LIMITS),
        st.sampled_from(INVALID_RECV_WINDOW_LIMITS).map(str),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.integers(4, 40).flatmap(lambda places: st.decimals(min_value=0, max_value=60001, places=places)),
        st.text(alphabet="0123456789.-+eE_ ", max_size=12),
        st.text(max_size=10),
        st.floats(),
        st.booleans(),
        st.binary(max_size=6),
    ),
)
CANCEL_CALLS = st.fixed_dictionaries(
    {
        "symbol": SYMBOLS,
        "order_list_id": ORDER_LIST_IDS,
        "list_client_order_id": CLIENT_ORDER_IDS,
        "new_client_order_id": CLIENT_ORDER_IDS,
        "recv_window": RECV_WINDOWS,
    }
)


def check_what_was_sent(logged: list[LoggedRequest], call: dict[str, Any], ruling: ParameterRuling) -> None:
    """Every attempt reached the endpoint with a signature the emulator verified, carrying the call's values."""
    attempts = [entry for entry in logged if entry.method == "DELETE"]
    assert attempts, "a call the client accepted reached no server"
    assert all(entry.path == "/api/v3/orderList" and entry.signature_valid for entry in attempts), attempts
    sent = dict(parse_qsl(attempts[0].query_string, keep_blank_values=True))
    expected = {
        "symbol": call["symbol"],
        "orderListId": None if call["order_list_id"] is None else str(call["order_list_id"]),
        "listClientOrderId": call["list_client_order_id"],
        "newClientOrderId": call["new_client_order_id"],
    }
    assert {name: sent.get(name) for name in expected} == expected
    recv_window = sent.get("recvWindow")
    if call["recv_window"] is None:
        assert recv_window is None
    else:
        assert recv_window is not None
        assert WIRE_RECV_WINDOW.fullmatch(recv_window), recv_window
        if ruling.recv_window is not None:
            assert Decimal(recv_window) == ruling.recv_window


def outcome_of(action: Callable[[], Result]) -> Result | BinanceError:
    try:
        return action()
    except BinanceError as error:
        return error


def check_result(
    emulator: EmulatorControl, result: CancelOrderListResponse, call: dict[str, Any], created: CreatedOrderList | None
) -> None:
    """The result names the list the call named (the one the example created, if any) and that list is closed."""
    assert result.symbol == call["symbol"]
    if created is None:
        assert result.order_list_id == call["order_list_id"]
    else:
        assert (result.order_list_id, result.list_client_order_id) == (
            created.order_list_id,
            created.list_client_order_id,
        )
        assert emulator.order_list(created.order_list_id).list_order_status == "ALL_DONE"
    if call["new_client_order_id"] is not None:
        assert {report.client_order_id for report in result.order_reports} == {call["new_client_order_id"]}


def send_or_refuse(cancel: Callable[..., object], emulator: EmulatorControl, call: dict[str, Any]) -> str:
    """One example: create the list a valid call names, call, and check the outcome against the oracle."""
    ruling = rule_parameters(**call)
    created: CreatedOrderList | None = None
    if ruling.verdict is not Verdict.INVALID and call["order_list_id"] in (None, Placeholder.CREATED_LIST_ID):
        created = emulator.create_order_list(symbol=call["symbol"], list_client_order_id=call["list_client_order_id"])
    if call["order_list_id"] is Placeholder.CREATED_LIST_ID:
        call = {**call, "order_list_id": created.order_list_id if created else 0}
    match outcome_of(lambda: cancel(**call)):
        case RequestValidationError() as refusal:
            assert refusal.parameter in ruling.refusable, f"{refusal} refuses a call the rules allow ({ruling})"
            assert emulator.requests() == [], "a refused call sent a request"
            return "refused"
        case UnknownOrderListError():
            assert created is None, "the list the example created was not found"
            outcome = "unknown order list"
        case BinanceAPIError(code=-1121):
            assert created is None, "the symbol the example created a list on is unknown"
            assert call["symbol"] != "LTCBTC", "the seed list's symbol is unknown"
            outcome = "unknown symbol"
        case TimestampError():
            assert call["recv_window"] is not None
            assert Decimal(str(call["recv_window"]).strip()) < SHORT_RECV_WINDOW_MS
            outcome = "recvWindow expired"
        case CancelOrderListResponse() as result:
            check_result(emulator, result, call, created)
            outcome = "cancelled"
        case unexpected:
            raise AssertionError(f"{call} ended in {unexpected!r}")
    assert ruling.verdict is not Verdict.INVALID, f"the client sent a call the rules forbid ({ruling})"
    check_what_was_sent(emulator.requests(), call, ruling)
    return outcome


@contextmanager
def cancelling(mode: str, base_url: str) -> Iterator[Callable[..., object]]:
    """``cancel_order_list`` of a SpotClient, or of an AsyncSpotClient run to completion on one event loop."""
    options: dict[str, Any] = {
        "api_key": DEFAULT_HMAC_API_KEY,
        "signer": HmacSigner(DEFAULT_HMAC_SECRET_KEY),
        "base_url": base_url,
        "max_retries": 0,
    }
    if mode == "sync":
        with SpotClient(**options) as client:
            yield client.cancel_order_list
        return
    with asyncio.Runner() as runner:
        async_client = AsyncSpotClient(**options)
        try:
            yield lambda **call: runner.run(async_client.cancel_order_list(**call))
        finally:
            runner.run(async_client.aclose())


@FUZZ_TIMEOUT
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_any_parameters_are_verified_by_the_emulator_or_refused_before_sending(
    emulator: EmulatorControl, mode: str
) -> None:
    outcomes: Counter[str] = Counter()
    examples = max(PARAMETER_EXAMPLES, settings().max_examples)
    with cancelling(mode, emulator.base_url) as cancel:

        @given(call=CANCEL_CALLS)
        @settings(deadline=None, max_examples=examples)
        def check(call: dict[str, Any]) -> None:
            emulator.reset()  # one fixture for many examples: each starts from the seed state
            outcomes[send_or_refuse(cancel, emulator, call)] += 1

        check()
    print_tally(outcomes)
    minimum = examples // 20  # both outcomes are common: neither check can pass by never happening
    assert outcomes["refused"] >= minimum, outcomes
    assert outcomes["cancelled"] >= minimum, outcomes


# ---- (b) bodies, through httpx.MockTransport ------------------------------------------------------------------

FIELD_NAMES = sorted({name for schema in SCHEMAS.values() for name in schema.get("properties", {})})
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["", "0", "1.50000000", "OCO", "CANCELED", "LTCBTC"]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=24,
)
JsonPath = tuple[str | int, ...]
_REMOVED = object()


def paths(value: Any, prefix: JsonPath = ()) -> Iterator[JsonPath]:
    """Every place in a JSON document, the root first."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from paths(child, (*prefix, key))


def updated(value: Any, path: JsonPath, change: Callable[[Any], Any]) -> Any:
    """A copy of ``value`` with the place at ``path`` changed (``_REMOVED`` deletes it)."""
    if not path:
        new = change(value)
        return {} if new is _REMOVED else new
    head, rest = path[0], path[1:]
    copied = copy.copy(value)
    new = updated(value[head], rest, change) if rest else change(value[head])
    if new is _REMOVED:
        del copied[head]
    else:
        copied[head] = new
    return copied


def emptied(value: Any) -> Any:
    return type(value)() if isinstance(value, str | list | dict | int | float) else value


def unwrapped(value: Any) -> Any:
    if isinstance(value, dict) and value:
        return next(iter(value.values()))
    if isinstance(value, list) and value:
        return value[0]
    return value


SIMPLE_MUTATIONS: dict[str, Callable[[Any], Any]] = {
    "remove": lambda value: _REMOVED,
    "null": lambda value: None,
    "wrap in a list": lambda value: [value],
    "wrap in an object": lambda value: {"value": value},
    "stringify": json.dumps,
    "unwrap": unwrapped,
    "empty": emptied,
    "number as float": lambda value: float(value) if type(value) is int else value,
    "number as text": lambda value: str(value) if isinstance(value, int | float) else value,
    "duplicate items": lambda value: value + value if isinstance(value, list) else value,
}


@st.composite
def near_misses(draw: st.DrawFn, seeds: list[dict[str, Any]]) -> Any:
    """A seed with one to three places removed, nulled, retyped or nested wrongly."""
    document: Any = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths(document))))
        mutation = draw(st.sampled_from([*SIMPLE_MUTATIONS, "retype"]))
        change = SIMPLE_MUTATIONS.get(mutation) or (lambda value: draw(JSON_VALUES))
        document = updated(document, path, change)
    return document


def at(document: Any, path: JsonPath) -> Any:
    for key in path:
        document = document[key]
    return document


@st.composite
def conforming_documents(draw: st.DrawFn) -> Any:
    """A seed with the changes Binance may make one day: enum values it does not list yet, extra fields anywhere."""
    document: Any = draw(st.sampled_from([SEED_RESPONSE, OLDER_SEED_RESPONSE]))
    for path in list(paths(document)):
        if path and path[-1] in ("contingencyType", "listStatusType", "status", "side") and draw(st.booleans()):
            new_value = draw(st.text(max_size=12))
            document = updated(document, path, lambda value: new_value)  # noqa: B023 - called at once
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from([path for path in paths(document) if isinstance(at(document, path), dict)]))
        name = draw(st.text(min_size=1, max_size=8).filter(lambda text: text not in FIELD_NAMES))
        extra = draw(JSON_VALUES)
        document = updated(document, path, lambda value: {**value, name: extra})  # noqa: B023 - called at once
    return document


@st.composite
def spoiled_bytes(draw: st.DrawFn, seeds: list[dict[str, Any]]) -> bytes:
    """A serialised seed cut short, or with one byte changed, inserted or deleted."""
    raw = json.dumps(draw(st.sampled_from(seeds))).encode()
    at = draw(st.integers(0, len(raw) - 1))
    spoil = draw(st.sampled_from(["truncate", "change", "insert", "delete"]))
    byte = bytes([draw(st.integers(0, 255))])
    if spoil == "truncate":
        return raw[:at]
    return raw[:at] + (b"" if spoil == "delete" else byte) + raw[at + (spoil != "insert") :]


def nested(depth: int, brackets: bytes) -> bytes:
    """JSON nested ``depth`` deep; past Python's recursion limit its parser gives up."""
    opening, closing = (b"[", b"]") if brackets == b"[]" else (b'{"a":', b"}")
    return opening * depth + b"0" + closing * depth


def serialised(documents: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """JSON text; sometimes raw UTF-8 with lone surrogates passed through (not valid UTF-8)."""
    return st.builds(
        lambda document, ascii_only: json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass"),
        documents,
        st.booleans(),
    )


def bodies(seeds: list[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=64),
        serialised(JSON_VALUES),
        serialised(near_misses(seeds)),
        spoiled_bytes(seeds),
        st.builds(nested, st.integers(1, 5000), st.sampled_from([b"[]", b'{"a":}'])),
    )


SUCCESS_BODIES = st.one_of(bodies([SEED_RESPONSE, OLDER_SEED_RESPONSE]), serialised(conforming_documents()))
HEADER_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"], exclude_characters="\r\n"), max_size=12)
USAGE_HEADERS = st.dictionaries(
    st.sampled_from(["X-MBX-USED-WEIGHT-1M", "X-MBX-USED-WEIGHT-10S", "X-MBX-ORDER-COUNT-1D", "X-SAPI-USED"]),
    st.one_of(st.integers(0, 10**30).map(str), HEADER_TEXT),
    max_size=3,
)


class Answering:
    """A MockTransport handler answering every request with ``response``; counts the requests."""

    def __init__(self) -> None:
        self.response = httpx.Response(500)
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return httpx.Response(self.response.status_code, headers=self.response.headers, content=self.response.content)


def mock_client(answering: Answering) -> SpotClient:
    http = httpx.Client(transport=httpx.MockTransport(answering))
    return SpotClient(api_key="fuzz-key", signer=HmacSigner("fuzz-secret"), max_retries=0, http_client=http)


def encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.encode(), value.encode()) for name, value in headers.items()]


MAX_COUNTER_DIGITS = 18
"""A counter is an int64 Binance counts requests in: longer digit strings are not one (and int() refuses
more than 4,300 digits)."""


def check_usage(client: SpotClient, headers: dict[str, str]) -> None:
    """Usage headers with plain digits (a counter's worth) are recorded; nothing else about them may fail a call."""
    value = headers.get("X-MBX-USED-WEIGHT-1M", "").strip()
    if value.isascii() and value.isdigit() and len(value) <= MAX_COUNTER_DIGITS:
        assert client.rate_limit_usage.used_weight["1m"] == int(value)


@FUZZ_TIMEOUT
def test_any_200_body_parses_into_the_model_or_raises_response_decode_error() -> None:
    outcomes: Counter[str] = Counter()
    answering = Answering()
    with mock_client(answering) as client:

        @given(body=SUCCESS_BODIES, headers=USAGE_HEADERS)
        @settings(deadline=None, max_examples=max(BODY_EXAMPLES, settings().max_examples))
        def check(body: bytes, headers: dict[str, str]) -> None:
            answering.response = httpx.Response(200, headers=encoded(headers), content=body)
            verdict, document, notes = body_ruling(body, "CancelOrderListResponse")
            outcome = outcome_of(lambda: client.cancel_order_list(symbol="LTCBTC", order_list_id=0))
            outcomes[f"{verdict.name.lower()} body, {type(outcome).__name__}"] += 1
            match outcome:
                case ResponseDecodeError() as refusal:
                    assert verdict is not Verdict.VALID, f"refused a body that conforms: {refusal}"
                    assert (refusal.status_code, refusal.body) == (200, body)
                    assert refusal.headers.items() >= {(name.lower(), value) for name, value in headers.items()}
                case CancelOrderListResponse() as result:
                    assert verdict is not Verdict.INVALID, f"parsed a body that breaks the schema: {notes}"
                    if verdict is Verdict.VALID:
                        assert result.to_dict() == document
                case unexpected:
                    raise AssertionError(f"a 200 ended in {unexpected!r}")
            check_usage(client, headers)

        check()
    print_tally(outcomes)
    assert outcomes["valid body, CancelOrderListResponse"], outcomes
    assert outcomes["invalid body, ResponseDecodeError"], outcomes


@FUZZ_TIMEOUT
@given(body=bodies([{"serverTime": 1_700_000_000_000}]) | serialised(st.builds(dict, serverTime=st.integers())))
@settings(deadline=None)
def test_any_server_time_body_parses_or_raises_response_decode_error(body: bytes) -> None:
    answering = Answering()
    answering.response = httpx.Response(200, content=body)
    verdict, _, notes = body_ruling(body, "ServerTimeResponse")
    with mock_client(answering) as client:
        match outcome_of(client.sync_time):
            case ResponseDecodeError() as refusal:
                assert verdict is not Verdict.VALID, f"refused a body that conforms: {refusal}"
                assert refusal.body == body
            case float():
                assert verdict is not Verdict.INVALID, f"parsed a body that breaks the schema: {notes}"
            case unexpected:
                raise AssertionError(f"a 200 ended in {unexpected!r}")


ERRORS_BY_CODE: dict[int, type[BinanceAPIError]] = {
    -1021: TimestampError,
    -1022: InvalidSignatureError,
    -2011: UnknownOrderListError,
}
BACKEND_TIMEOUT = -1007


def expected_error(status: int, reading: tuple[int, str] | None) -> type[BinanceError]:
    """Binance's rules: 5XX and -1007 leave the execution unknown; 429 and 418 by status; the rest by code."""
    code = reading[0] if reading else None
    if not 400 <= status < 500 or code == BACKEND_TIMEOUT:
        return UnknownExecutionStatusError
    if status == 429:
        return RateLimitError
    if status == 418:
        return IPBanError
    return ERRORS_BY_CODE.get(code, BinanceAPIError) if code is not None else BinanceAPIError


BINANCE_ERROR = st.fixed_dictionaries(
    {"code": st.sampled_from([-1003, BACKEND_TIMEOUT, *ERRORS_BY_CODE, -1100, -2015]), "msg": st.text(max_size=20)}
)
ERROR_BODIES = st.one_of(
    *[serialised(BINANCE_ERROR)] * 3,  # the codes with their own class must come up often
    serialised(st.fixed_dictionaries({"code": JSON_SCALARS}, optional={"msg": JSON_SCALARS})),
    bodies([SEED_ERROR]),
    st.builds(lambda text: f"<html><body><h1>{text}</h1></body></html>".encode(), st.text(max_size=20)),
)
ERROR_STATUSES = st.one_of(
    st.sampled_from([400, 401, 403, 404, 418, 429, 500, 502, 503, 504]),
    st.just(400),  # Binance's usual status for a rejected request, where the code decides the class
    st.integers(400, 599),
    st.integers(201, 399),
)
RETRY_AFTER = st.one_of(
    st.integers(0, 10**6).map(str),
    st.floats(allow_nan=True).map(str),
    st.datetimes().map(lambda moment: format_datetime(moment)),
    HEADER_TEXT,
)
ERROR_HEADERS = st.fixed_dictionaries(
    {}, optional={"Retry-After": RETRY_AFTER, "Date": RETRY_AFTER, "X-MBX-USED-WEIGHT-1M": HEADER_TEXT}
)


@FUZZ_TIMEOUT
def test_any_other_status_raises_the_api_error_or_unknown_status_its_code_calls_for() -> None:
    outcomes: Counter[str] = Counter()
    answering = Answering()
    with mock_client(answering) as client:

        @given(
            status=ERROR_STATUSES,
            body=ERROR_BODIES,
            headers=ERROR_HEADERS,
        )
        @settings(deadline=None, max_examples=max(BODY_EXAMPLES, settings().max_examples))
        def check(status: int, body: bytes, headers: dict[str, str]) -> None:
            answering.response = httpx.Response(status, headers=encoded(headers), content=body)
            reading = error_code(decode_json(body)[1])
            with pytest.raises(BinanceError) as raised:
                client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
            error = raised.value
            outcomes[type(error).__name__] += 1
            assert isinstance(error, BinanceAPIError | UnknownExecutionStatusError)
            assert type(error) is expected_error(status, reading), f"HTTP {status} and {reading}"
            assert (error.status_code, error.body) == (status, body)
            assert (error.code, error.msg) == (reading or (None, None))
            assert error.headers.items() >= {(name.lower(), value) for name, value in headers.items()}
            if isinstance(error, RateLimitError | IPBanError) and headers.get("Retry-After", "").isdecimal():
                assert error.retry_after == float(headers["Retry-After"])
            check_usage(client, headers)

        check()
    print_tally(outcomes)
    assert set(outcomes) >= {"UnknownExecutionStatusError", "BinanceAPIError", "RateLimitError", "IPBanError"}


@pytest.mark.parametrize("code", [-1003, BACKEND_TIMEOUT, *ERRORS_BY_CODE, -1100, None])
@pytest.mark.parametrize("status", [400, 401, 403, 404, 418, 429, 500, 503])
def test_each_status_and_code_raises_its_class(status: int, code: int | None) -> None:
    """The rare pairs of the fuzz test above, every one: a code's own class needs a 4XX other than 418/429."""
    body = b"" if code is None else json.dumps({"code": code, "msg": "Binance says no."}).encode()
    with pytest.raises(BinanceError) as raised:
        answer_once(httpx.Response(status, content=body))()
    assert type(raised.value) is expected_error(status, None if code is None else (code, "Binance says no."))


# ---- every required field, deterministically ------------------------------------------------------------------

REQUIRED_PLACES = [
    (prefix, name)
    for prefix, schema in [
        ((), "CancelOrderListResponse"),
        (("orders", 0), "OrderListOrder"),
        (("orderReports", 1), "CancelOrderReport"),
    ]
    for name in SCHEMAS[schema]["required"]
]


@pytest.mark.parametrize("mutation", ["remove", "null", "wrap in a list", "wrap in an object"])
@pytest.mark.parametrize(
    ("prefix", "name"), REQUIRED_PLACES, ids=[".".join(map(str, (*prefix, name))) for prefix, name in REQUIRED_PLACES]
)
def test_each_required_field_removed_nulled_or_nested_wrongly_is_refused(
    prefix: JsonPath, name: str, mutation: str
) -> None:
    document = updated(SEED_RESPONSE, (*prefix, name), SIMPLE_MUTATIONS[mutation])
    assert conformance(document, SCHEMAS["CancelOrderListResponse"])[0] is Verdict.INVALID
    answering = Answering()
    answering.response = httpx.Response(200, content=json.dumps(document).encode())
    with mock_client(answering) as client, pytest.raises(ResponseDecodeError) as raised:
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    assert raised.value.body == answering.response.content


# ---- regressions: what the fuzzing found (each was a bug in overrides/, fixed there) ------------------------


def answer_once(response: httpx.Response) -> Callable[[], object]:
    answering = Answering()
    answering.response = response
    client = mock_client(answering)
    return lambda: client.cancel_order_list(symbol="LTCBTC", order_list_id=0)


DEEP = 100_000


@pytest.mark.parametrize(
    ("status", "expected"),
    [(200, ResponseDecodeError), (400, BinanceAPIError), (503, UnknownExecutionStatusError)],
)
def test_deeply_nested_json_is_refused_not_a_crash(status: int, expected: type[BinanceError]) -> None:
    """json.loads raises RecursionError, which parse_success and _error_body did not catch."""
    cancel = answer_once(httpx.Response(status, content=b"[" * DEEP + b"]" * DEEP))
    with pytest.raises(expected):
        cancel()


def seed_with(**changes: object) -> bytes:
    return json.dumps({**SEED_RESPONSE, **changes}).encode()


def test_arrays_of_pairs_are_not_read_as_objects() -> None:
    """The generated from_dict calls dict() on what stands where an object belongs: pairs became an order."""
    pairs = [[list(item) for item in order.items()] for order in SEED_RESPONSE["orders"]]
    with pytest.raises(ResponseDecodeError):
        answer_once(httpx.Response(200, content=seed_with(orders=pairs)))()


@pytest.mark.parametrize("empty", [{}, ""], ids=["object", "string"])
def test_an_empty_object_or_string_is_not_read_as_an_empty_array(empty: object) -> None:
    """The generated from_dict iterates what stands where an array belongs: {} and "" became no orders."""
    with pytest.raises(ResponseDecodeError):
        answer_once(httpx.Response(200, content=seed_with(orders=empty)))()


def test_an_array_error_body_is_not_read_as_key_value_pairs() -> None:
    """ErrorResponse.from_dict calls dict() on the body: an array of pairs became Binance's error object."""
    body = json.dumps([["code", -2011], ["msg", "Unknown order list sent."]]).encode()
    with pytest.raises(BinanceAPIError) as raised:
        answer_once(httpx.Response(400, content=body))()
    assert type(raised.value) is BinanceAPIError
    assert raised.value.code is None


def test_a_usage_header_with_a_superscript_digit_is_not_a_crash() -> None:
    """RateLimitUsage.from_headers trusted str.isdigit() (true for "²") and then int() raised ValueError."""
    headers = [(b"X-MBX-USED-WEIGHT-1M", "²".encode())]
    result = answer_once(httpx.Response(200, headers=headers, content=seed_with()))()
    assert isinstance(result, CancelOrderListResponse)


def sent_recv_window(recv_window: Decimal) -> str | None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=seed_with())

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with SpotClient(api_key="k", signer=HmacSigner("s"), http_client=http) as client:
        client.cancel_order_list(symbol="LTCBTC", order_list_id=0, recv_window=recv_window)
    sent_value: str | None = sent[0].url.params.get("recvWindow")
    return sent_value


def test_recv_window_with_more_digits_than_the_decimal_context_is_refused() -> None:
    """normalize() rounded to the context's 28 digits before the places were counted: it was sent as 1."""
    with pytest.raises(RequestValidationError):
        sent_recv_window(Decimal("1.00000000000000000000000000001"))


def test_recv_window_does_not_depend_on_the_callers_decimal_context() -> None:
    """normalize() used the caller's context: with prec=3, 6000.346 was sent as 6000."""
    with decimal.localcontext(prec=3):
        assert sent_recv_window(Decimal("6000.346")) == "6000.346"
