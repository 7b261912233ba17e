from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_order_list_response import CancelOrderListResponse
from ...models.error_response import ErrorResponse
from ...models.time_unit import TimeUnit
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    symbol: str,
    order_list_id: int | Unset = UNSET,
    list_client_order_id: str | Unset = UNSET,
    new_client_order_id: str | Unset = UNSET,
    recv_window: str | Unset = UNSET,
    timestamp: int,
    x_mbx_time_unit: TimeUnit | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_mbx_time_unit, Unset):
        headers["X-MBX-TIME-UNIT"] = str(x_mbx_time_unit)

    params: dict[str, Any] = {}

    params["symbol"] = symbol

    params["orderListId"] = order_list_id

    params["listClientOrderId"] = list_client_order_id

    params["newClientOrderId"] = new_client_order_id

    params["recvWindow"] = recv_window

    params["timestamp"] = timestamp

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v3/orderList",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelOrderListResponse | ErrorResponse | str | None:
    if response.status_code == 200:
        response_200 = CancelOrderListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = response.text

        return response_403

    if response.status_code == 418:
        response_418 = ErrorResponse.from_dict(response.json())

        return response_418

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CancelOrderListResponse | ErrorResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    symbol: str,
    order_list_id: int | Unset = UNSET,
    list_client_order_id: str | Unset = UNSET,
    new_client_order_id: str | Unset = UNSET,
    recv_window: str | Unset = UNSET,
    timestamp: int,
    x_mbx_time_unit: TimeUnit | Unset = UNSET,
) -> Response[CancelOrderListResponse | ErrorResponse | str]:
    """Cancel Order list (TRADE)

     Cancel an entire Order list.

    **Weight:** 1 when the request fails; 0 when the cancel succeeds (since 2026-04-02).
    **Data Source:** Matching Engine.

    Notes:

    - Either `orderListId` or `listClientOrderId` must be provided.
    - Canceling an individual order from an order list will cancel the entire order list.
    - Newer document: if both `orderListId` and `listClientOrderId` parameters are provided,
      the `orderListId` is searched first, then the `listClientOrderId` from that result is
      checked against that order. If both conditions are not met the request will be rejected.
    - Older document: if both `orderListId` and `listClientOrderId` are sent, `orderListId`
      takes precedence.
    - `timestamp` and `signature` are added by the signing step (see the security schemes);
      `signature` is always the last query parameter.
    - Binance also reads DELETE parameters from an `application/x-www-form-urlencoded` body,
      or from both (a parameter sent in both takes the query string's value; `signature` may
      be in either). This description, like this client, puts everything in the query.

    Args:
        symbol (str):
        order_list_id (int | Unset):
        list_client_order_id (str | Unset):
        new_client_order_id (str | Unset):
        recv_window (str | Unset):
        timestamp (int):
        x_mbx_time_unit (TimeUnit | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelOrderListResponse | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        order_list_id=order_list_id,
        list_client_order_id=list_client_order_id,
        new_client_order_id=new_client_order_id,
        recv_window=recv_window,
        timestamp=timestamp,
        x_mbx_time_unit=x_mbx_time_unit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    symbol: str,
    order_list_id: int | Unset = UNSET,
    list_client_order_id: str | Unset = UNSET,
    new_client_order_id: str | Unset = UNSET,
    recv_window: str | Unset = UNSET,
    timestamp: int,
    x_mbx_time_unit: TimeUnit | Unset = UNSET,
) -> CancelOrderListResponse | ErrorResponse | str | None:
    """Cancel Order list (TRADE)

     Cancel an entire Order list.

    **Weight:** 1 when the request fails; 0 when the cancel succeeds (since 2026-04-02).
    **Data Source:** Matching Engine.

    Notes:

    - Either `orderListId` or `listClientOrderId` must be provided.
    - Canceling an individual order from an order list will cancel the entire order list.
    - Newer document: if both `orderListId` and `listClientOrderId` parameters are provided,
      the `orderListId` is searched first, then the `listClientOrderId` from that result is
      checked against that order. If both conditions are not met the request will be rejected.
    - Older document: if both `orderListId` and `listClientOrderId` are sent, `orderListId`
      takes precedence.
    - `timestamp` and `signature` are added by the signing step (see the security schemes);
      `signature` is always the last query parameter.
    - Binance also reads DELETE parameters from an `application/x-www-form-urlencoded` body,
      or from both (a parameter sent in both takes the query string's value; `signature` may
      be in either). This description, like this client, puts everything in the query.

    Args:
        symbol (str):
        order_list_id (int | Unset):
        list_client_order_id (str | Unset):
        new_client_order_id (str | Unset):
        recv_window (str | Unset):
        timestamp (int):
        x_mbx_time_unit (TimeUnit | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelOrderListResponse | ErrorResponse | str
    """

    return sync_detailed(
        client=client,
        symbol=symbol,
        order_list_id=order_list_id,
        list_client_order_id=list_client_order_id,
        new_client_order_id=new_client_order_id,
        recv_window=recv_window,
        timestamp=timestamp,
        x_mbx_time_unit=x_mbx_time_unit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    symbol: str,
    order_list_id: int | Unset = UNSET,
    list_client_order_id: str | Unset = UNSET,
    new_client_order_id: str | Unset = UNSET,
    recv_window: str | Unset = UNSET,
    timestamp: int,
    x_mbx_time_unit: TimeUnit | Unset = UNSET,
) -> Response[CancelOrderListResponse | ErrorResponse | str]:
    """Cancel Order list (TRADE)

     Cancel an entire Order list.

    **Weight:** 1 when the request fails; 0 when the cancel succeeds (since 2026-04-02).
    **Data Source:** Matching Engine.

    Notes:

    - Either `orderListId` or `listClientOrderId` must be provided.
    - Canceling an individual order from an order list will cancel the entire order list.
    - Newer document: if both `orderListId` and `listClientOrderId` parameters are provided,
      the `orderListId` is searched first, then the `listClientOrderId` from that result is
      checked against that order. If both conditions are not met the request will be rejected.
    - Older document: if both `orderListId` and `listClientOrderId` are sent, `orderListId`
      takes precedence.
    - `timestamp` and `signature` are added by the signing step (see the security schemes);
      `signature` is always the last query parameter.
    - Binance also reads DELETE parameters from an `application/x-www-form-urlencoded` body,
      or from both (a parameter sent in both takes the query string's value; `signature` may
      be in either). This description, like this client, puts everything in the query.

    Args:
        symbol (str):
        order_list_id (int | Unset):
        list_client_order_id (str | Unset):
        new_client_order_id (str | Unset):
        recv_window (str | Unset):
        timestamp (int):
        x_mbx_time_unit (TimeUnit | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelOrderListResponse | ErrorResponse | str]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        order_list_id=order_list_id,
        list_client_order_id=list_client_order_id,
        new_client_order_id=new_client_order_id,
        recv_window=recv_window,
        timestamp=timestamp,
        x_mbx_time_unit=x_mbx_time_unit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    symbol: str,
    order_list_id: int | Unset = UNSET,
    list_client_order_id: str | Unset = UNSET,
    new_client_order_id: str | Unset = UNSET,
    recv_window: str | Unset = UNSET,
    timestamp: int,
    x_mbx_time_unit: TimeUnit | Unset = UNSET,
) -> CancelOrderListResponse | ErrorResponse | str | None:
    """Cancel Order list (TRADE)

     Cancel an entire Order list.

    **Weight:** 1 when the request fails; 0 when the cancel succeeds (since 2026-04-02).
    **Data Source:** Matching Engine.

    Notes:

    - Either `orderListId` or `listClientOrderId` must be provided.
    - Canceling an individual order from an order list will cancel the entire order list.
    - Newer document: if both `orderListId` and `listClientOrderId` parameters are provided,
      the `orderListId` is searched first, then the `listClientOrderId` from that result is
      checked against that order. If both conditions are not met the request will be rejected.
    - Older document: if both `orderListId` and `listClientOrderId` are sent, `orderListId`
      takes precedence.
    - `timestamp` and `signature` are added by the signing step (see the security schemes);
      `signature` is always the last query parameter.
    - Binance also reads DELETE parameters from an `application/x-www-form-urlencoded` body,
      or from both (a parameter sent in both takes the query string's value; `signature` may
      be in either). This description, like this client, puts everything in the query.

    Args:
        symbol (str):
        order_list_id (int | Unset):
        list_client_order_id (str | Unset):
        new_client_order_id (str | Unset):
        recv_window (str | Unset):
        timestamp (int):
        x_mbx_time_unit (TimeUnit | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelOrderListResponse | ErrorResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            symbol=symbol,
            order_list_id=order_list_id,
            list_client_order_id=list_client_order_id,
            new_client_order_id=new_client_order_id,
            recv_window=recv_window,
            timestamp=timestamp,
            x_mbx_time_unit=x_mbx_time_unit,
        )
    ).parsed
