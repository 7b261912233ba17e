"""binance-connector: ``Spot.cancel_oco_order``, DELETE /api/v3/orderList with everything in the query."""

from typing import Any

from binance.error import ClientError  # type: ignore[import-not-found]
from binance.spot import Spot  # type: ignore[import-not-found]

from tests.interop.drivers._job import Cancel, Peer, Scenario, run


def client_for(scenario: Scenario) -> Any:
    key = scenario["key"]
    credentials = {"api_secret": key["secret"]} if key["type"] == "HMAC" else {"private_key": key["pem"]}
    return Spot(scenario["api_key"], base_url=scenario["base_url"], time_unit=scenario["time_unit"], **credentials)


def cancel(client: Any, request: Cancel) -> Any:
    parameters = dict(request)
    return client.cancel_oco_order(parameters.pop("symbol"), **parameters)


if __name__ == "__main__":
    run(Peer(client_for, cancel, (ClientError,), lambda error: getattr(error, "error_code", None)))
