"""The path a user's machine takes, with real parts: an index server, twine, pip, a fresh venv, two type checkers.

pypiserver runs on 127.0.0.1 with an htpasswd file (uploads need the password) and no fallback to
any other index. `make publish` builds, checks and uploads the package to it; the runtime
dependencies are put into the same index with `pip download`, so the fresh virtualenv installs
from that index alone (`--index-url`, nothing else). Then: import, the console script, `mypy --strict`
and `pyright` (strict) on tests/shipping/consumer.py against the installed package only, the consumer
run against the emulator, and a second upload of the same version refused. Then the pytest plugin as a user
meets it: a fresh venv with the ``emulator`` extra, pytest, pytest-xdist and pytest-asyncio runs a consumer
project (tests/shipping/plugin_consumer/), serially and with ``-n 2``; the venv without the extra, plus pytest,
runs an unrelated project untouched by the plugin.
"""

import hashlib
import importlib.metadata
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import httpx
import pytest
from binance_orderlist import __all__ as public_names
from binance_orderlist import __version__
from binance_orderlist.errors import __all__ as error_names
from binance_orderlist_emulator import DEFAULT_HMAC_API_KEY, DEFAULT_HMAC_SECRET_KEY, EmulatorControl, OrderSpec

from tests.ports import free_port
from tests.shipping.reveal import mismatches, mypy_reveals, pyright_reveals, to_reveal

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
CONSUMER = Path(__file__).with_name("consumer.py")
PLUGIN_CONSUMER = Path(__file__).with_name("plugin_consumer")
"""A desk's project whose tests use only the pytest plugin's fixtures."""
TEST_TOOLS = ["pytest", "pytest-xdist", "pytest-asyncio"]
DISTRIBUTION = "binance-orderlist"
PUBLISHER = "publisher"
PYRIGHT_CONFIG = {"typeCheckingMode": "strict", "pythonVersion": "3.11"}


@dataclass(frozen=True)
class Index:
    url: str
    packages: Path
    password: str

    @property
    def simple(self) -> str:
        return f"{self.url}/simple/"

    def twine_environment(self, password: str | None = None) -> dict[str, str]:
        return {
            **clean_environment(),
            "TWINE_REPOSITORY_URL": f"{self.url}/",
            "TWINE_USERNAME": PUBLISHER,
            "TWINE_PASSWORD": self.password if password is None else password,
        }


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    site_packages: Path
    report: Mapping[str, object]
    wheel: Path


def clean_environment() -> dict[str, str]:
    """This environment without the settings that would send pip, twine or the checkers elsewhere."""
    prefixes = ("PIP_", "TWINE_", "MYPY", "PYTHONPATH", "UV_", "VIRTUAL_ENV", "BINANCE_")
    return {name: value for name, value in os.environ.items() if not name.startswith(prefixes)}


def run(
    command: list[str], *, env: Mapping[str, str] | None = None, cwd: Path = ROOT, timeout: float = 180
) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        command, env=env or clean_environment(), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def write_htpasswd(path: Path, user: str, password: str) -> None:
    with warnings.catch_warnings():  # passlib imports the deprecated `crypt` module
        warnings.simplefilter("ignore", DeprecationWarning)
        from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]  # passlib ships no types

    htpasswd = HtpasswdFile(str(path), new=True)
    htpasswd.set_password(user, password)
    htpasswd.save()


def start_index_server(packages: Path, htpasswd: Path, log: Path) -> tuple["subprocess.Popen[bytes]", str]:
    """pypiserver on a free 127.0.0.1 port, uploads authenticated, never redirecting to another index."""
    for _ in range(5):
        port = free_port()
        command = [sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--passwords", str(htpasswd), "--authenticate", "update", "--disable-fallback", str(packages)]
        with log.open("ab") as log_file:
            server = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=clean_environment())
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == httpx.codes.OK:
                    return server, url
            except httpx.TransportError:
                time.sleep(0.1)
        stop(server)  # the port was taken in between, or it never answered: try another port
    raise RuntimeError(f"pypiserver did not start; its log:\n{log.read_text()}")


