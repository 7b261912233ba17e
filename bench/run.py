"""``make bench``: our clients against raw httpx, http.client, aiohttp and the peer clients, in one run.

One lean server (``bench.server``, pinned to core 0) verifies every request's HMAC signature; each
client runs alone in a fresh subprocess pinned to core 1, so imports and memory are its own:

- sync: one reused client, ``--sync-calls`` verified calls after warm-up: CPU and wall µs per call, and
  the p50 and p99 latency of a call (one in flight);
- async: 50 calls in flight on one client, ``--async-calls`` calls: calls per second;
- footprint: cold import time and peak RSS after one call (in a fresh process);
- the CLI: the whole run of ``binance-orderlist cancel`` (a fresh process: start, import, one cancel,
  exit) against the emulator, from the clean install;
- repeated ``--reps`` times, clients interleaved; every figure is the median over repetitions, and
  its ratio to raw httpx (sync, footprint) or raw aiohttp (async) is the median of the ratios taken
  within each repetition.

The peers (binance-sdk-spot, python-binance, ccxt) are installed into their own venvs under
bench/out/venvs, as are two clean installs of this project, as a user gets it (``runtime``: with the
``aiohttp`` extra, where the footprint targets are judged; ``runtime-no-extra``: without it, so that
``AsyncSpotClient`` falls back to an ``httpx.AsyncClient`` of its own), rebuilt whenever pyproject.toml
changes, and matplotlib for the plot (``plot``).
Then ``bench.profiling`` profiles the sync client and the async one at 50 in flight.
A client that cannot be installed or pointed at the server is reported as such, not fatal.
Writes bench/out/results.json, results.md and results.png, and prints the table and the targets.
"""

import argparse
import contextlib
import functools
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
VENVS = OUT / "venvs"
DEV_PYTHON = ROOT / ".venv" / "bin" / "python" if (ROOT / ".venv" / "bin" / "python").exists() else Path(sys.executable)
SUBPROCESS_TIMEOUT = 300.0
INSTALL_TIMEOUT = 900.0
DEV = "dev"  # the project's .venv
RUNTIME = "runtime"  # a clean install of this project: runtime dependencies + the aiohttp extra
RUNTIME_NO_EXTRA = "runtime-no-extra"  # a clean install without the aiohttp extra
PLOT = "plot"
INSTALL_NOTES: dict[str, str] = {}  # why a venv holds a fallback candidate rather than the first choice


@dataclass(frozen=True)
class Venv:
    """A venv the benchmark builds for itself: what to install, tried in order until one installs. A venv of
    this project is rebuilt when pyproject.toml has changed since it was built, so that it stays a clean install
    of the current dependencies and extras."""

    name: str
    distribution: str
    candidates: tuple[tuple[str, ...], ...]
    of_this_project: bool = False


VENV_SPECS = {
    "binance-sdk-spot": Venv(
        "binance-sdk-spot", "binance-sdk-spot", (("binance-sdk-spot==13.3.0",), ("binance-sdk-spot",))
    ),
    "python-binance": Venv("python-binance", "python-binance", (("python-binance==1.0.37",),)),
    "ccxt": Venv("ccxt", "ccxt", (("ccxt==4.5.90",),)),
    RUNTIME: Venv(RUNTIME, "binance-orderlist", (("-e", f"{ROOT}[aiohttp]"),), of_this_project=True),
    RUNTIME_NO_EXTRA: Venv(RUNTIME_NO_EXTRA, "binance-orderlist", (("-e", str(ROOT)),), of_this_project=True),
    PLOT: Venv(PLOT, "matplotlib", (("matplotlib==3.11.2",), ("matplotlib",))),
}


@dataclass(frozen=True)
class Client:
    """One row of a table: the adapter name in bench.clients / bench.footprint, the venv it runs in, and the
    libraries under it whose versions the table shows (a peer shows its own)."""

    label: str
    adapter: str
    venv: str = DEV
    baseline: bool = False
    libraries: tuple[str, ...] = ()


