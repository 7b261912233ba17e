"""Cold import time and peak RSS after one call, for one client, in a fresh process.

``python -m bench.footprint NAME BASE_URL`` times the import of the client's package before
anything else is imported (only ``sys`` and ``time``, which the interpreter has loaded already),
then builds the client, makes one verified call and reads the peak RSS. Prints one JSON line.
"""

import sys
import time

# What a user imports to use each client; "python" is the bare interpreter, for scale.
IMPORTS: dict[str, tuple[str, ...]] = {
    "python": (),
    "binance-orderlist": ("binance_orderlist",),
    "httpx": ("httpx",),
    "http.client": ("http.client",),
    "aiohttp": ("aiohttp",),
    "binance-sdk-spot": ("binance_sdk_spot.spot", "binance_common.configuration"),
    "python-binance": ("binance.client",),
    "ccxt": ("ccxt",),
}
ASYNC_ONLY = frozenset({"aiohttp"})


def main() -> None:
    name, base_url = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    for module in IMPORTS[name]:
        __import__(module)
    import_ms = (time.perf_counter() - started) * 1000
    # binance_orderlist imports asyncio only when the async client first sleeps; this shows whether the import
    # pulled it in after all.
    asyncio_imported = "asyncio" in sys.modules

    import json
    import resource

    from bench.clients import ASYNC_ADAPTERS, SYNC_ADAPTERS, Settings

    settings = Settings.for_server(base_url)
    verified = True
    if name in ASYNC_ONLY:
        import asyncio  # only here: importing it for every client would add to every client's RSS

        async def one_call() -> bool:
            call, close = await ASYNC_ADAPTERS[name](settings)
            try:
                return await call()
            finally:
                await close()

        verified = asyncio.run(one_call())
    elif name != "python":
        call, close = SYNC_ADAPTERS[name](settings)
        verified = call()
        close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "import_ms": import_ms,
                "asyncio_imported": asyncio_imported,
                "peak_rss_mb": rss_mb,
                "requests": 0 if name == "python" else 1,
                "failures": 0 if verified else 1,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
