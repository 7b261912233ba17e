"""A client library for accessing Binance Spot Order List Cancel"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
