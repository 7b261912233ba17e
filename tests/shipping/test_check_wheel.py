"""scripts/check_wheel.py accepts a wheel shaped like ours and names each way one can go wrong.

The real wheel is built and checked by `make build` inside test_index_end_to_end.py.
"""

import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from binance_orderlist import __version__

from scripts import check_wheel

VERSION = "0.1.0"
DIST_INFO = f"binance_orderlist-{VERSION}.dist-info"
ENTRY_POINTS = """[console_scripts]
binance-orderlist = binance_orderlist._cli:main
binance-orderlist-emulator = binance_orderlist_emulator.__main__:main
"""


def good_wheel_files() -> dict[str, str]:
    files = {f"{package}/{name}": "" for package in check_wheel.PACKAGES for name in ("__init__.py", "py.typed")}
    files |= {"binance_orderlist/_cli.py": "", "binance_orderlist_emulator/__main__.py": ""}
    files[f"{DIST_INFO}/METADATA"] = f"Metadata-Version: 2.4\nName: binance-orderlist\nVersion: {VERSION}\n"
    files[f"{DIST_INFO}/entry_points.txt"] = ENTRY_POINTS
    return files


def make_dist(directory: Path, wheel_files: dict[str, str], sdist_names: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(directory / f"binance_orderlist-{VERSION}-py3-none-any.whl", "w") as wheel:
        for name, content in wheel_files.items():
            wheel.writestr(name, content)
    with tarfile.open(directory / f"binance_orderlist-{VERSION}.tar.gz", "w:gz") as sdist:
        for name in (f"binance_orderlist-{VERSION}/PKG-INFO", *sdist_names):
            sdist.addfile(tarfile.TarInfo(name), io.BytesIO(b""))
    return directory


def test_a_wheel_shaped_like_ours_passes(tmp_path: Path) -> None:
    assert check_wheel.check_dist(make_dist(tmp_path, good_wheel_files()), VERSION) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda files: files.pop("binance_orderlist_api/py.typed"), "binance_orderlist_api/py.typed is missing"),
        (lambda files: files.pop("binance_orderlist_emulator/__init__.py"), "binance_orderlist_emulator/__init__.py"),
        (lambda files: files.update({"tests/test_client.py": ""}), "tests/test_client.py: outside the four packages"),
        (lambda files: files.update({"binance_orderlist/tests/x.py": ""}), "do not ship"),
        (lambda files: files.update({"binance_orderlist/__pycache__/x.pyc": ""}), "do not ship"),
        (lambda files: files.update({"scripts/publish.py": ""}), "scripts/publish.py: outside"),
        (lambda files: files.pop("binance_orderlist/_cli.py"), "which the wheel does not contain"),
        (
            lambda files: files.update({f"{DIST_INFO}/entry_points.txt": "[console_scripts]\n"}),
            "console script binance-orderlist is None",
        ),
        (
            lambda files: files.update({f"{DIST_INFO}/METADATA": "Name: binance-orderlist\nVersion: 0.0.9\n"}),
            "METADATA says binance-orderlist 0.0.9",
        ),
    ],
)
def test_each_problem_is_named(tmp_path: Path, change: Callable[[dict[str, str]], object], problem: str) -> None:
    files = good_wheel_files()
    change(files)
    problems = check_wheel.check_dist(make_dist(tmp_path, files), VERSION)
    assert any(problem in found for found in problems), problems


def test_an_sdist_with_tests_or_another_version_fails(tmp_path: Path) -> None:
    dist = make_dist(tmp_path, good_wheel_files(), sdist_names=(f"binance_orderlist-{VERSION}/tests/test_x.py",))
    assert check_wheel.check_dist(dist, VERSION) == [
        f"binance_orderlist-{VERSION}.tar.gz: binance_orderlist-{VERSION}/tests/test_x.py: "
        "tests, benchmarks, scripts and bytecode do not ship"
    ]
    assert "PKG-INFO is missing" in check_wheel.check_dist(dist, "0.2.0")[-1]


def test_dist_must_hold_exactly_one_wheel_and_one_sdist(tmp_path: Path) -> None:
    assert "must hold one wheel and one sdist" in check_wheel.check_dist(tmp_path, VERSION)[0]


def test_the_version_is_read_from_the_one_version_file(tmp_path: Path) -> None:
    version_file = tmp_path / "_version.py"
    version_file.write_text('"""The version."""\n\n__version__ = "1.2.3"\n')
    assert check_wheel.project_version(version_file) == "1.2.3"
    assert check_wheel.project_version() == __version__