OURS = ("binance-orderlist", "httpx")
OURS_AIOHTTP = (*OURS, "aiohttp")
SYNC_CLIENTS = (
    Client("raw httpx.Client, hand-signed (baseline)", "httpx", baseline=True, libraries=("httpx",)),
    Client("binance-orderlist SpotClient", "binance-orderlist", libraries=OURS),
    Client("binance-orderlist SpotClient(http_client=httpx.Client())", "binance-orderlist + Client()", libraries=OURS),
    Client("raw http.client, hand-signed", "http.client"),
    Client("binance-sdk-spot", "binance-sdk-spot", "binance-sdk-spot"),
    Client("python-binance", "python-binance", "python-binance"),
    Client("ccxt (rate limiter off)", "ccxt", "ccxt"),
)
ASYNC_CLIENTS = (
    Client("raw aiohttp, hand-signed (baseline)", "aiohttp", baseline=True, libraries=("aiohttp",)),
    Client(
        "binance-orderlist AsyncSpotClient (default: own aiohttp session, AiohttpSender)",
        "binance-orderlist",
        libraries=OURS_AIOHTTP,
    ),
    Client(
        "binance-orderlist AsyncSpotClient, clean install with the aiohttp extra (aiohttp only)",
        "binance-orderlist",
        RUNTIME,
        libraries=OURS_AIOHTTP,
    ),
    Client(
        "binance-orderlist AsyncSpotClient, clean install without the extra (own httpx.AsyncClient, no sniffio)",
        "binance-orderlist",
        RUNTIME_NO_EXTRA,
        libraries=OURS,
    ),
    Client(
        "binance-orderlist AsyncSpotClient(http_client=AsyncClient(transport=AiohttpTransport(no_hidden_resend)))",
        "binance-orderlist + AsyncClient(httpx-aiohttp)",
        libraries=(*OURS, "httpx-aiohttp", "aiohttp"),
    ),
    Client(
        "binance-orderlist AsyncSpotClient(http_client=httpx.AsyncClient())",
        "binance-orderlist + AsyncClient()",
        libraries=OURS,
    ),
    Client("raw httpx.AsyncClient, hand-signed", "httpx", libraries=("httpx",)),
    Client(
        "raw httpx.AsyncClient + httpx-aiohttp, hand-signed",
        "httpx + httpx-aiohttp",
        libraries=("httpx", "httpx-aiohttp", "aiohttp"),
    ),
    Client("python-binance AsyncClient", "python-binance", "python-binance"),
    Client("ccxt async (rate limiter off)", "ccxt", "ccxt"),
)
FOOTPRINT_CLIENTS = (
    Client("httpx (baseline)", "httpx", RUNTIME, baseline=True, libraries=("httpx",)),
    Client("binance-orderlist", "binance-orderlist", RUNTIME, libraries=OURS),
    Client("binance-orderlist, in the dev .venv", "binance-orderlist", libraries=OURS),
    Client("bare interpreter + the harness", "python", RUNTIME),
    Client("http.client", "http.client", RUNTIME),
    Client("aiohttp", "aiohttp", RUNTIME, libraries=("aiohttp",)),
    Client("binance-sdk-spot", "binance-sdk-spot", "binance-sdk-spot"),
    Client("python-binance", "python-binance", "python-binance"),
    Client("ccxt", "ccxt", "ccxt"),
)
PEERS = ("binance-sdk-spot", "python-binance", "ccxt")
ASYNC_PEER_LABELS = ("python-binance AsyncClient", "ccxt async (rate limiter off)")
OURS_SYNC = "binance-orderlist SpotClient"
OURS_ASYNC = ASYNC_CLIENTS[1].label
OURS_ASYNC_CLEAN_INSTALL = ASYNC_CLIENTS[2].label
OURS_FOOTPRINT = "binance-orderlist"
SYNC_CPU_TARGET = 0.95
ASYNC_RAW_TARGET = 0.80
IMPORT_TARGET_MS = 80.0
RSS_TARGET_MB = 30.0
CLI_RUNS_PER_REP = 3
CLI_LABEL = "binance-orderlist cancel (CLI, clean install), against the emulator"


# ---- venvs ---------------------------------------------------------------------------------------------------


def venv_python(venv: str) -> Path:
    return DEV_PYTHON if venv == DEV else VENVS / venv / "bin" / "python"