def stop(process: "subprocess.Popen[bytes]") -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def runtime_requirements(wheel: Path, extra: str | None = None) -> list[str]:
    """The wheel's own Requires-Dist: without the optional extras, or only ``extra``'s."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode())
    requirements: list[str] = metadata.get_all("Requires-Dist", [])
    if extra is None:
        return [requirement for requirement in requirements if "extra ==" not in requirement]
    extra_marker = re.compile(rf"""extra == (['"]){re.escape(extra)}\1""")
    return [requirement.split(";")[0] for requirement in requirements if extra_marker.search(requirement)]


def add_dependencies_to_index(packages: Path, scratch: Path, requirements: list[str]) -> None:
    """Wheels of ``requirements`` and theirs, at the versions this environment was tested with, into the index."""
    constraints = scratch / "constraints.txt"
    constraints.write_text(
        "".join(
            f"{dist.metadata['Name']}=={dist.version}\n"
            for dist in importlib.metadata.distributions()
            if dist.metadata["Name"] and dist.metadata["Name"].lower() != DISTRIBUTION
        )
    )
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--only-binary=:all:"]
    command += ["--dest", str(packages), "--constraint", str(constraints), *requirements]
    result = run(command, env={**os.environ, "PIP_NO_INPUT": "1"})
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    root = tmp_path_factory.mktemp("index")
    packages = root / "packages"
    packages.mkdir()
    password = secrets.token_urlsafe(24)
    write_htpasswd(root / "htpasswd", PUBLISHER, password)
    server, url = start_index_server(packages, root / "htpasswd", root / "server.log")
    try:
        yield Index(url=url, packages=packages, password=password)
    finally:
        stop(server)


@pytest.fixture(scope="module")
def published(index: Index) -> Path:
    """`make publish` (build, twine check, check_wheel, upload) to the index; the wheel it built."""
    result = run(["make", "--no-print-directory", "publish"], env=index.twine_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert index.password not in output
    assert "check_wheel: binance-orderlist" in output
    uploaded = sorted(path.name for path in index.packages.iterdir())
    assert uploaded == [f"binance_orderlist-{__version__}-py3-none-any.whl", f"binance_orderlist-{__version__}.tar.gz"]
    (wheel,) = (ROOT / "dist").glob("*.whl")
    return wheel


def install(index: Index, scratch: Path, wheel: Path, requirements: list[str]) -> Installed:
    """A fresh venv with ``requirements`` installed from the internal index and nothing else."""
    venv = scratch / "venv"
    created = run([sys.executable, "-m", "venv", str(venv)])
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    report = pip_install(index, python, scratch / "report.json", requirements)
    site_packages = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    return Installed(venv=venv, python=python, site_packages=Path(site_packages), report=report, wheel=wheel)


def pip_install(index: Index, python: Path, report_file: Path, requirements: list[str]) -> Mapping[str, object]:
    """pip's report of installing ``requirements`` from the internal index alone."""
    pip_environment = {**clean_environment(), "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INPUT": "1"}
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-cache-dir",
        "--only-binary=:all:",
    ]
    command += ["--index-url", index.simple, "--report", str(report_file), *requirements]
    result = run(command, env=pip_environment)
    assert result.returncode == 0, result.stdout + result.stderr
    report: Mapping[str, object] = json.loads(report_file.read_text())
    return report


@pytest.fixture(scope="module")
def installed(index: Index, published: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh venv with the package installed from the internal index and nothing else."""
    scratch = tmp_path_factory.mktemp("install")
    add_dependencies_to_index(index.packages, scratch, runtime_requirements(published))
    return install(index, scratch, published, [f"{DISTRIBUTION}=={__version__}"])


def test_the_package_and_every_dependency_come_from_the_internal_index(index: Index, installed: Installed) -> None:
    items = installed.report["install"]
    assert isinstance(items, list)
    sources = {item["metadata"]["name"].lower(): item["download_info"] for item in items}
    assert {"httpx", "httpcore", "attrs", "cryptography"} <= sources.keys()
    for name, download in sources.items():
        assert download["url"].startswith(f"{index.url}/"), f"{name} came from {download['url']}"
    ours = sources[DISTRIBUTION]
    assert ours["url"].endswith(installed.wheel.name)
    assert ours["archive_info"]["hashes"]["sha256"] == hashlib.sha256(installed.wheel.read_bytes()).hexdigest()


def test_publishing_the_same_version_again_fails_clearly(index: Index, published: Path) -> None:
    result = run([sys.executable, "scripts/publish.py", "dist"], env=index.twine_environment())
    assert result.returncode == 1
    assert "already exists" in result.stdout + result.stderr  # the index's own words
    assert "publish: the index already has this version of the package and refuses to overwrite it" in result.stderr
    assert index.password not in result.stdout + result.stderr
    assert len(list(index.packages.glob(f"binance_orderlist-{__version__}*"))) == 2


def test_uploads_need_the_index_password(index: Index, published: Path) -> None:
    wrong = "wrong-" + secrets.token_urlsafe(12)
    result = run([sys.executable, "scripts/publish.py", "dist"], env=index.twine_environment(password=wrong))
    assert result.returncode == 1
    assert "403" in result.stdout + result.stderr or "401" in result.stdout + result.stderr
    assert wrong not in result.stdout + result.stderr


def test_the_installed_package_imports_from_the_fresh_venv_and_its_command_runs(installed: Installed) -> None:
    probe = (
        "import json, binance_orderlist, binance_orderlist_api, binance_orderlist.errors as errors;"
        "print(json.dumps([binance_orderlist.__version__, binance_orderlist.__file__, binance_orderlist_api.__file__,"
        " binance_orderlist.__all__, errors.__all__]))"
    )
    result = run([str(installed.python), "-c", probe], cwd=installed.venv)
    assert result.returncode == 0, result.stderr
    version, package_file, generated_file, exported, exported_errors = json.loads(result.stdout)
    assert version == __version__
    assert Path(package_file).is_relative_to(installed.site_packages)
    assert Path(generated_file).is_relative_to(installed.site_packages)
    assert (exported, exported_errors) == (public_names, error_names)

    command = installed.venv / "bin" / "binance-orderlist"
    assert run([str(command), "--version"]).stdout == f"binance-orderlist {__version__}\n"
    unconfigured = run([str(command), "cancel", "--symbol", "LTCBTC", "--order-list-id", "0"])
    assert unconfigured.returncode == 4
    assert unconfigured.stderr.startswith("binance-orderlist: ConfigurationError: set BINANCE_API_KEY")


def consumer_imports() -> set[str]:
    import ast

    tree = ast.parse(CONSUMER.read_text())
    return {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("binance_orderlist")
        for alias in node.names
    }


def type_check(installed: Installed, workdir: Path, source: str) -> tuple[str, str]:
    """mypy --strict and pyright (strict) on ``source``, seeing only the fresh venv's packages; their outputs."""
    workdir.mkdir()
    (workdir / "consumer.py").write_text(source)
    (workdir / "mypy.ini").write_text("[mypy]\nstrict = True\n")
    (workdir / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG))
    mypy_command = [str(TOOLS / "mypy"), "--strict", "--config-file", "mypy.ini", "--cache-dir", ".mypy_cache"]
    mypy_command += ["--python-executable", str(installed.python), "--verbose", "consumer.py"]
    mypy = run(mypy_command, cwd=workdir)
    assert f"{installed.site_packages}/binance_orderlist/__init__.py" in mypy.stderr, "mypy did not use the venv"
    assert mypy.returncode == 0, mypy.stdout
    assert mypy.stdout.rstrip().endswith("Success: no issues found in 1 source file")
    pyright_command = [str(TOOLS / "pyright"), "--outputjson", "--pythonpath", str(installed.python), "consumer.py"]
    pyright = run(pyright_command, cwd=workdir)
    summary = json.loads(pyright.stdout)["summary"]
    assert (pyright.returncode, summary["errorCount"], summary["warningCount"]) == (0, 0, 0), pyright.stdout
    return mypy.stdout, pyright.stdout


NEEDS_AIOHTTP = {"no_hidden_resend"}
"""Public names that need the ``aiohttp`` extra, which this install leaves out; ``no_hidden_resend``'s type is
checked under ``mypy --strict`` where it is used as aiohttp middleware (tests/reliability/drivers.py)."""


def test_a_consumer_type_checks_strictly_against_the_installed_package(installed: Installed, tmp_path: Path) -> None:
    assert consumer_imports() == set(public_names) - NEEDS_AIOHTTP | set(error_names)
    source = CONSUMER.read_text()
    type_check(installed, tmp_path / "asserted", source)

    revealing_source, expected = to_reveal(source)
    assert len(expected) >= 40
    mypy_output, pyright_output = type_check(installed, tmp_path / "revealed", revealing_source)
    assert mismatches("mypy", expected, mypy_reveals(mypy_output)) == []
    assert mismatches("pyright", expected, pyright_reveals(pyright_output)) == []


def test_the_consumer_cancels_on_the_emulator_with_the_installed_package(
    installed: Installed, emulator: EmulatorControl
) -> None:
    orders = (
        OrderSpec(side="SELL", type="LIMIT_MAKER", price="72000.5", quantity="0.015"),
        OrderSpec(side="SELL", type="STOP_LOSS_LIMIT", price="58000", stop_price="58500", quantity="0.015"),
    )
    created = emulator.create_order_list(symbol="BTCUSDT", contingency_type="OCO", orders=orders)
    arguments = [
        emulator.base_url,
        DEFAULT_HMAC_API_KEY,
        DEFAULT_HMAC_SECRET_KEY,
        "BTCUSDT",
        str(created.order_list_id),
    ]
    result = run([str(installed.python), str(CONSUMER), *arguments], cwd=installed.venv)

    assert result.returncode == 0, result.stderr
    version_line, sync_line, async_line, confirmed_line = result.stdout.splitlines()
    assert version_line == f"version={__version__} default_base_url=https://api.binance.com"
    # per report: order id, price, stop price, newer document, canceled, buy, limit maker, GTC, no STP
    take_profit, stop_loss = created.order_ids
    reports = (
        f"{take_profit}:72000.50000000:-:True:True:False:True:True:True,"
        f"{stop_loss}:58000.00000000:58500.00000000:True:True:False:False:True:True"
    )
    summary = f"cancelled={created.order_list_id} symbol=BTCUSDT oco=True done=True all_done=True orders=2"
    assert re.fullmatch(rf"{re.escape(summary)} reports={re.escape(reports)} weight=\d+", sync_line), sync_line
    rejection = "rejected=UnknownOrderListError unknown_list=True status=400 code=-2011"
    assert async_line == f"{rejection} msg=Unknown order list sent. synced=True"
    assert confirmed_line == "confirmed=NOT_OPEN not_open=True closed=ALL_DONE open_lists=1"  # the seed list's open
    assert emulator.order_list(created.order_list_id).list_order_status == "ALL_DONE"


def run_pytest(installed: Installed, project: Path, *arguments: str) -> str:
    """pytest from the venv, warnings as errors, in ``project``; its whole output."""
    result = run(
        [str(installed.python), "-m", "pytest", "-W", "error", "-p", "no:cacheprovider", *arguments], cwd=project
    )
    return f"exit status {result.returncode}\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def installed_with_the_plugin(index: Index, published: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh venv with the package and its ``emulator`` extra, pytest, pytest-xdist and pytest-asyncio."""
    scratch = tmp_path_factory.mktemp("install-emulator")
    requirements = [*runtime_requirements(published), *runtime_requirements(published, "emulator"), *TEST_TOOLS]
    add_dependencies_to_index(index.packages, scratch, requirements)
    return install(index, scratch, published, [f"{DISTRIBUTION}[emulator]=={__version__}", *TEST_TOOLS])


@pytest.fixture(scope="module")
def installed_with_pytest(index: Index, installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The fresh venv without the ``emulator`` extra, plus pytest: a project that never uses the emulator."""
    scratch = tmp_path_factory.mktemp("install-pytest")
    add_dependencies_to_index(index.packages, scratch, ["pytest"])
    pip_install(index, installed.python, scratch / "report.json", ["pytest"])
    return installed


def test_a_consumer_project_tests_its_code_with_the_plugins_fixtures(
    installed_with_the_plugin: Installed, tmp_path: Path
) -> None:
    project = shutil.copytree(PLUGIN_CONSUMER, tmp_path / "desk")
    serial = run_pytest(installed_with_the_plugin, project, "-v")
    assert serial.startswith("exit status 0\n"), serial
    assert re.search(rf"^plugins: .*\bbinance-orderlist-{re.escape(__version__)}\b", serial, re.MULTILINE), serial
    assert re.search(r"^=+ 10 passed in [\d.]+s =+$", serial, re.MULTILINE), serial  # 9 tests, one of them twice
    assert "warning" not in serial.lower()

    parallel = run_pytest(installed_with_the_plugin, project, "-n", "2", "--binance-emulator-version=older")
    assert parallel.startswith("exit status 0\n"), parallel
    assert "2 workers [10 items]" in parallel
    assert re.search(r"^=+ 10 passed in [\d.]+s =+$", parallel, re.MULTILINE), parallel
    assert "warning" not in parallel.lower()


def test_without_the_extra_the_plugin_leaves_other_projects_alone(
    installed_with_pytest: Installed, tmp_path: Path
) -> None:
    project = tmp_path / "unrelated"
    project.mkdir()
    (project / "test_unrelated.py").write_text("def test_sum() -> None:\n    assert sum([1, 2]) == 3\n")
    (project / "test_asks.py").write_text("def test_asks(binance_emulator: object) -> None:\n    pass\n")

    unrelated = run_pytest(installed_with_pytest, project, "test_unrelated.py")
    assert unrelated.startswith("exit status 0\n"), unrelated
    assert re.search(rf"^plugins: .*\bbinance-orderlist-{re.escape(__version__)}\b", unrelated, re.MULTILINE), unrelated
    assert re.search(r"^=+ 1 passed in [\d.]+s =+$", unrelated, re.MULTILINE), unrelated
    assert "warning" not in unrelated.lower()
    assert "error" not in unrelated.lower()

    asking = run_pytest(installed_with_pytest, project, "test_asks.py")
    assert asking.startswith("exit status 1\n"), asking
    hint = "pip install 'binance-orderlist[emulator]' (starlette, uvicorn missing)"
    assert f"binance_emulator: the emulator's server needs the 'emulator' extra: {hint}" in asking
    assert "Traceback" not in asking
