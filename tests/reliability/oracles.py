"""Independent oracles for the fuzz tests: Binance's parameter rules and the API description's response schemas.

Written from binance-rules and openapi.yaml, never by calling the client's ``_validation``, the
generated rules (``binance_orderlist_api.operations``) or ``_responses``: a test that asked the code
under test what is valid could not fail. The parameter limits below are therefore a second copy of
openapi.yaml's on purpose. Each oracle
answers ``Verdict.VALID``/``INVALID``, or ``EITHER`` where Binance's rules say nothing: a spelling
only Python reads, such as ``"5e3"``, ``" 1"`` or NaN in a body.
"""

import enum
import json
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

OPENAPI = Path(__file__).parents[2] / "openapi.yaml"
SCHEMAS: Mapping[str, Any] = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]


class Verdict(enum.IntEnum):
    """Ordered so that the worst of several verdicts is their ``min``."""

    INVALID = 0
    EITHER = 1
    VALID = 2


# ---- request parameters (Binance's rules for DELETE /api/v3/orderList) -------------------------------------

ASCII_SYMBOL_CHARACTERS = string.ascii_uppercase + string.digits + "-_."
"""Binance's symbol range ``^[A-Z0-9-_.]{1,20}$``."""
SymbolCategory = Literal["Lu", "Lt", "Lm", "Lo", "Nd", "Nl", "No"]
NON_ASCII_SYMBOL_CATEGORIES: frozenset[SymbolCategory] = frozenset(get_args(SymbolCategory))
"""Binance now lists symbols with non-ASCII letters and digits (e.g. 币安人生USDT); never lower case."""
MAX_SYMBOL_LENGTH = 20
CLIENT_ORDER_ID_CHARACTERS = string.ascii_letters + string.digits + ".:/_-"
"""``^[.A-Z:/a-z0-9_-]{1,36}$``."""
MAX_CLIENT_ORDER_ID_LENGTH = 36
MAX_ORDER_LIST_ID = 2**63 - 1
"""orderListId is a LONG: 0 to 2**63-1."""
MAX_RECV_WINDOW_MS = 60000
RECV_WINDOW_PLACES = 3
WIRE_RECV_WINDOW = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,3})?", re.ASCII)
"""How Binance reads recvWindow on the wire: a plain decimal, at most 3 places, never ``6e3``."""
PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)


class Placeholder(enum.Enum):
    CREATED_LIST_ID = "the orderListId of the list the example creates first"


@dataclass(frozen=True)
class ParameterRuling:
    verdict: Verdict
    refusable: frozenset[str]
    """Parameters the client may name in its RequestValidationError (it stops at the first)."""
    recv_window: Decimal | None
    """The number recvWindow must carry on the wire when the call is sent (None: not sent, or unknown)."""


def is_valid_symbol(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_SYMBOL_LENGTH
        and all(_is_symbol_character(character) for character in value)
    )


def _is_symbol_character(character: str) -> bool:
    if character.isascii():
        return character in ASCII_SYMBOL_CHARACTERS
    return unicodedata.category(character) in NON_ASCII_SYMBOL_CATEGORIES and not character.islower()


def is_valid_order_list_id(value: object) -> bool:
    if value is None or value is Placeholder.CREATED_LIST_ID:
        return True
    return type(value) is int and 0 <= value <= MAX_ORDER_LIST_ID


def is_valid_client_order_id(value: object) -> bool:
    return value is None or (
        isinstance(value, str)
        and 0 < len(value) <= MAX_CLIENT_ORDER_ID_LENGTH
        and all(character in CLIENT_ORDER_ID_CHARACTERS for character in value)
    )


