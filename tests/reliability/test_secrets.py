"""Secret safety: with every logger at DEBUG, nothing the client logs, shows or raises carries a secret.

A representative workload runs against the emulator as a real server: cancels with each key kind,
sync and async (also over aiohttp), every error class including injected faults, retries, a clock
re-synchronisation, and the CLI as a subprocess with its secrets in the environment. Then every log
record (a handler on the root logger at DEBUG), every repr and str of clients, signers and errors
(their chained httpx causes and tracebacks included) and the CLI's output are scanned for the HMAC
secrets, the private keys (PEM, each base64 line, the raw key), the key password and every signature
the emulator received. ``test_the_scan_finds_a_secret_logged_on_purpose`` proves the scan can fail.
"""

import asyncio
import base64
import logging
import os
import secrets
import subprocess
import sys
import traceback
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import binance_orderlist
import binance_orderlist_api
import httpx
import pytest
from binance_orderlist import AsyncSpotClient, Ed25519Signer, HmacSigner, RsaSigner, SpotClient, errors
from binance_orderlist._signing import Signer, signer_from_private_key
from binance_orderlist_emulator import EmulatorControl, FaultKind
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from ..overrides.keys import pem_of, public_pem_of
from ..ports import refused_port
from .drivers import ASYNC_PATHS, driving, safe_aiohttp_transport
from .hostile import Exchange, hostile, respond, send_raw

SYMBOL = "BNBUSDT"
ORDER_LIST_PATH = "/api/v3/orderList"
MIN_PEM_LINE = 16
"""Shorter base64 lines (a PEM's last one may be ``==``) are too common to be evidence."""


@dataclass
class Keys:
    """Fresh key material for this module only, so a match can only be a leak of it."""

    hmac_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    wrong_hmac_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    ed25519_key: ed25519.Ed25519PrivateKey = field(default_factory=ed25519.Ed25519PrivateKey.generate)
    rsa_key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    pems: dict[str, bytes] = field(init=False)
    """By key kind, plain and ``encrypted``: made once, as each encryption draws a new salt."""

    def __post_init__(self) -> None:
        keys: dict[str, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey] = {
            "Ed25519": self.ed25519_key,
            "RSA": self.rsa_key,
        }
        self.pems = {kind: pem_of(key) for kind, key in keys.items()}
        self.pems |= {f"encrypted {kind}": pem_of(key, self.password.encode()) for kind, key in keys.items()}

    def secrets(self) -> dict[str, str]:
        """Every secret by name: the HMAC secrets, the password, each PEM and its base64 lines, the raw key."""
        raw_ed25519 = self.ed25519_key.private_bytes_raw()
        found = {
            "HMAC secret": self.hmac_secret,
            "wrong HMAC secret": self.wrong_hmac_secret,
            "key password": self.password,
            "raw Ed25519 key (hex)": raw_ed25519.hex(),
            "raw Ed25519 key (base64)": base64.b64encode(raw_ed25519).decode(),
        }
        for name, pem in self.pems.items():
            text = pem.decode()
            body = [line for line in text.splitlines() if not line.startswith("-----")]
            found |= {f"{name} PEM": text}
            found |= {f"{name} PEM line {n}": line for n, line in enumerate(body) if len(line) >= MIN_PEM_LINE}
        return found


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


def signatures_received(emulator: EmulatorControl) -> dict[str, str]:
    """Every signature the emulator received, as sent (percent-encoded) and decoded."""
    found: dict[str, str] = {}
    for logged in emulator.requests():
        for part in logged.query_string.split("&"):
            if part.startswith("signature="):
                sent = part.removeprefix("signature=")
                found |= {f"signature {sent} (as sent)": sent, f"signature {sent} (decoded)": unquote(sent)}
    return found


