"""The pytest plugin as its users run it: pytest sessions of their own (pytester; xdist's workers are processes of
their own), the plugin loaded by its entry point, as in any project of an environment where the package is
installed."""

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parents[2]
README_EXAMPLE = ROOT / "tests" / "shipping" / "plugin_consumer" / "test_close_stuck_list.py"
"""Run by tests/shipping/test_index_end_to_end.py from a fresh install, as the rest of its consumer project."""

USERS_TESTS = """
import os
from pathlib import Path

import pytest
from binance_orderlist import UNSET


@pytest.mark.parametrize("n", range(6))
def test_a_cancel_on_a_freshly_reset_emulator(binance_emulator, binance_client, n):
    report = binance_client.cancel_order_list(symbol="LTCBTC", order_list_id=0).order_reports[0]
    assert report.orig_quote_order_qty is UNSET  # the older document's shape, kept across resets
    Path(f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{n}.url").write_text(binance_emulator.base_url)


@pytest.mark.asyncio
async def test_the_async_client(binance_emulator, binance_async_client):
    await binance_async_client.cancel_order_list(symbol="LTCBTC", order_list_id=0)
    assert [entry.status for entry in binance_emulator.requests()] == [200]
"""
INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"  # else pytest-asyncio's own warning


def test_loading_the_plugin_imports_nothing_but_itself() -> None:
    probe = (
        "import json, sys, pytest; before = set(sys.modules);"
        "import binance_orderlist_emulator.pytest_plugin;"
        "print(json.dumps(sorted({name.split('.')[0] for name in set(sys.modules) - before})))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True).stdout)
    assert [name for name in loaded if name not in sys.stdlib_module_names] == ["binance_orderlist_emulator"]


def test_each_xdist_worker_has_its_own_emulator_of_the_chosen_version(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(test_users=USERS_TESTS)
    result = pytester.runpytest("-n", "2", "--binance-emulator-version=older", "-W", "error")

    result.assert_outcomes(passed=7)
    urls_by_worker: dict[str, set[str]] = defaultdict(set)
    for written in Path(pytester.path).glob("*.url"):
        urls_by_worker[written.name.split("-")[0]].add(written.read_text())
    assert sorted(urls_by_worker) == ["gw0", "gw1"]
    (first,), (second,) = urls_by_worker.values()
    assert first != second


def test_the_emulator_starts_only_for_a_test_that_asks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="def test_plain():\n    pass\n",
        test_async="def test_async(binance_async_client):\n    pass\n",
    )
    result = pytester.runpytest("--setup-show", "-p", "no:asyncio", "-W", "error")

    result.assert_outcomes(passed=1, errors=1)
    assert "binance_emulator_process" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*binance_async_client needs pytest-asyncio (pip install pytest-asyncio)*"])


def test_the_readme_shows_the_consumer_projects_example_as_it_is() -> None:
    section = (ROOT / "README.md").read_text().split("\n## Testing your code\n", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"^```python\n(.*?)^```$", section, re.DOTALL | re.MULTILINE)
    assert example == README_EXAMPLE.read_text()
