"""``binance-orderlist-emulator``: serve the emulator on 127.0.0.1 and print its base URL as the first line."""

import argparse
import asyncio
import logging
import signal
from collections.abc import Sequence
from types import FrameType

from ._config import EmulatorConfig, ResponseVersion

try:
    import uvicorn

    from ._app import create_app
except ModuleNotFoundError as missing:
    from . import EXTRA_HINT

    raise SystemExit(f"binance-orderlist-emulator: {EXTRA_HINT} ({missing.name} is missing)") from None


def main(argv: Sequence[str] | None = None) -> None:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.keyfile and not arguments.certfile:
        parser.error("--keyfile needs --certfile (the certificate it is the key of)")
    version = ResponseVersion(arguments.response_version)
    config = EmulatorConfig.for_benchmark(version) if arguments.bench else EmulatorConfig(response_version=version)
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=arguments.host,
            port=arguments.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ssl_certfile=arguments.certfile,
            ssl_keyfile=arguments.keyfile,
        )
    )
    logging.getLogger("uvicorn.error").addFilter(_quiet_about_dropped_connections)
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, _exit_quietly)
    asyncio.run(_serve_and_announce(server, "https" if arguments.certfile else "http"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="binance-orderlist-emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument(
        "--response-version",
        choices=[version.value for version in ResponseVersion],
        default=ResponseVersion.NEWER.value,
        help="which seed document to behave like (default: newer)",
    )
    parser.add_argument("--bench", action="store_true", help="no request log and no rate limit, for benchmarks")
    parser.add_argument("--certfile", help="serve https:// with this PEM certificate (chain), for clients' TLS paths")
    parser.add_argument("--keyfile", help="the certificate's PEM private key (when --certfile does not hold it)")
    return parser


async def _serve_and_announce(server: uvicorn.Server, scheme: str) -> None:
    """Print the URL only once uvicorn accepts connections, so a reader of the first line can connect at once."""
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    if server.started:
        # Port 0 asks the system for a free port: the bound socket knows which one it got.
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        print(f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}", flush=True)
    await serving


def _quiet_about_dropped_connections(record: logging.LogRecord) -> bool:
    """The dropped_connection fault ends responses early on purpose; uvicorn would log each one as an error."""
    return record.getMessage() != "ASGI callable returned without completing response."


def _exit_quietly(signal_number: int, frame: FrameType | None) -> None:
    """uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal: end with status 0 then."""
    raise SystemExit(0)


if __name__ == "__main__":
    main()