def find_leaks(texts: Iterable[tuple[str, str]], secrets_by_name: Mapping[str, str]) -> list[str]:
    """``"<secret> in <where>"`` for every secret found in every text: empty when nothing leaked."""
    return [
        f"{name} in {where}: {text[max(0, text.find(value) - 60) : text.find(value) + 60]!r}"
        for where, text in texts
        for name, value in secrets_by_name.items()
        if value in text
    ]


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> Iterator[tuple[str, str]]:
        """What any handler could show of each record: the formatted line with its traceback, msg and args."""
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in self.records:
            where = f"log record of {record.name!r}"
            yield where, formatter.format(record)
            yield where, f"{record.msg!s} {record.args!r}"


@contextmanager
def debug_logging() -> Iterator[Records]:
    """Root, binance_orderlist (as BINANCE_ORDERLIST_LOG=debug sets it), httpx and httpcore at DEBUG, all captured."""
    handler = Records()
    loggers = [logging.getLogger(name) for name in ("", "binance_orderlist", "httpx", "httpcore")]
    levels = [logger.level for logger in loggers]
    root = loggers[0]
    root.addHandler(handler)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def error_texts(error: BaseException) -> Iterator[tuple[str, str]]:
    """str, repr, args and traceback of an error and of every exception chained to it (causes and contexts,
    suppressed ones too), each traceback formatted as error reporters do: with the repr of every local of
    every frame (``capture_locals=True``)."""
    where = f"{type(error).__name__}"
    yield where, "".join(traceback.format_exception(error))
    for seen in chained(error):
        yield f"{where} <- {type(seen).__name__}", f"{seen!s} {seen!r} {seen.args!r}"
        yield f"{where} <- {type(seen).__name__}", repr(getattr(seen, "headers", "")) + repr(getattr(seen, "body", ""))
    yield from frame_locals(error, is_library_frame, "the library's frames")


def frame_locals(
    error: BaseException, keep: Callable[[traceback.FrameSummary], bool], which: str
) -> Iterator[tuple[str, str]]:
    """The locals of the frames ``keep`` selects in the tracebacks of ``error`` and of everything chained to it,
    formatted as error reporters record them (``capture_locals=True``)."""
    pending = [traceback.TracebackException.from_exception(error, capture_locals=True)]
    formatted: set[int] = set()
    while pending:
        summary = pending.pop()
        if id(summary) in formatted:
            continue
        formatted.add(id(summary))
        kept = traceback.StackSummary.from_list([frame for frame in summary.stack if keep(frame)])
        if sys.version_info >= (3, 13):  # exc_type is deprecated there
            name: str | None = summary.exc_type_str
        else:
            name = summary.exc_type.__name__ if summary.exc_type else None
        yield f"{type(error).__name__} <- {name}, locals of {which}", "".join(kept.format())
        pending += [linked for linked in (summary.__cause__, summary.__context__) if linked is not None]


LIBRARY_PACKAGES = tuple(
    str(Path(module.__file__).parent) for module in (binance_orderlist, binance_orderlist_api) if module.__file__
)


def is_library_frame(frame: traceback.FrameSummary) -> bool:
    """A frame of the library's own code (binance_orderlist, the generated binance_orderlist_api): its locals
    are the library's to keep clean. The caller's frames and httpx's, aiohttp's or cryptography's are not."""
    return frame.filename.startswith(LIBRARY_PACKAGES)


