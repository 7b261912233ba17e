"""The emulator as a child process on a free port, for tests, demos and benchmarks that need real HTTP."""

import select
import subprocess
import sys
import time
from types import TracebackType
from typing import IO, Literal, Self

from .control import EmulatorControl


class EmulatorProcess:
    """Starts ``python -m binance_orderlist_emulator --port 0``, reads its URL and waits until it answers.

    With ``certfile`` it serves https://; the readiness check (httpx's defaults) must then trust the certificate,
    e.g. through ``SSL_CERT_FILE``."""

    def __init__(
        self,
        *,
        response_version: Literal["newer", "older"] = "newer",
        bench: bool = False,
        startup_timeout: float = 20.0,
        stderr: IO[str] | int | None = None,
        certfile: str | None = None,
        keyfile: str | None = None,
    ) -> None:
        self._command = [sys.executable, "-m", "binance_orderlist_emulator", "--port", "0"]
        self._command += ["--response-version", response_version] + (["--bench"] if bench else [])
        self._command += (["--certfile", certfile] if certfile else []) + (["--keyfile", keyfile] if keyfile else [])
        self._startup_timeout = startup_timeout
        self._stderr = stderr
        self._process: subprocess.Popen[str] | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the emulator process has not been started")
        return self._base_url

    def start(self) -> str:
        """Start the process and return its base URL once it answers."""
        # A fixed argument list: this interpreter running this package.
        process = subprocess.Popen(self._command, stdout=subprocess.PIPE, stderr=self._stderr, text=True)  # noqa: S603
        self._process = process
        deadline = time.monotonic() + self._startup_timeout
        try:
            self._base_url = _first_line(process, deadline)
            _wait_until_ready(self._base_url, deadline)
        except BaseException:
            self.stop()
            raise
        return self._base_url

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM and wait; kill if it does not end in ``timeout`` seconds."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def _first_line(process: "subprocess.Popen[str]", deadline: float) -> str:
    assert process.stdout is not None  # stdout=PIPE
    readable, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
    line = process.stdout.readline().strip() if readable else ""
    if not line.startswith(("http://", "https://")):
        raise RuntimeError(f"the emulator did not print its URL (exit status {process.poll()}, first line {line!r})")
    return line


def _wait_until_ready(base_url: str, deadline: float) -> None:
    with EmulatorControl(base_url, timeout=1.0) as control:
        while not control.is_ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the emulator at {base_url} did not answer in time")
            time.sleep(0.05)
