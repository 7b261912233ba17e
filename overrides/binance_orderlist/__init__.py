"""Typed client for Binance Spot's Cancel Order list endpoint."""

from ._version import __version__

__all__ = ["__version__"]