def chained(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception reachable through ``__cause__`` and ``__context__``, each once."""
    pending, seen = [error], set[int]()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [linked for linked in (current.__cause__, current.__context__) if linked is not None]


def object_texts(thing: object) -> Iterator[tuple[str, str]]:
    yield f"repr/str of {type(thing).__name__}", f"{thing!r} {thing!s}"
    if hasattr(thing, "__dict__"):
        yield f"vars of {type(thing).__name__}", repr(vars(thing))


@dataclass
class Workload:
    """Runs calls against the emulator and keeps every client, signer and error for the scan."""

    emulator: EmulatorControl
    keys: Keys
    directory: Path
    things: list[object] = field(default_factory=list)
    raised: list[BaseException] = field(default_factory=list)
    hostile_signatures: dict[str, str] = field(default_factory=dict)
    """Signatures the hostile servers received (the emulator's own are read from its request log)."""

    def credentials(self, key_kind: str) -> tuple[str, Signer]:
        signer: Signer
        if key_kind == "hmac":
            self.emulator.register_hmac_key("secret-test-hmac", self.keys.hmac_secret)
            api_key, signer = "secret-test-hmac", HmacSigner(self.keys.hmac_secret)
        elif key_kind == "ed25519":
            self.emulator.register_ed25519_key("secret-test-ed25519", public_pem_of(self.keys.ed25519_key))
            api_key, signer = "secret-test-ed25519", Ed25519Signer(self.keys.pems["Ed25519"])
        else:
            self.emulator.register_rsa_key("secret-test-rsa", public_pem_of(self.keys.rsa_key))
            api_key, signer = "secret-test-rsa", RsaSigner(self.keys.pems["RSA"])
        self.things.append(signer)
        return api_key, signer

    def sync_client(self, key_kind: str = "hmac", **options: Any) -> SpotClient:
        api_key, signer = self.credentials(key_kind)
        client = SpotClient(api_key=api_key, signer=signer, **{"base_url": self.emulator.base_url, **options})
        self.things.append(client)
        return client

    def async_client(self, key_kind: str = "hmac", **options: Any) -> AsyncSpotClient:
        api_key, signer = self.credentials(key_kind)
        client = AsyncSpotClient(api_key=api_key, signer=signer, **{"base_url": self.emulator.base_url, **options})
        self.things.append(client)
        return client

    def open_list(self) -> int:
        return self.emulator.create_order_list(symbol=SYMBOL).order_list_id

    def expect(self, error_class: type[errors.BinanceError], action: Callable[..., object], **kwargs: Any) -> None:
        with pytest.raises(error_class) as raised:
            action(**kwargs)
        self.raised.append(raised.value)

    async def expect_async(
        self, error_class: type[errors.BinanceError], action: Callable[..., Awaitable[object]], **kwargs: Any
    ) -> None:
        with pytest.raises(error_class) as raised:
            await action(**kwargs)
        self.raised.append(raised.value)

    def fault(self, kind: FaultKind, **params: Any) -> None:
        self.emulator.add_fault(kind, path=ORDER_LIST_PATH, **params)

    def expect_fault(
        self, client: SpotClient, kind: FaultKind, error: type[errors.BinanceError], **params: Any
    ) -> None:
        """The next cancel meets the fault ``kind`` and raises ``error``."""
        self.fault(kind, **params)
        self.expect(error, client.cancel_order_list, symbol=SYMBOL, order_list_id=self.open_list())

    async def expect_fault_async(
        self, client: AsyncSpotClient, kind: FaultKind, error: type[errors.BinanceError], **params: Any
    ) -> None:
        self.fault(kind, **params)
        await self.expect_async(error, client.cancel_order_list, symbol=SYMBOL, order_list_id=self.open_list())

    def run_sync(self) -> None:
        for key_kind in ("hmac", "ed25519", "rsa"):
            with self.sync_client(key_kind) as client:
                client.cancel_order_list(symbol=SYMBOL, order_list_id=self.open_list(), recv_window=Decimal("5000.5"))
        with self.sync_client(max_retries=1) as client:
            cancelled = self.open_list()
            client.cancel_order_list(symbol=SYMBOL, order_list_id=cancelled)
            client.sync_time()
            self.expect(errors.UnknownOrderListError, client.cancel_order_list, symbol=SYMBOL, order_list_id=cancelled)
            self.expect(errors.RequestValidationError, client.cancel_order_list, symbol="ltc btc", order_list_id=1)
            self.fault(FaultKind.RATE_LIMITED, retry_after=0)  # retried at once, then cancelled
            client.cancel_order_list(symbol=SYMBOL, order_list_id=self.open_list())
            for kind, error_class, params in [
                (FaultKind.RATE_LIMITED, errors.RateLimitError, {"retry_after": 60}),
                (FaultKind.IP_BANNED, errors.IPBanError, {}),
                (FaultKind.WAF_FORBIDDEN, errors.BinanceAPIError, {}),
                (FaultKind.SERVER_ERROR_JSON, errors.UnknownExecutionStatusError, {}),
                (FaultKind.SERVER_ERROR_HTML, errors.UnknownExecutionStatusError, {}),
                (FaultKind.SERVER_ERROR_EMPTY, errors.UnknownExecutionStatusError, {}),
                (FaultKind.BACKEND_TIMEOUT, errors.UnknownExecutionStatusError, {}),
                (FaultKind.DROPPED_CONNECTION, errors.UnknownExecutionStatusError, {}),
                (FaultKind.MALFORMED_JSON, errors.ResponseDecodeError, {}),
                (FaultKind.TRUNCATED_JSON, errors.ResponseDecodeError, {}),
                (FaultKind.MISSING_FIELD, errors.ResponseDecodeError, {}),
            ]:
                self.expect_fault(client, kind, error_class, **params)
        with self.sync_client(timeout=0.3) as client:
            self.expect_fault(client, FaultKind.SLOW_RESPONSE, errors.UnknownExecutionStatusError, seconds=1)
        self.run_sync_rejections()
        self.run_clock_drift()

    def run_sync_rejections(self) -> None:
        self.emulator.register_hmac_key("secret-test-wrong", self.keys.hmac_secret)
        wrong = SpotClient(
            api_key="secret-test-wrong", signer=HmacSigner(self.keys.wrong_hmac_secret), base_url=self.emulator.base_url
        )
        unknown = SpotClient(
            api_key="nobody", signer=HmacSigner(self.keys.hmac_secret), base_url=self.emulator.base_url
        )
        refused = SpotClient(
            api_key="secret-test-hmac",
            signer=HmacSigner(self.keys.hmac_secret),
            base_url=f"http://127.0.0.1:{refused_port()}",
            max_retries=1,
        )
        self.things += [wrong, unknown, refused]
        with wrong, unknown, refused:
            self.expect(errors.InvalidSignatureError, wrong.cancel_order_list, symbol=SYMBOL, order_list_id=0)
            self.expect(errors.BinanceAPIError, unknown.cancel_order_list, symbol=SYMBOL, order_list_id=0)
            self.expect(errors.TransportError, refused.cancel_order_list, symbol=SYMBOL, order_list_id=0)
        encrypted = self.keys.pems["encrypted Ed25519"]
        self.expect(errors.ConfigurationError, Ed25519Signer, private_key_pem=encrypted, password="not the password")
        self.expect(errors.ConfigurationError, RsaSigner, private_key_pem=self.keys.pems["Ed25519"])
        self.expect(errors.ConfigurationError, HmacSigner, secret="")
        self.expect(errors.ConfigurationError, HmacSigner, secret=self.keys.hmac_secret.encode())
        self.expect(
            errors.ConfigurationError, signer_from_private_key, private_key_pem=encrypted, password="not the password"
        )
        self.run_configuration_from_the_environment()
        signer = HmacSigner(self.keys.hmac_secret)
        self.expect(errors.ConfigurationError, SpotClient, api_key="k", signer=signer, base_url="ftp://x")
        self.things.append(Ed25519Signer(encrypted, password=self.keys.password))

    def run_configuration_from_the_environment(self) -> None:
        """from_env failing with secrets in the environment: a key that does not load with the right password
        (its file cut short), and a bad base_url after an HMAC secret or an encrypted key loaded."""
        encrypted = self.keys.pems["encrypted RSA"]
        cut_short, whole = self.directory / "cut.pem", self.directory / "whole.pem"
        cut_short.write_bytes(encrypted[: len(encrypted) // 2])
        whole.write_bytes(encrypted)
        password = {"BINANCE_API_KEY": "k", "BINANCE_PRIVATE_KEY_PASSWORD": self.keys.password}
        bad_url = {"BINANCE_BASE_URL": "http://[::1"}
        for environ in [
            password | {"BINANCE_PRIVATE_KEY_FILE": str(cut_short)},
            password | {"BINANCE_PRIVATE_KEY_FILE": str(whole)} | bad_url,
            {"BINANCE_API_KEY": "k", "BINANCE_API_SECRET": self.keys.hmac_secret} | bad_url,
        ]:
            self.expect(errors.ConfigurationError, SpotClient.from_env, environ=environ)
            self.expect(errors.ConfigurationError, AsyncSpotClient.from_env, environ=environ)

    def run_clock_drift(self) -> None:
        """+30 s: one -1021, a re-synchronisation and a success; then a slow clock answer that leaves -1021."""
        self.emulator.shift_clock(30_000)
        with self.sync_client() as client:
            client.cancel_order_list(symbol=SYMBOL, order_list_id=self.open_list())
        with self.sync_client(recv_window=100) as client:
            self.emulator.add_fault(FaultKind.SLOW_RESPONSE, path="/api/v3/time", seconds=1.2)
            order_list_id = self.open_list()
            self.expect(errors.TimestampError, client.cancel_order_list, symbol=SYMBOL, order_list_id=order_list_id)
        with self.sync_client() as client:  # the resync fails: the -1021 is raised with that failure chained
            self.emulator.add_fault(FaultKind.DROPPED_CONNECTION, path="/api/v3/time")
            self.expect(errors.TimestampError, client.cancel_order_list, symbol=SYMBOL, order_list_id=self.open_list())
        self.emulator.shift_clock(0)
        with self.sync_client(max_response_bytes=100) as client:
            self.expect(
                errors.ResponseTooLargeError, client.cancel_order_list, symbol=SYMBOL, order_list_id=self.open_list()
            )

    async def run_async(self) -> None:
        async with self.async_client("ed25519", max_retries=1) as client:
            await client.cancel_order_list(symbol=SYMBOL, order_list_id=self.open_list())
            await client.sync_time()
            await self.expect_fault_async(client, FaultKind.DROPPED_CONNECTION, errors.UnknownExecutionStatusError)
            await self.expect_fault_async(client, FaultKind.SERVER_ERROR_JSON, errors.UnknownExecutionStatusError)
        async with self.async_client("rsa", timeout=0.3) as client:
            await self.expect_fault_async(
                client, FaultKind.SLOW_RESPONSE, errors.UnknownExecutionStatusError, seconds=1
            )
        async with httpx.AsyncClient(transport=safe_aiohttp_transport()) as http:
            async with self.async_client(http_client=http) as client:
                await client.cancel_order_list(symbol=SYMBOL, order_list_id=self.open_list())
                await self.expect_async(
                    errors.UnknownOrderListError, client.cancel_order_list, symbol=SYMBOL, order_list_id=10**9
                )
                await self.expect_fault_async(client, FaultKind.DROPPED_CONNECTION, errors.UnknownExecutionStatusError)
            async with self.async_client(http_client=http, timeout=0.3) as impatient:
                await self.expect_fault_async(
                    impatient, FaultKind.SLOW_RESPONSE, errors.UnknownExecutionStatusError, seconds=1
                )
        refused = self.async_client(base_url=f"http://127.0.0.1:{refused_port()}", max_retries=1)
        async with refused:
            await self.expect_async(errors.TransportError, refused.cancel_order_list, symbol=SYMBOL, order_list_id=0)
        await self.run_unparsable_answers()
        await self.run_unusable_clients()

    async def run_unusable_clients(self) -> None:
        """A closed client, and a caller's httpx.AsyncClient first used on another thread's event loop."""
        closed = self.async_client("ed25519")
        await closed.aclose()
        await self.expect_async(errors.ClientClosedError, closed.cancel_order_list, symbol=SYMBOL, order_list_id=0)
        http = httpx.AsyncClient()
        elsewhere = self.async_client(http_client=http)

        async def used_and_closed_on_its_loop() -> None:
            async with http:
                await elsewhere.sync_time()

        await asyncio.to_thread(asyncio.run, used_and_closed_on_its_loop())
        await self.expect_async(errors.ClientUnusableError, elsewhere.cancel_order_list, symbol=SYMBOL, order_list_id=0)

    async def run_unparsable_answers(self) -> None:
        """aiohttp's ClientResponseError names the signed URL: on the own session and through httpx-aiohttp."""
        with hostile(send_raw(b"HTTP/1.1 abc Broken\r\n\r\n")) as server:
            http = httpx.AsyncClient(transport=safe_aiohttp_transport())
            async with http, self.async_client(base_url=server.base_url) as own:
                for client in (own, self.async_client(base_url=server.base_url, http_client=http)):
                    await self.expect_async(
                        errors.UnknownExecutionStatusError, client.cancel_order_list, symbol=SYMBOL, order_list_id=0
                    )
            for request in server.received:
                sent = request.raw_query.split("signature=")[1]
                self.hostile_signatures |= {
                    f"signature {sent} (as sent)": sent,
                    f"signature {sent} (decoded)": unquote(sent),
                }


EVERY_ERROR_CLASS = {getattr(errors, name) for name in errors.__all__} - {errors.BinanceError}


@pytest.fixture
def workload(emulator: EmulatorControl, keys: Keys, tmp_path: Path) -> Workload:
    return Workload(emulator, keys, tmp_path)


async def test_a_whole_workload_logs_shows_and_raises_no_secret(
    workload: Workload, emulator: EmulatorControl, keys: Keys
) -> None:
    with debug_logging() as records:
        workload.run_sync()
        await workload.run_async()
    secrets_by_name = keys.secrets() | signatures_received(emulator) | workload.hostile_signatures
    assert {type(error) for error in workload.raised} >= EVERY_ERROR_CLASS, "the workload raised every error class"
    assert any(isinstance(error.__cause__, httpx.HTTPError) for error in workload.raised), "httpx causes were chained"
    assert sum(name.endswith("(as sent)") for name in secrets_by_name) >= 25, "the workload sent many signatures"
    messages = [record.getMessage() for record in records.records]
    assert any("signature=<redacted>" in message for message in messages), "httpx logged the signed URLs, redacted"
    assert {"binance_orderlist", "httpx", "httpcore.http11"} <= {record.name for record in records.records}
    texts = [
        *records.texts(),
        *(text for error in workload.raised for text in error_texts(error)),
        *(text for thing in workload.things for text in object_texts(thing)),
    ]
    assert find_leaks(texts, secrets_by_name) == []


@dataclass(frozen=True)
class CliRun:
    arguments: list[str]
    environment: dict[str, str]
    exit_code: int
    before: Callable[[], object] = lambda: None


def test_the_cli_prints_no_secret_with_debug_logging(emulator: EmulatorControl, keys: Keys, tmp_path: Path) -> None:
    workload = Workload(emulator, keys, tmp_path)
    for key_kind in ("hmac", "ed25519", "rsa"):
        workload.credentials(key_kind)
    ed25519_file, rsa_file = tmp_path / "ed25519.pem", tmp_path / "rsa.pem"
    ed25519_file.write_bytes(keys.pems["Ed25519"])
    rsa_file.write_bytes(keys.pems["encrypted RSA"])
    base = {"PATH": os.environ.get("PATH", ""), "BINANCE_ORDERLIST_LOG": "debug", "BINANCE_BASE_URL": emulator.base_url}
    hmac = base | {"BINANCE_API_KEY": "secret-test-hmac", "BINANCE_API_SECRET": keys.hmac_secret}
    rsa_env = base | {"BINANCE_API_KEY": "secret-test-rsa", "BINANCE_PRIVATE_KEY_FILE": str(rsa_file)}
    first, second, third = (workload.open_list() for _ in range(3))

    def by_id(order_list_id: int, *more: str) -> list[str]:
        return ["--order-list-id", str(order_list_id), *more]

    runs = [
        CliRun(by_id(first), hmac, 0),
        CliRun(by_id(first, "--json"), hmac, 6),
        CliRun(
            by_id(second),
            base | {"BINANCE_API_KEY": "secret-test-ed25519", "BINANCE_PRIVATE_KEY_FILE": str(ed25519_file)},
            0,
        ),
        CliRun(by_id(third, "--json"), rsa_env | {"BINANCE_PRIVATE_KEY_PASSWORD": keys.password}, 0),
        CliRun(by_id(third), rsa_env | {"BINANCE_PRIVATE_KEY_PASSWORD": "not the password"}, 4),
        CliRun(by_id(third), hmac | {"BINANCE_API_SECRET": keys.wrong_hmac_secret}, 5),
        CliRun(by_id(workload.open_list(), "--json"), hmac, 8, lambda: workload.fault(FaultKind.SERVER_ERROR_HTML)),
        CliRun(by_id(workload.open_list()), hmac, 10, lambda: workload.fault(FaultKind.MALFORMED_JSON)),
        CliRun(by_id(workload.open_list()), hmac, 0, lambda: workload.fault(FaultKind.RATE_LIMITED, retry_after=0)),
        CliRun(by_id(workload.open_list()), hmac, 0, lambda: emulator.shift_clock(30_000)),
        CliRun(by_id(0), hmac | {"BINANCE_BASE_URL": f"http://127.0.0.1:{refused_port()}"}, 9),
    ]
    outputs = []
    for run in runs:
        run.before()
        command = [sys.executable, "-m", "binance_orderlist", "cancel", "--symbol", SYMBOL, *run.arguments]
        done = subprocess.run(command, env=run.environment, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == run.exit_code, (run.arguments, done.stderr)
        outputs += [(f"CLI {run.arguments} stdout", done.stdout), (f"CLI {run.arguments} stderr", done.stderr)]
    assert "HTTP 200" in outputs[1][1], "debug logging was on in the CLI"
    assert find_leaks(outputs, keys.secrets() | signatures_received(emulator)) == []


def test_the_scan_finds_a_secret_logged_on_purpose(workload: Workload, emulator: EmulatorControl, keys: Keys) -> None:
    """The same capture and scan as above, with a signature, the secret and a key line logged deliberately."""
    secrets_by_name = keys.secrets()
    pem_line_name = next(name for name in secrets_by_name if name.startswith("Ed25519 PEM line"))
    with debug_logging() as records:
        with workload.sync_client() as client:
            client.cancel_order_list(symbol=SYMBOL, order_list_id=workload.open_list())
        (signature,) = [value for name, value in signatures_received(emulator).items() if name.endswith("(decoded)")]
        careless = logging.getLogger("reliability.careless")
        careless.debug("DELETE %s?timestamp=1&sig=%s", ORDER_LIST_PATH, signature)
        careless.info("configured with %r", keys.hmac_secret)
        careless.warning("key: %s", secrets_by_name[pem_line_name])
    error = errors.BinanceAPIError(f"rejected signature {signature}", status_code=400)
    careless_frame = raised_in_a_library_frame_holding(keys.password)
    texts = [*records.texts(), *error_texts(error), *error_texts(careless_frame)]
    leaks = find_leaks(texts, secrets_by_name | signatures_received(emulator))
    found = {leak.split(" in ")[0] for leak in leaks}
    assert {"HMAC secret", pem_line_name, f"signature {signature} (decoded)", "key password"} <= found
    assert any("BinanceAPIError" in leak for leak in leaks)
    assert any("locals of the library's frames" in leak for leak in leaks if leak.startswith("key password"))


def raised_in_a_library_frame_holding(secret: str) -> BaseException:
    """An error raised, and chained as the context of another, in a function compiled as if it were in the
    library's package, whose local holds ``secret``: what the locals scan exists to find."""
    namespace: dict[str, Any] = {}
    source = "def careless(password):\n    raise ValueError('could not use the key')\n"
    exec(compile(source, f"{LIBRARY_PACKAGES[0]}/careless.py", "exec"), namespace)  # noqa: S102 - fixed source
    try:
        try:
            namespace["careless"](secret)
        except ValueError:
            raise errors.ConfigurationError("the key could not be loaded") from None
    except errors.ConfigurationError as error:
        return error
    raise AssertionError("careless() raised nothing")


def signer_of_kind(keys: Keys, key_kind: str) -> Signer:
    if key_kind == "hmac":
        return HmacSigner(keys.hmac_secret)
    if key_kind == "ed25519":
        return Ed25519Signer(keys.pems["Ed25519"])
    if key_kind == "rsa":
        return RsaSigner(keys.pems["RSA"].decode())
    return Ed25519Signer(keys.pems["encrypted Ed25519"], keys.password)


@pytest.mark.parametrize("key_kind", ["hmac", "ed25519", "rsa", "encrypted ed25519"])
def test_signer_reprs_redact_the_key(keys: Keys, key_kind: str) -> None:
    signer = signer_of_kind(keys, key_kind)
    text = f"{signer!r} {signer!s}"
    assert "<redacted>" in text
    assert find_leaks([("signer", text)], keys.secrets()) == []


def is_not_this_tests_frame(frame: traceback.FrameSummary) -> bool:
    """Every frame (asyncio's, aiohttp's, httpx's, httpcore's, the library's) but this module's own, whose locals
    hold the server and its record of the signatures it received."""
    return frame.filename != __file__


def never_answer(exchange: Exchange) -> bool:
    """The request was read; no answer comes until the server stops."""
    exchange.server.stopping.wait()
    return False


async def interrupted(client: AsyncSpotClient, received: Callable[[], int], how: str) -> BaseException:
    """The caller's ``task.cancel()`` or ``asyncio.timeout``, once the server has read the cancel."""

    async def once_sent() -> None:
        while not received():  # noqa: ASYNC110 - the server counts in its own threads
            await asyncio.sleep(0.01)

    try:
        async with asyncio.timeout(None) as deadline:
            call = asyncio.ensure_future(client.cancel_order_list(symbol=SYMBOL, order_list_id=0))
            await once_sent()
            if how == "task.cancel()":
                call.cancel()
            else:
                deadline.reschedule(asyncio.get_running_loop().time())
            await call
    except (asyncio.CancelledError, TimeoutError) as error:
        return error
    raise AssertionError("the call was neither cancelled nor timed out")


@pytest.mark.parametrize("how", ["task.cancel()", "asyncio.timeout"])
@pytest.mark.parametrize("path", ASYNC_PATHS)
def test_a_cancelled_or_timed_out_call_leaves_no_signature_in_any_frame(path: str, how: str, keys: Keys) -> None:
    """Before: the CancelledError raised inside aiohttp (and httpcore) kept their frames, whose locals hold the
    signed URL, in the chain the caller's error reporter records; here every frame's locals are scanned."""
    with hostile(never_answer, respond()) as server, driving(path, server.base_url) as driver:

        async def interrupt(client: AsyncSpotClient) -> BaseException:
            return await interrupted(client, server.count, how)

        error: BaseException = driver.run(interrupt)
        assert server.count() == 1, "the cancel was sent once, and the call ended while the server held it"
        assert isinstance(driver.cancel(), binance_orderlist.CancelOrderListResponse), "the client works after"
        received = server.to()
    expected = asyncio.CancelledError if how == "task.cancel()" else TimeoutError
    assert type(error) is expected, error
    if how == "asyncio.timeout":
        assert isinstance(error.__cause__, asyncio.CancelledError), "as asyncio chains it"
    signatures = {f"signature {request.query['signature']}": request.query["signature"] for request in received}
    signatures |= {f"signed query {request.raw_query}": request.raw_query for request in received}
    texts = [*error_texts(error), *frame_locals(error, is_not_this_tests_frame, "every frame but this test's")]
    assert len(signatures) == 4
    assert find_leaks(texts, keys.secrets() | signatures) == []
