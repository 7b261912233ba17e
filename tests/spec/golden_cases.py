"""What the golden-record test adds to a scratch copy of openapi.yaml: one parameter of the cancel per kind of
parameter Binance's API uses, and a new signed GET operation with its own response schema.

Shared by ``test_golden_record.py`` (which writes the scratch copy and runs ``make generate`` on it) and
``golden_program.py`` (which runs against that regenerated package and knows the parameters only by
their spec names, from here).
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

NEW_OPERATION_ID = "getOrderListStats"
NEW_OPERATION_PATH = "/api/v3/orderListStats"
NEW_MODEL = "OrderListStats"
NEW_ANSWER = {"symbol": "LTCBTC", "openLists": 3, "lastPrice": "0.00420000"}
NAMED_ENUM = "Speed"


@dataclass(frozen=True)
class Kind:
    """One kind of parameter: its spec, a value the client sends (and its wire text), one it refuses before
    sending, and a wire text the emulator rejects with ``code``."""

    name: str
    parameter: dict[str, Any]
    good: Any
    wire: str
    bad: Any
    bad_wire: str
    code: int = -1100
    enum_class: str | None = None
    """The generated class ``good`` is a member of (the value is then its ``.value``)."""
    cli: list[str] = field(default_factory=list)
    """How the command line writes ``good``: one word, or one per item of an array."""


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": f"{name} (this test's).", "schema": schema}


KINDS = (
    Kind(
        "inline enum",
        _query("cancelMode", {"type": "string", "enum": ["FAST", "SAFE"]}),
        "SAFE",
        "SAFE",
        "SLOW",
        "SLOW",
        enum_class="CancelOrderListCancelMode",  # openapi-python-client's name: operation + parameter
        cli=["SAFE"],
    ),
    Kind(
        "named enum",
        _query("speed", {"$ref": f"#/components/schemas/{NAMED_ENUM}"}),
        "FAST",
        "FAST",
        7,
        "fast",
        enum_class=NAMED_ENUM,
        cli=["FAST"],
    ),
    Kind(
        "string",
        {
            **_query("memo", {"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^[a-z]+$"}),
            "x-legal-range": "^[a-z]{1,8}$",
        },
        "abc",
        "abc",
        "a" * 9,
        "ABC",
        cli=["abc"],
    ),
    Kind("boolean", _query("omitZero", {"type": "boolean"}), True, "true", "true", "True", cli=["true"]),
    Kind(
        "bounded decimal",
        _query("limitPrice", {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "x-decimal-places": 2}),
        Decimal("999.99"),
        "999.99",
        1.5,  # a float: never
        "12.345",
        code=-1111,
        cli=["0.05"],
    ),
    Kind(
        "int64",
        _query("bigId", {"type": "integer", "format": "int64"}),
        2**63 - 1,
        str(2**63 - 1),
        2**63,
        str(2**63),
        cli=["42"],
    ),
    Kind(
        "int32 with a minimum",
        _query("depth", {"type": "integer", "format": "int32", "minimum": 1}),
        2**31 - 1,
        str(2**31 - 1),
        0,
        str(2**31),
        cli=["7"],
    ),
    Kind(
        "array of strings",
        _query("symbols", {"type": "array", "items": {"type": "string", "pattern": "^[A-Z0-9]{1,20}$"}, "maxItems": 3}),
        ["BTCUSDT", "BNBBTC"],
        '["BTCUSDT","BNBBTC"]',
        ["btcusdt"],
        '["A","B","C","D"]',
        cli=["BTCUSDT", "BNBBTC"],
    ),
    Kind(
        "array of integers",
        _query("orderIds", {"type": "array", "items": {"type": "integer", "format": "int64", "minimum": 0}}),
        [1, 22],
        "[1,22]",
        [-1],
        '["1"]',
        cli=["1", "22"],
    ),
    Kind(
        "header",
        {
            "name": "X-Request-Tag",
            "in": "header",
            "required": False,
            "description": "A tag (this test's).",
            "schema": {"type": "string", "pattern": "^[a-z]{1,8}$"},
        },
        "tag",
        "tag",
        "TAG",
        "TAG",
        cli=["tag"],
    ),
)


def extended(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with every kind's parameter on the cancel, and the new signed GET operation."""
    extended = copy.deepcopy(spec)
    schemas = extended["components"]["schemas"]
    schemas[NAMED_ENUM] = {"type": "string", "enum": ["FAST", "SAFE"]}
    schemas[NEW_MODEL] = {
        "type": "object",
        "description": "How many lists of a symbol are open (this test's).",
        "required": ["symbol", "openLists"],
        "properties": {
            "symbol": {"type": "string"},
            "openLists": {"type": "integer", "format": "int32"},
            "lastPrice": {"$ref": "#/components/schemas/Decimal"},
        },
    }
    extended["paths"]["/api/v3/orderList"]["delete"]["parameters"] += [kind.parameter for kind in KINDS]
    parameters = extended["components"]["parameters"]
    extended["paths"][NEW_OPERATION_PATH] = {
        "get": {
            "tags": ["trade"],
            "operationId": NEW_OPERATION_ID,
            "summary": "Order list statistics (USER_DATA, this test's)",
            "x-weight": 2,
            "security": [{"ApiKey": [], "Signature": []}],
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in ("symbol", "recvWindow")]
            + [{"$ref": "#/components/parameters/timestamp"}],
            "responses": {
                "200": {
                    "description": "The statistics.",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{NEW_MODEL}"}}},
                },
            },
        }
    }
    assert {"symbol", "recvWindow", "timestamp"} <= set(parameters)
    return extended