def installed_version(python: Path, distribution: str) -> str | None:
    if not python.exists():
        return None
    probe = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    result = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def install(spec: Venv) -> tuple[str | None, str | None]:
    """(version, None) once the venv has the distribution, else (None, why not). When a later candidate
    installs, the reasons the earlier ones did not are kept in ``INSTALL_NOTES``."""
    python = venv_python(spec.name)
    note = VENVS / spec.name / "bench-install-note.txt"
    built_from = VENVS / spec.name / "bench-pyproject.toml"
    project = (ROOT / "pyproject.toml").read_text() if spec.of_this_project else ""
    version = installed_version(python, spec.distribution)
    up_to_date = not spec.of_this_project or (built_from.exists() and built_from.read_text() == project)
    if version is not None and up_to_date:
        if note.exists():
            INSTALL_NOTES[spec.name] = note.read_text()
        return version, None
    uv = ROOT / ".venv" / "bin" / "uv"
    uv_command = str(uv) if uv.exists() else shutil.which("uv")
    target = VENVS / spec.name
    shutil.rmtree(target, ignore_errors=True)
    create = [uv_command, "venv", "-q", "--python", str(DEV_PYTHON), str(target)] if uv_command else None
    created = subprocess.run(
        create or [str(DEV_PYTHON), "-m", "venv", str(target)], capture_output=True, text=True, timeout=120, check=False
    )
    if created.returncode != 0:
        return None, f"could not create the venv: {created.stderr.strip()[-300:]}"
    errors: list[str] = []
    for candidate in spec.candidates:
        print(f"  installing {' '.join(candidate)} into bench/out/venvs/{spec.name} ...", flush=True)
        if uv_command:
            command = [uv_command, "pip", "install", "-q", "--python", str(python), *candidate]
        else:
            command = [str(python), "-m", "pip", "install", "-q", *candidate]
        result = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False)
        if result.returncode == 0:
            if spec.of_this_project:
                built_from.write_text(project)
            if errors:
                INSTALL_NOTES[spec.name] = "; ".join(errors)
                note.write_text(INSTALL_NOTES[spec.name])
            return installed_version(python, spec.distribution), None
        reason = (
            " ".join(line.strip() for line in result.stderr.strip().splitlines()[-3:]) or f"exit {result.returncode}"
        )
        errors.append(f"{' '.join(candidate)}: {reason[:400]}")
    return None, "; ".join(errors)


def compile_bytecode(python: Path) -> None:
    """Write the .pyc files a normal install has, so that import times do not include compiling sources
    (uv does not compile by default, and PYTHONDONTWRITEBYTECODE may be set)."""
    paths = subprocess.run(
        [python, "-c", "import site, sys; print('\\n'.join(site.getsitepackages()))"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout.split()
    targets = [*paths, str(ROOT / "overrides"), str(ROOT / "generated")]
    existing = [target for target in targets if Path(target).exists()]
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "2", *existing],
        capture_output=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )


# ---- the server and the measurements -------------------------------------------------------------------------


@dataclass
class Cores:
    server: int | None
    client: int | None

    @classmethod
    def pick(cls) -> "Cores":
        available = sorted(os.sched_getaffinity(0))
        if len(available) < 2:
            return cls(None, None)
        return cls(available[0], available[1])

    def flag(self, core: int | None) -> list[str]:
        return [] if core is None else ["--cpu", str(core)]


class BenchServer:
    """The bench server subprocess and its counters."""

    def __init__(self, cores: Cores) -> None:
        command = [str(DEV_PYTHON), "-m", "bench.server", "--port", "0", *cores.flag(cores.server)]
        self._process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        line = self._process.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            self._process.kill()
            raise RuntimeError(f"the bench server did not start (said {line!r})")
        self.port = int(line[1])
        self.base_url = f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/__bench/stats")
            stats: dict[str, Any] = json.loads(connection.getresponse().read())
            return stats
        finally:
            connection.close()

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()


def run_json(command: Sequence[str]) -> dict[str, Any]:
    """Run one measuring subprocess; its last stdout line is JSON, or the result says what went wrong."""
    try:
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {SUBPROCESS_TIMEOUT:.0f} s"}
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        tail = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"exit {result.returncode}: {tail[:300]}"}
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def measured(server: BenchServer, command: Sequence[str]) -> dict[str, Any]:
    """``run_json`` plus the server's view: requests it accepted and rejected, and its CPU time meanwhile."""
    before = server.stats()
    figures = run_json(command)
    after = server.stats()
    figures["server_ok"] = after["ok"] - before["ok"]
    figures["server_bad"] = after["bad"] - before["bad"]
    figures["server_cpu_s"] = after["cpu_s"] - before["cpu_s"]
    if figures["server_bad"] and after["first_bad"]:
        figures["server_first_bad"] = after["first_bad"]
    figures["verified"] = (
        "error" not in figures
        and figures.get("failures") == 0
        and figures["server_bad"] == 0
        and figures["server_ok"] == figures.get("requests")
    )
    return figures


