"""python-binance: ``Client`` in its default mode, so DELETE parameters travel in a form body.

python-binance has no spot ``cancel_order_list`` method; ``_delete`` is the call its own methods make.
It pings on start-up, so the client is built without the ping, pointed at the emulator, then pinged.
"""

from typing import Any

from binance.client import Client  # type: ignore[import-not-found]
from binance.exceptions import BinanceAPIException  # type: ignore[import-not-found]

from tests.interop.drivers._job import Cancel, Peer, Scenario, run


def client_for(scenario: Scenario) -> Any:
    key = scenario["key"]
    credentials = {"api_secret": key["secret"]} if key["type"] == "HMAC" else {"private_key": key["pem"]}
    client = Client(scenario["api_key"], ping=False, time_unit=scenario["time_unit"], **credentials)
    client.API_URL = scenario["base_url"] + "/api"
    client.ping()
    return client


def cancel(client: Any, request: Cancel) -> Any:
    return client._delete("orderList", True, data=dict(request))


if __name__ == "__main__":
    run(Peer(client_for, cancel, (BinanceAPIException,), lambda error: getattr(error, "code", None)))