def _has_at_most_three_places(value: Decimal) -> bool:
    """Exactly, from the digits: no decimal context (and so no rounding) is involved."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    beyond = -exponent - RECV_WINDOW_PLACES
    return beyond <= 0 or not any(digits[-beyond:])


def _recv_window_number(value: Decimal) -> tuple[Verdict, Decimal | None]:
    if not value.is_finite() or not 0 < value <= MAX_RECV_WINDOW_MS:
        return Verdict.INVALID, None
    return (Verdict.VALID, value) if _has_at_most_three_places(value) else (Verdict.INVALID, None)


def recv_window_ruling(value: object) -> tuple[Verdict, Decimal | None]:
    """recvWindow is an int, a Decimal or a str (floats are inexact); 0 < it <= 60000, at most 3 places."""
    if value is None:
        return Verdict.VALID, None
    if type(value) is int:
        return (Verdict.VALID, Decimal(value)) if 0 < value <= MAX_RECV_WINDOW_MS else (Verdict.INVALID, None)
    if isinstance(value, Decimal):
        return _recv_window_number(value)
    if not isinstance(value, str):
        return Verdict.INVALID, None
    if PLAIN_DECIMAL.fullmatch(value):
        return _recv_window_number(Decimal(value))
    # Not Binance's spelling (" 5000", "5e3", "+5", full-width digits, "Infinity"): the rules say nothing
    # about it, so refusing is fine and so is sending the number Python's Decimal reads.
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return Verdict.INVALID, None
    verdict, wire_value = _recv_window_number(number)
    return min(verdict, Verdict.EITHER), wire_value


def rule_parameters(
    *,
    symbol: object,
    order_list_id: object,
    list_client_order_id: object,
    new_client_order_id: object,
    recv_window: object,
) -> ParameterRuling:
    refused = set()
    if not is_valid_symbol(symbol):
        refused.add("symbol")
    if not is_valid_order_list_id(order_list_id):
        refused.add("order_list_id")
    if not is_valid_client_order_id(list_client_order_id):
        refused.add("list_client_order_id")
    if not is_valid_client_order_id(new_client_order_id):
        refused.add("new_client_order_id")
    if order_list_id is None and list_client_order_id is None:
        refused.add("order_list_id")
    recv_window_verdict, wire_value = recv_window_ruling(recv_window)
    if refused or recv_window_verdict is Verdict.INVALID:
        if recv_window_verdict is not Verdict.VALID:
            refused.add("recv_window")
        return ParameterRuling(Verdict.INVALID, frozenset(refused), None)
    refusable = frozenset() if recv_window_verdict is Verdict.VALID else frozenset({"recv_window"})
    return ParameterRuling(recv_window_verdict, refusable, wire_value)


# ---- response bodies (openapi.yaml's schemas) ----------------------------------------------------------------


class _NotStrictJson(ValueError):
    pass


def _reject_constant(name: str) -> object:
    raise _NotStrictJson(name)


def decode_json(body: bytes) -> tuple[Verdict, Any]:
    """``(VALID, value)`` for RFC 8259 JSON in UTF-8; ``(EITHER, value)`` for what only Python's json reads
    (NaN, Infinity, UTF-16/32, a BOM); ``(INVALID, None)`` for anything else, and for JSON Python cannot
    read (nested deeper than its recursion limit, integers over its digit limit)."""
    try:
        return Verdict.VALID, json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        pass
    try:
        return Verdict.EITHER, json.loads(body)
    except (ValueError, RecursionError):  # ValueError: JSONDecodeError, UnicodeDecodeError, the digit limit
        return Verdict.INVALID, None


def conformance(value: object, schema: Mapping[str, Any], where: str = "") -> tuple[Verdict, list[str]]:
    """How ``value`` fits ``schema`` (the subset of JSON Schema openapi.yaml uses), with the places that decide."""
    if "$ref" in schema:
        return conformance(value, SCHEMAS[schema["$ref"].rsplit("/", 1)[1]], where)
    kind = schema.get("type")
    if kind == "object":
        return _object_conformance(value, schema, where)
    if kind == "array":
        return _array_conformance(value, schema, where)
    if kind == "integer":
        if type(value) is not int:
            return Verdict.INVALID, [f"{where}: not an integer"]
        if not -(2**63) <= value < 2**63:
            return Verdict.EITHER, [f"{where}: outside int64 (Python's ints are unbounded)"]
        return Verdict.VALID, []
    if kind == "boolean":
        if type(value) is not bool:
            return Verdict.INVALID, [f"{where}: not a boolean"]
        return Verdict.VALID, []
    if kind == "string":
        if not isinstance(value, str):
            return Verdict.INVALID, [f"{where}: not a string"]
        if schema.get("format") == "decimal":
            return _decimal_conformance(value, where)
        # Enums are forward-compatible by design: any string is kept (ContingencyType's docstring).
        return Verdict.VALID, []
    raise AssertionError(f"the oracle does not know schema {schema}")


def _object_conformance(value: object, schema: Mapping[str, Any], where: str) -> tuple[Verdict, list[str]]:
    if not isinstance(value, dict):
        return Verdict.INVALID, [f"{where}: not an object"]
    verdict, notes = Verdict.VALID, list[str]()
    for name in schema.get("required", []):
        if name not in value:
            verdict, notes = Verdict.INVALID, [*notes, f"{where}.{name}: missing"]
    for name, property_schema in schema.get("properties", {}).items():
        if name in value:
            property_verdict, property_notes = conformance(value[name], property_schema, f"{where}.{name}")
            verdict, notes = min(verdict, property_verdict), notes + property_notes
    return verdict, notes  # other properties are allowed: Binance adds fields


def _array_conformance(value: object, schema: Mapping[str, Any], where: str) -> tuple[Verdict, list[str]]:
    if not isinstance(value, list):
        return Verdict.INVALID, [f"{where}: not an array"]
    verdict, notes = Verdict.VALID, list[str]()
    for index, item in enumerate(value):
        item_verdict, item_notes = conformance(item, schema["items"], f"{where}[{index}]")
        verdict, notes = min(verdict, item_verdict), notes + item_notes
    return verdict, notes


def _decimal_conformance(value: str, where: str) -> tuple[Verdict, list[str]]:
    if re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", value, re.ASCII):
        return Verdict.VALID, []
    try:
        readable = Decimal(value).is_finite()
    except InvalidOperation:
        readable = False
    if readable:  # " 1", "1e3", ".5", Arabic-Indic digits: Python reads them, the description does not say
        return Verdict.EITHER, [f"{where}: {value!r} is a decimal only to Python"]
    return Verdict.INVALID, [f"{where}: {value!r} is not a decimal number"]


def body_ruling(body: bytes, schema_name: str) -> tuple[Verdict, Any, list[str]]:
    """Whether a 200 body must parse (VALID), must be refused (INVALID) or may go either way."""
    json_verdict, value = decode_json(body)
    if json_verdict is Verdict.INVALID:
        return Verdict.INVALID, None, ["not JSON"]
    verdict, notes = conformance(value, SCHEMAS[schema_name])
    return min(verdict, json_verdict), value, notes


def error_code(value: object) -> tuple[int, str] | None:
    """Binance's ``{"code": int, "msg": str}`` from a decoded error body, if it is one."""
    if not isinstance(value, dict):
        return None
    code, msg = value.get("code"), value.get("msg")
    if type(code) is not int or not isinstance(msg, str):
        return None
    return code, msg
