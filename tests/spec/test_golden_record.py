"""Adding parameters and operations is a change to openapi.yaml and ``make generate``, nothing else (golden record).

A copy of openapi.yaml gains, on the cancel, one optional parameter of each kind Binance's API uses
(``golden_cases.KINDS``: inline and named enums, a patterned string, a boolean, a bounded decimal number,
int64 and int32 integers, arrays of strings and of integers, a header), and a new signed GET operation
with its own response schema. ``make generate`` regenerates into a scratch directory and changes no file
of the repository; with that package first on the path, both clients validate and send each parameter
as Binance expects, the emulator reads or rejects it, the command line has an option for it
(``golden_program.py``, against a real local server: one case per kind below), the new method exists on
both clients and parses its model, and ``mypy --strict`` checks a consumer passing them.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, load_spec
from .golden_cases import KINDS, NAMED_ENUM, NEW_MODEL, extended

VENV_BIN = Path(sys.executable).parent
CONSUMER = f"""
from decimal import Decimal

from binance_orderlist import AsyncSpotClient, SpotClient
from binance_orderlist_api.models import CancelOrderListCancelMode, {NAMED_ENUM}, {NEW_MODEL}


def cancel(client: SpotClient) -> {NEW_MODEL}:
    client.cancel_order_list(
        symbol="LTCBTC",
        order_list_id=0,
        cancel_mode=CancelOrderListCancelMode.FAST,
        speed={NAMED_ENUM}.SAFE,
        memo="abc",
        omit_zero=True,
        limit_price=Decimal("999.99"),
        big_id=2**63 - 1,
        depth=3,
        symbols=["BTCUSDT", "BNBBTC"],
        order_ids=(1, 2),
        x_request_tag="tag",
    )
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, cancel_mode="SAFE", limit_price="0.5", big_id=1)
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, memo=5)
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, omit_zero="true")
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, limit_price=1.5)
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, order_ids=["1"])
    return client.get_order_list_stats(symbol="LTCBTC")


async def open_lists(client: AsyncSpotClient) -> int:
    stats = await client.get_order_list_stats(symbol="LTCBTC", recv_window=6000)
    return stats.open_lists
"""
CONSUMER_ERRORS = {  # line of CONSUMER: the argument mypy must flag
    24: '"memo" to "cancel_order_list" of "SyncOperations" has incompatible type "int"',
    25: '"omit_zero" to "cancel_order_list" of "SyncOperations" has incompatible type "str"',
    26: '"limit_price" to "cancel_order_list" of "SyncOperations" has incompatible type "float"',
    27: 'List item 0 has incompatible type "str"; expected "int"',
}


def repository_state() -> str:
    """Every tracked and untracked file's status, with the content of what differs from HEAD."""
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, check=True, capture_output=True, text=True)
    diff = subprocess.run(["git", "diff"], cwd=ROOT, check=True, capture_output=True, text=True)
    return status.stdout + diff.stdout


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("golden")
    spec_path = scratch / "openapi.yaml"
    spec_path.write_text(yaml.safe_dump(extended(load_spec()), allow_unicode=True), encoding="utf-8")
    before = repository_state()
    package = scratch / "binance_orderlist_api"
    subprocess.run(
        ["make", "--no-print-directory", "generate", f"SPEC={spec_path}", f"GENERATED_PACKAGE={package}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert repository_state() == before, "make generate into a scratch directory changed the repository"
    return scratch


@pytest.fixture(scope="module")
def program_output(regenerated: Path) -> str:
    """What ``golden_program.py`` printed, run once against the regenerated package and a real emulator."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(regenerated), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("golden_program.py"))],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"generated package: {regenerated}" in result.stdout
    return result.stdout


def test_the_rules_and_the_facade_gain_the_new_parameters(regenerated: Path) -> None:
    rules = (regenerated / "binance_orderlist_api" / "operations.py").read_text(encoding="utf-8")
    facade = (regenerated / "binance_orderlist_api" / "facade.py").read_text(encoding="utf-8")
    server_parameters = (regenerated / "binance_orderlist_api" / "server_parameters.py").read_text(encoding="utf-8")
    assert "    omit_zero: bool | None\n" in server_parameters  # the typed parameters the emulator reads
    assert "    symbols: tuple[str, ...] | None\n" in server_parameters
    assert "    x_request_tag: str | None\n" in server_parameters
    assert "maximum=Decimal('9223372036854775807')" in rules.replace('"', "'")  # int64's bound
    # sync, async, and their raw-response twins
    for argument in (
        "cancel_mode: CancelOrderListCancelMode | str | None = None,",
        f"speed: {NAMED_ENUM} | str | None = None,",
        "omit_zero: bool | None = None,",
        "limit_price: int | Decimal | str | None = None,",
        "big_id: int | None = None,",
        "symbols: Sequence[str] | None = None,",
        "order_ids: Sequence[int] | None = None,",
        "x_request_tag: str | None = None,",
    ):
        assert facade.count(argument) == 4, argument
    assert facade.count("def get_order_list_stats(") == 4
    assert f") -> {NEW_MODEL}:" in facade


@pytest.mark.parametrize("kind", [kind.name for kind in KINDS])
def test_each_kind_is_validated_and_sent_by_both_clients_read_by_the_emulator_and_the_cli(
    program_output: str, kind: str
) -> None:
    assert f"kind {kind}: OK" in program_output.splitlines()


def test_the_new_operation_is_a_method_of_both_clients_that_parses_its_model(program_output: str) -> None:
    assert f"parsed as {NEW_MODEL}: OK" in program_output
    assert program_output.strip().endswith("golden record: OK")


def test_mypy_strict_checks_the_new_arguments_and_method_for_consumers(regenerated: Path) -> None:
    consumer = regenerated / "consumer.py"
    consumer.write_text(CONSUMER, encoding="utf-8")
    mypy = shutil.which("mypy", path=str(VENV_BIN))
    assert mypy is not None
    result = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--cache-dir", os.devnull, str(consumer)],
        cwd=regenerated,
        env={**os.environ, "MYPYPATH": str(regenerated)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    found = {int(line.split(":")[1]): line for line in errors}
    assert sorted(found) == sorted(CONSUMER_ERRORS), result.stdout
    for line, message in CONSUMER_ERRORS.items():
        assert message in found[line], found[line]
