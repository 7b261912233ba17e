"""binance-sdk-spot (Binance's own SDK): ``rest_api.delete_order_list``.

The SDK's default timeout is 1 s with 3 retries of a DELETE; on a busy machine a retry of a cancel that
worked would come back -2011, so the driver gives it 10 s.
"""

from typing import Any

from binance_common.errors import Error  # type: ignore[import-not-found]
from binance_sdk_spot.spot import ConfigurationRestAPI, Spot  # type: ignore[import-not-found]

from tests.interop.drivers._job import Cancel, Peer, Scenario, run

_NAMES = {"symbol": "symbol", "orderListId": "order_list_id", "listClientOrderId": "list_client_order_id"}


def client_for(scenario: Scenario) -> Any:
    key = scenario["key"]
    credentials = {"api_secret": key["secret"]} if key["type"] == "HMAC" else {"private_key": key["pem"]}
    configuration = ConfigurationRestAPI(
        api_key=scenario["api_key"],
        base_path=scenario["base_url"],
        timeout=10_000,
        time_unit=scenario["time_unit"],
        **credentials,
    )
    return Spot(config_rest_api=configuration)


def cancel(client: Any, request: Cancel) -> Any:
    response = client.rest_api.delete_order_list(**{_NAMES[name]: value for name, value in request.items()})
    return response.data().model_dump(by_alias=True)


if __name__ == "__main__":
    run(Peer(client_for, cancel, (Error,), lambda error: getattr(error, "status_code", None)))