@dataclass
class Settings:
    reps: int
    sync_calls: int
    sync_warmup: int
    async_calls: int
    async_warmup: int
    concurrency: int
    capacity_seconds: float
    profile_calls: int
    skip_peers: bool
    quick: bool


@dataclass
class Results:
    settings: Settings
    versions: dict[str, str | None] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    sync: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    async_: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    footprint: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    cli: list[dict[str, Any]] = field(default_factory=list)
    capacity: list[dict[str, Any]] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)


def rotated(clients: Sequence[Client], rep: int) -> list[Client]:
    """The clients in an order that starts one later each repetition, so no client always goes first."""
    shift = rep % len(clients)
    return [*clients[shift:], *clients[:shift]]


def measure_all(results: Results, server: BenchServer, cores: Cores) -> None:
    s = results.settings
    client_cpu = cores.flag(cores.client)

    def runnable(client: Client) -> bool:
        return client.venv not in results.unavailable

    for rep in range(s.reps):
        print(f"repetition {rep + 1}/{s.reps}", flush=True)
        for client in rotated(FOOTPRINT_CLIENTS, rep):
            if runnable(client):
                command = [str(venv_python(client.venv)), "-m", "bench.footprint", client.adapter, server.base_url]
                results.footprint.setdefault(client.label, []).append(measured(server, command))
        for client in rotated(SYNC_CLIENTS, rep):
            if runnable(client):
                command = [str(venv_python(client.venv)), "-m", "bench.worker", "sync", client.adapter, server.base_url]
                command += ["--calls", str(s.sync_calls), "--warmup", str(s.sync_warmup), *client_cpu]
                results.sync.setdefault(client.label, []).append(measured(server, command))
        for client in rotated(ASYNC_CLIENTS, rep):
            if runnable(client):
                command = [
                    str(venv_python(client.venv)),
                    "-m",
                    "bench.worker",
                    "async",
                    client.adapter,
                    server.base_url,
                ]
                command += ["--calls", str(s.async_calls), "--warmup", str(s.async_warmup)]
                command += ["--concurrency", str(s.concurrency), *client_cpu]
                results.async_.setdefault(client.label, []).append(measured(server, command))


def measure_cli(results: Results, cores: Cores) -> None:
    """The CLI's whole run for one cancel, as a user types it: a fresh process of the clean install's console
    script against the emulator (a real server process on the server core), wall time from start to exit.
    Each run cancels a list created for it, and must exit 0 with the emulator holding that list cancelled."""
    if RUNTIME in results.unavailable:
        return
    from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl

    command = [str(DEV_PYTHON), "-m", "binance_orderlist_emulator", "--port", "0"]
    taskset = ["taskset", "-c", str(cores.server)] if cores.server is not None and shutil.which("taskset") else []
    emulator = subprocess.Popen([*taskset, *command], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert emulator.stdout is not None
    base_url = emulator.stdout.readline().strip()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("BINANCE_")}
    environment |= {"BINANCE_API_KEY": DEFAULT_HMAC_API_KEY, "BINANCE_API_SECRET": DEFAULT_HMAC_SECRET_KEY}
    environment["BINANCE_BASE_URL"] = base_url
    cli = [str(VENVS / RUNTIME / "bin" / "binance-orderlist"), "cancel", "--symbol", "LTCBTC", "--order-list-id"]
    client_core = ["taskset", "-c", str(cores.client)] if taskset and cores.client is not None else []
    try:
        with EmulatorControl(base_url) as control:
            for _ in range(results.settings.reps * CLI_RUNS_PER_REP):
                created = control.create_order_list()
                started = time.perf_counter()
                run = subprocess.run(
                    [*client_core, *cli, str(created.order_list_id)],
                    env=environment,
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                )
                wall_ms = (time.perf_counter() - started) * 1e3
                cancelled = control.order_list(created.order_list_id).list_order_status == "ALL_DONE"
                results.cli.append({"wall_ms": wall_ms, "verified": run.returncode == 0 and cancelled})
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


