"""ccxt: the implicit ``private_delete_orderlist`` method of ``ccxt.binance`` (ccxt has no unified list cancel).

An Ed25519 or RSA key goes in ``secret`` as its PEM; ccxt has no time-unit option, so the header is
one of the exchange's default headers.
"""

from typing import Any

import ccxt  # type: ignore[import-not-found]

from tests.interop.drivers._job import Cancel, Peer, Scenario, code_in_text, run


def client_for(scenario: Scenario) -> Any:
    key = scenario["key"]
    exchange = ccxt.binance({"apiKey": scenario["api_key"], "secret": key.get("secret") or key["pem"]})
    api = scenario["base_url"] + "/api/v3"
    exchange.urls["api"].update(public=api, private=api)
    if scenario["time_unit"]:
        exchange.headers = {"X-MBX-TIME-UNIT": scenario["time_unit"]}
    return exchange


def cancel(client: Any, request: Cancel) -> Any:
    return client.private_delete_orderlist(dict(request))


if __name__ == "__main__":
    run(Peer(client_for, cancel, (ccxt.BaseError,), lambda error: code_in_text(str(error))))
