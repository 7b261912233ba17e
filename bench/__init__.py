"""Benchmark of binance_orderlist against raw httpx, http.client, aiohttp and the peer clients (``make bench``)."""
