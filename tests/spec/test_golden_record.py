"""Adding a parameter is a change to openapi.yaml and ``make generate``, nothing else (a golden-record test).

A copy of openapi.yaml gains two optional parameters of the cancel: an enum with a named schema and a
string with a ``pattern`` and a ``maxLength``. ``make generate`` regenerates into a scratch directory;
with that package first on the path, both clients accept, validate and send the new parameters and the
emulator reads them and the command line has an option for each (``golden_program.py``, against a real
local server), ``mypy --strict`` checks them
for a consumer, and no file of the repository changed.
"""

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, load_spec

ENUM, STRING, ENUM_SCHEMA = "cancelMode", "memo", "CancelMode"
VENV_BIN = Path(sys.executable).parent
CONSUMER = f"""
from binance_orderlist import SpotClient
from binance_orderlist_api.models import {ENUM_SCHEMA}


def cancel(client: SpotClient) -> None:
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, cancel_mode={ENUM_SCHEMA}.FAST, memo="abc")
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, cancel_mode="SAFE")
    client.cancel_order_list(symbol="LTCBTC", order_list_id=0, memo=5)
"""


def with_new_parameters(spec: dict[str, Any]) -> dict[str, Any]:
    extended = copy.deepcopy(spec)
    extended["components"]["schemas"][ENUM_SCHEMA] = {"type": "string", "enum": ["FAST", "SAFE"]}
    extended["paths"]["/api/v3/orderList"]["delete"]["parameters"] += [
        {
            "name": ENUM,
            "in": "query",
            "required": False,
            "description": "How to cancel (a parameter of this test only).",
            "schema": {"$ref": f"#/components/schemas/{ENUM_SCHEMA}"},
        },
        {
            "name": STRING,
            "in": "query",
            "required": False,
            "description": "A note of lower-case letters (a parameter of this test only).",
            "x-legal-range": "^[a-z]{1,8}$",
            "schema": {"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^[a-z]+$"},
        },
    ]
    return extended


def repository_state() -> str:
    """Every tracked and untracked file's status, with the content of what differs from HEAD."""
    status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, check=True, capture_output=True, text=True)
    diff = subprocess.run(["git", "diff"], cwd=ROOT, check=True, capture_output=True, text=True)
    return status.stdout + diff.stdout


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("golden")
    spec_path = scratch / "openapi.yaml"
    spec_path.write_text(yaml.safe_dump(with_new_parameters(load_spec()), allow_unicode=True), encoding="utf-8")
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


def test_the_rules_and_the_facade_gain_the_new_parameters(regenerated: Path) -> None:
    rules = (regenerated / "binance_orderlist_api" / "operations.py").read_text(encoding="utf-8")
    facade = (regenerated / "binance_orderlist_api" / "facade.py").read_text(encoding="utf-8")
    assert f"name={ENUM!r}".replace("'", '"') in rules
    assert "max_length=8" in rules
    assert "    memo: str | None\n" in rules  # the typed parameters the emulator reads
    # sync, async, and their raw-response twins
    assert facade.count(f"cancel_mode: {ENUM_SCHEMA} | str | None = None,") == 4
    assert facade.count("memo: str | None = None,") == 4


def test_both_clients_and_the_emulator_accept_validate_and_send_them(regenerated: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(regenerated), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("golden_program.py")), ENUM, STRING, ENUM_SCHEMA],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"generated package: {regenerated}" in result.stdout
    assert result.stdout.strip().endswith("golden record: OK")


def test_mypy_strict_checks_the_new_arguments_for_consumers(regenerated: Path) -> None:
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
    assert len(errors) == 1, result.stdout
    assert 'Argument "memo" to "cancel_order_list" of "SyncOperations" has incompatible type "int"' in errors[0]
    assert "consumer.py:9:" in errors[0]