def measure_capacity(results: Results, server: BenchServer, cores: Cores) -> None:
    """The server's own limit: raw pipelined load from the client core, 50 connections."""
    for depth in (1, 16):
        command = [
            str(DEV_PYTHON),
            "-m",
            "bench.loadgen",
            server.base_url,
            "--seconds",
            str(results.settings.capacity_seconds),
        ]
        command += ["--connections", "50", "--depth", str(depth), *cores.flag(cores.client)]
        before = server.stats()
        figures = run_json(command)
        after = server.stats()
        figures["depth"] = depth
        figures["server_cpu_per_request_us"] = (
            (after["cpu_s"] - before["cpu_s"]) / max(after["ok"] - before["ok"], 1) * 1e6
        )
        figures["server_bad"] = after["bad"] - before["bad"]
        results.capacity.append(figures)


# ---- summaries -----------------------------------------------------------------------------------------------


def median_of(reps: list[dict[str, Any]], key: str) -> float | None:
    values = [rep[key] for rep in reps if rep.get("verified") and rep.get(key) is not None]
    return statistics.median(values) if values else None


def median_ratio(reps: list[dict[str, Any]], baseline: list[dict[str, Any]], key: str) -> float | None:
    """Median over repetitions of (figure / the baseline's figure in the same repetition)."""
    ratios = [
        rep[key] / base[key]
        for rep, base in zip(reps, baseline, strict=False)
        if rep.get("verified") and base.get("verified") and rep.get(key) is not None and base.get(key)
    ]
    return statistics.median(ratios) if ratios else None


def summarize(table: dict[str, list[dict[str, Any]]], baseline_label: str, keys: Sequence[str]) -> dict[str, Any]:
    baseline = table.get(baseline_label, [])
    summary = {}
    for label, reps in table.items():
        row: dict[str, Any] = {
            "repetitions": len(reps),
            "verified_repetitions": sum(bool(rep.get("verified")) for rep in reps),
            "verified_calls": sum(rep.get("server_ok", 0) for rep in reps if rep.get("verified")),
            "failures": sorted(
                {
                    rep.get("error")
                    or rep.get("first_failure")
                    or rep.get("server_first_bad")
                    or f"server counted {rep.get('server_ok')} good and {rep.get('server_bad')} bad requests "
                    f"for {rep.get('requests')} sent"
                    for rep in reps
                    if not rep.get("verified")
                }
            ),
        }
        for key in keys:
            row[key] = median_of(reps, key)
            row[f"{key}_ratio"] = median_ratio(reps, baseline, key)
        if "calls_per_s" in keys:
            cpu_per_request = [
                rep["server_cpu_s"] / rep["server_ok"] for rep in reps if rep.get("verified") and rep["server_ok"]
            ]
            if cpu_per_request and row["calls_per_s"]:
                row["server_busy_share"] = statistics.median(cpu_per_request) * row["calls_per_s"]
        summary[label] = row
    return summary


def targets(summary: dict[str, Any]) -> list[dict[str, Any]]:
    sync, async_, footprint = summary["sync"], summary["async"], summary["footprint"]
    rows = []
    ratio = sync.get(OURS_SYNC, {}).get("cpu_us_ratio")
    rows.append(
        {
            "target": f"sync CPU per call <= {SYNC_CPU_TARGET:.2f}x raw httpx",
            "value": None if ratio is None else f"{ratio:.2f}x",
            "passed": ratio is not None and ratio <= SYNC_CPU_TARGET,
        }
    )
    peers = {
        label: async_[label]["calls_per_s"] for label in ASYNC_PEER_LABELS if async_.get(label, {}).get("calls_per_s")
    }
    best_label = max(peers, key=lambda label: peers[label]) if peers else None
    for label in (OURS_ASYNC, OURS_ASYNC_CLEAN_INSTALL):
        ours = async_.get(label, {}).get("calls_per_s")
        raw_ratio = async_.get(label, {}).get("calls_per_s_ratio")
        rows.append(
            {
                "target": f"async calls/s >= {ASYNC_RAW_TARGET:.2f}x raw aiohttp ({label})",
                "value": None if raw_ratio is None else f"{raw_ratio:.2f}x",
                "passed": raw_ratio is not None and raw_ratio >= ASYNC_RAW_TARGET,
            }
        )
        rows.append(
            {
                "target": f"async calls/s >= best peer ({label})",
                "value": None
                if ours is None or best_label is None
                else f"{ours:,.0f}/s vs {best_label} {peers[best_label]:,.0f}/s ({ours / peers[best_label]:.2f}x)",
                "passed": ours is not None and best_label is not None and ours >= peers[best_label],
            }
        )
    import_ms = footprint.get(OURS_FOOTPRINT, {}).get("import_ms")
    rows.append(
        {
            "target": f"import binance_orderlist <= {IMPORT_TARGET_MS:.0f} ms (clean install)",
            "value": None if import_ms is None else f"{import_ms:.1f} ms",
            "passed": import_ms is not None and import_ms <= IMPORT_TARGET_MS,
        }
    )
    rss = footprint.get(OURS_FOOTPRINT, {}).get("peak_rss_mb")
    rows.append(
        {
            "target": f"peak RSS after one call <= {RSS_TARGET_MB:.0f} MB (clean install)",
            "value": None if rss is None else f"{rss:.1f} MB",
            "passed": rss is not None and rss <= RSS_TARGET_MB,
        }
    )
    return rows


