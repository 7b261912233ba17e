"""``scripts/unasync.py --check`` (run by ``make check``): passes on the committed tree, and fails, naming the
file and writing nothing, when a sync twin is not what its async source produces."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).parents[2]
SCRIPT = Path("scripts") / "unasync.py"
PACKAGE = Path("overrides") / "binance_orderlist"
TWINS = {"_async_request_path.py": "_sync_request_path.py", "_async_reading.py": "_sync_reading.py"}


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / SCRIPT), "--check"], capture_output=True, text=True, cwd=root, check=False
    )


def test_the_committed_twins_pass() -> None:
    outcome = check(REPOSITORY)
    assert (outcome.returncode, outcome.stdout) == (0, "the sync twins match their async sources\n"), outcome.stderr


@pytest.mark.parametrize(("source", "twin"), TWINS.items())
def test_a_twin_edited_by_hand_fails_the_check_which_names_it_and_changes_nothing(
    tmp_path: Path, source: str, twin: str
) -> None:
    """On a copy of the script, its sources and twins, and the ruff settings it formats them with."""
    for part in (SCRIPT, Path("pyproject.toml"), *(PACKAGE / name for name in (*TWINS, *TWINS.values()))):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPOSITORY / part, tmp_path / part)
    assert check(tmp_path).returncode == 0, "the copy is as good as the tree"
    edited = tmp_path / PACKAGE / twin
    stale = edited.read_text() + "\n\ndef added_by_hand() -> None:\n    pass\n"
    edited.write_text(stale)
    outcome = check(tmp_path)
    assert outcome.returncode != 0
    assert f"{twin} is not what {source} produces" in outcome.stdout
    assert edited.read_text() == stale, "--check writes nothing"
