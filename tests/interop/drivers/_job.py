"""What every driver shares: read the scenarios from stdin, run each cancel, print one JSON line per cancel.

Drivers run in the peer client's own venv, so this module uses the standard library only. Each
driver supplies a ``Peer``: how to build the client for a scenario, how to cancel, and how to read
the client's own error.
"""

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Scenario = Mapping[str, Any]
"""``{"name", "base_url", "api_key", "key": {"type", "secret" | "pem"}, "time_unit", "cancels": [...]}``."""
Cancel = Mapping[str, Any]
"""``{"symbol", "orderListId"?, "listClientOrderId"?}``, as Binance names them."""


@dataclass(frozen=True)
class Peer:
    client_for: Callable[[Scenario], Any]
    cancel: Callable[[Any, Cancel], Mapping[str, Any]]
    error_types: tuple[type[BaseException], ...]
    """The client's own errors; anything else is a driver bug and ends the run."""
    error_code: Callable[[BaseException], int | None]


def run(peer: Peer) -> None:
    scenarios: list[Scenario] = json.load(sys.stdin)
    for scenario in scenarios:
        client = peer.client_for(scenario)
        for cancel in scenario["cancels"]:
            print(json.dumps({"scenario": scenario["name"], **_outcome(peer, client, cancel)}), flush=True)


def _outcome(peer: Peer, client: Any, cancel: Cancel) -> dict[str, Any]:
    try:
        body = peer.cancel(client, cancel)
    except peer.error_types as error:
        kind = type(error)
        return {"ok": False, "error": f"{kind.__module__}.{kind.__qualname__}", "code": peer.error_code(error)}
    fields = ("orderListId", "listClientOrderId", "symbol", "transactionTime")
    return {"ok": True, **{name: body[name] for name in fields}}


def code_in_text(text: str) -> int | None:
    """The Binance code of an error whose client kept only a message with the JSON body in it."""
    start = text.find("{")
    try:
        code = json.loads(text[start:]).get("code") if start >= 0 else None
    except ValueError:
        return None
    return code if isinstance(code, int) else None