def cli_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    verified = [run["wall_ms"] for run in runs if run["verified"]]
    return {
        "runs": len(runs),
        "verified_runs": len(verified),
        "median_ms": statistics.median(verified) if verified else None,
        "min_ms": min(verified, default=None),
        "max_ms": max(verified, default=None),
    }


# ---- output --------------------------------------------------------------------------------------------------


def number(value: float | None, digits: int = 0, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def status(row: dict[str, Any]) -> str:
    if row["verified_repetitions"] == row["repetitions"]:
        return f"{row['verified_calls']:,} ok"
    return f"{row['verified_repetitions']}/{row['repetitions']} reps ok; " + "; ".join(row["failures"])[:200]


def markdown(report: dict[str, Any]) -> str:
    summary, settings = report["summary"], report["settings"]
    lines = [
        f"# Benchmark results ({report['date']})",
        "",
        f"Machine: {report['machine']['cpu_model']}, {report['machine']['nproc']} cores, Python "
        f"{report['machine']['python']}; server on core {report['cores']['server']}, clients on core "
        f"{report['cores']['client']}. Load average (1, 5, 15 min) "
        + " at the start, ".join(
            ", ".join(f"{load:.2f}" for load in report["load_average"][when]) for when in ("started", "finished")
        )
        + f" at the end. Medians of {settings['reps']} repetitions; ratios are medians of "
        "per-repetition ratios. `verified` counts the calls the server accepted (signature, key, timestamp) "
        "and the client parsed.",
        "",
        f"## Sync: one reused client, {settings['sync_calls']:,} calls after {settings['sync_warmup']} warm-up",
        "",
        "| client | version | CPU µs/call | × raw httpx | wall µs/call | × raw httpx | p50 µs | p99 µs | "
        "p50 × raw httpx | p99 × raw httpx | verified |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, row in summary["sync"].items():
        lines.append(
            f"| {label} | {report['client_versions'].get(label, '')} | {number(row['cpu_us'])} | "
            f"{number(row['cpu_us_ratio'], 2, 'x')} | {number(row['wall_us'])} | "
            f"{number(row['wall_us_ratio'], 2, 'x')} | {number(row['p50_us'])} | {number(row['p99_us'])} | "
            f"{number(row['p50_us_ratio'], 2, 'x')} | {number(row['p99_us_ratio'], 2, 'x')} | {status(row)} |"
        )
    lines += [
        "",
        f"## Async: {settings['concurrency']} calls in flight on one client, {settings['async_calls']:,} calls",
        "",
        "| client | version | calls/s | × raw aiohttp | CPU µs/call | server busy | verified |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, row in summary["async"].items():
        busy = row.get("server_busy_share")
        lines.append(
            f"| {label} | {report['client_versions'].get(label, '')} | {number(row['calls_per_s'])} | "
            f"{number(row['calls_per_s_ratio'], 2, 'x')} | {number(row['cpu_us'])} | "
            f"{number(None if busy is None else busy * 100, 0, ' %')} | {status(row)} |"
        )
    lines += [
        "",
        "## Cold import and peak RSS after one call (fresh process)",
        "",
        "| client | import ms | × httpx | peak RSS MB | × httpx | verified |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, row in summary["footprint"].items():
        lines.append(
            f"| {label} | {number(row['import_ms'], 1)} | {number(row['import_ms_ratio'], 2, 'x')} | "
            f"{number(row['peak_rss_mb'], 1)} | {number(row['peak_rss_mb_ratio'], 2, 'x')} | {status(row)} |"
        )
    cli = report["cli"]
    lines += [
        "",
        "## The CLI's whole run for one cancel (fresh process, against the emulator)",
        "",
        "| command | median ms | min ms | max ms | verified |",
        "|---|---:|---:|---:|---|",
        f"| {CLI_LABEL} | {number(cli['median_ms'], 1)} | {number(cli['min_ms'], 1)} | "
        f"{number(cli['max_ms'], 1)} | {cli['verified_runs']}/{cli['runs']} runs ok |",
    ]
    lines += ["", "## Server capacity (50 connections, raw sockets from the client core)", ""]
    for figures in report["capacity"]:
        if "error" in figures:
            lines.append(f"- depth {figures['depth']}: {figures['error']}")
        else:
            lines.append(
                f"- {figures['depth']} request(s) in flight per connection: {figures['requests_per_s']:,.0f} "
                f"requests/s, server CPU {figures['server_cpu_per_request_us']:.1f} µs per request"
            )
    for mode, figures in report["profile"].items():
        lines += profile_markdown(mode, figures)
    if report["unavailable"]:
        lines += ["", "## Not measured", ""]
        lines += [f"- {name}: {why}" for name, why in report["unavailable"].items()]
    if report["install_notes"]:
        lines += ["", "## Installed a fallback version", ""]
        lines += [f"- {name}: {why}" for name, why in report["install_notes"].items()]
    lines += ["", "## Targets", ""]
    lines += [
        f"- {'PASS' if row['passed'] else 'FAIL'}: {row['target']}: {row['value'] or 'not measured'}"
        for row in report["targets"]
    ]
    return "\n".join(lines) + "\n"


def profile_markdown(mode: str, figures: dict[str, Any]) -> list[str]:
    """The profile of one mode (``bench.profiling``): the breakdown by component, URL parses, step timings."""
    lines = ["", f"## Profile: {mode} (`bench/out/profile_{mode}.txt`)", ""]
    if "error" in figures:
        return [*lines, f"Not profiled: {figures['error']}"]
    profile = figures["profile"]
    in_flight = f", {profile['concurrency']} in flight" if mode == "async" else ""
    rate = f", {profile['calls_per_s_unprofiled']:,.0f} calls/s" if mode == "async" else ""
    lines += [
        f"cProfile of {profile['calls']:,} calls of `{profile['client']}`{in_flight} ({profile['failures']} failed); "
        f"unprofiled: {profile['cpu_us_per_call_unprofiled']:.0f} µs CPU per call{rate}. Exclusive time by "
        "component, as µs of the unprofiled CPU time (the profiler inflates Python-heavy code):",
        "",
        "| component | share | ≈ µs/call |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {row['share'] * 100:.1f} % | {row['us_per_call']:.1f} |"
        for name, row in profile["breakdown"].items()
    ]
    lines += ["", "| client | URL parses per call |", "|---|---|"]
    lines += [
        f"| {name} | " + ", ".join(f"{what}: {count:g}" for what, count in counts.items()) + " |"
        for name, counts in figures["url_parses"].items()
    ]
    lines += ["", "| step, timed alone (best of 5) | µs |", "|---|---:|"]
    lines += [f"| {step} | {us:.1f} |" for step, us in figures["components"].items()]
    return lines


def machine() -> dict[str, Any]:
    cpu_model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def client_versions(versions: dict[str, str | None]) -> dict[str, str]:
    """What each row ran: a peer's version, the versions of the libraries under our clients and the baselines
    (read in the row's own venv), or the Python version for the standard-library rows."""

    @functools.cache
    def version_of(venv: str, library: str) -> str:
        return installed_version(venv_python(venv), library) or "?"

    labels = {}
    for client in (*SYNC_CLIENTS, *ASYNC_CLIENTS, *FOOTPRINT_CLIENTS):
        if client.venv in PEERS:
            labels[client.label] = versions.get(client.venv) or "?"
        elif client.libraries:
            labels[client.label] = ", ".join(f"{name} {version_of(client.venv, name)}" for name in client.libraries)
        else:
            labels[client.label] = f"Python {platform.python_version()}"
    return labels


def plot(results_path: Path, available: bool) -> str:
    if not available:
        return "not drawn: matplotlib could not be installed into bench/out/venvs/plot"
    outcome = run_json([str(venv_python(PLOT)), "-m", "bench.plot", str(results_path), str(OUT / "results.png")])
    return outcome.get("error") or "bench/out/results.png"


@contextlib.contextmanager
def bench_server(cores: Cores) -> Iterator[BenchServer]:
    server = BenchServer(cores)
    try:
        yield server
    finally:
        server.stop()


def parse_settings(argv: Sequence[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run (~1-2 minutes): fewer calls and reps")
    parser.add_argument("--reps", type=int, default=None, help="repetitions (default 5, quick 2)")
    parser.add_argument("--sync-calls", type=int, default=None, help="measured sync calls (default 4000, quick 500)")
    parser.add_argument("--async-calls", type=int, default=None, help="measured async calls (default 2000, quick 500)")
    parser.add_argument("--skip-peers", action="store_true", help="measure only our clients and the baselines")
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    sync_calls = args.sync_calls or (500 if quick else 4000)
    async_calls = args.async_calls or (500 if quick else 2000)
    return Settings(
        reps=args.reps or (2 if quick else 5),
        sync_calls=sync_calls,
        sync_warmup=max(sync_calls // 10, 50),
        async_calls=async_calls,
        async_warmup=max(async_calls // 10, 100),
        concurrency=50,
        capacity_seconds=1.0 if quick else 2.0,
        profile_calls=500 if quick else 3000,
        skip_peers=args.skip_peers,
        quick=quick,
    )


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_settings(argv)
    started = time.monotonic()
    load_at_start = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    results = Results(settings)
    print("preparing venvs (the first run installs the peers, our clean installs and matplotlib)", flush=True)
    for name, spec in VENV_SPECS.items():
        if settings.skip_peers and name in PEERS:
            results.unavailable[name] = "skipped (--skip-peers)"
            continue
        version, why = install(spec)
        results.versions[name] = version
        if why is not None:
            results.unavailable[name] = why
    for venv in {DEV, RUNTIME, RUNTIME_NO_EXTRA, *PEERS} - set(results.unavailable):
        compile_bytecode(venv_python(venv))
    cores = Cores.pick()
    with bench_server(cores) as server:
        print(f"server on {server.base_url} (core {cores.server}); clients on core {cores.client}", flush=True)
        measure_capacity(results, server, cores)
        measure_all(results, server, cores)
        print("timing the CLI against the emulator", flush=True)
        measure_cli(results, cores)
        for mode in ("sync", "async"):
            print(f"profiling the {mode} path", flush=True)
            command = [str(DEV_PYTHON), "-m", "bench.profiling", mode, server.base_url]
            command += ["--calls", str(settings.profile_calls), *cores.flag(cores.client)]
            results.profile[mode] = run_json(command)
    summary = {
        "sync": summarize(results.sync, SYNC_CLIENTS[0].label, ("cpu_us", "wall_us", "p50_us", "p99_us")),
        "async": summarize(results.async_, ASYNC_CLIENTS[0].label, ("calls_per_s", "cpu_us")),
        "footprint": summarize(results.footprint, FOOTPRINT_CLIENTS[0].label, ("import_ms", "peak_rss_mb")),
    }
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "cores": {"server": cores.server, "client": cores.client},
        "settings": vars(settings),
        "versions": results.versions,
        "install_notes": INSTALL_NOTES,
        "client_versions": client_versions(results.versions),
        "unavailable": results.unavailable,
        "capacity": results.capacity,
        "summary": summary,
        "cli": cli_summary(results.cli),
        "targets": targets(summary),
        "profile": results.profile,
        "raw": {"sync": results.sync, "async": results.async_, "footprint": results.footprint, "cli": results.cli},
        "load_average": {"started": load_at_start, "finished": os.getloadavg()},
        "seconds": round(time.monotonic() - started, 1),
    }
    results_path = OUT / "results.json"
    results_path.write_text(json.dumps(report, indent=2))
    table = markdown(report)
    (OUT / "results.md").write_text(table)
    report["plot"] = plot(results_path, PLOT not in results.unavailable)
    results_path.write_text(json.dumps(report, indent=2))
    print(table)
    print(f"plot: {report['plot']}; full figures: bench/out/results.json; took {report['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
