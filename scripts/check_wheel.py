"""Check what `make build` put in dist/ before anything is published.

The wheel must hold the four import packages, each marked typed (``py.typed``), the console scripts
pointing at modules it contains, the version from ``_version.py``, and nothing else: no tests,
benchmarks, scripts or bytecode. The sdist must carry the same version.

    python scripts/check_wheel.py dist
"""

import ast
import configparser
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from email.parser import HeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION_FILE = ROOT / "overrides" / "binance_orderlist" / "_version.py"
DISTRIBUTION = "binance-orderlist"
PACKAGES = ("binance_orderlist", "binance_orderlist_api", "binance_orderlist_emulator", "binance_orderlist_rules")
CONSOLE_SCRIPTS = {
    "binance-orderlist": "binance_orderlist._cli:main",
    "binance-orderlist-emulator": "binance_orderlist_emulator.__main__:main",
}
FORBIDDEN_PARTS = frozenset({"tests", "bench", "scripts", "__pycache__"})


def project_version(version_file: Path = VERSION_FILE) -> str:
    """``__version__`` from the one file that defines it, read without importing the package."""
    for node in ast.parse(version_file.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise SystemExit(f"{version_file}: no __version__ = '...' assignment")


def _module_file(names: set[str], target: str) -> str | None:
    """The wheel path of the module an entry point names, if the wheel has it."""
    module = target.split(":", 1)[0].replace(".", "/")
    return next((path for path in (f"{module}.py", f"{module}/__init__.py") if path in names), None)


def wheel_problems(wheel: Path, version: str) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"{DISTRIBUTION.replace('-', '_')}-{version}.dist-info"
        problems = []
        for package in PACKAGES:
            for required in ("__init__.py", "py.typed"):
                if f"{package}/{required}" not in names:
                    problems.append(f"{package}/{required} is missing")
        for name in sorted(names):
            top = name.split("/", 1)[0]
            if top not in PACKAGES and top != dist_info:
                problems.append(f"{name}: outside the four packages")
            if FORBIDDEN_PARTS.intersection(name.split("/")) or name.endswith(".pyc"):
                problems.append(f"{name}: tests, benchmarks, scripts and bytecode do not ship")
        if f"{dist_info}/METADATA" not in names:
            return [*problems, f"{dist_info}/METADATA is missing (is the version {version}?)"]
        metadata = HeaderParser().parsestr(archive.read(f"{dist_info}/METADATA").decode())
        if (metadata["Name"], metadata["Version"]) != (DISTRIBUTION, version):
            problems.append(
                f"METADATA says {metadata['Name']} {metadata['Version']}, expected {DISTRIBUTION} {version}"
            )
        entry_points = configparser.ConfigParser(delimiters=("=",))
        entry_points.optionxform = str  # type: ignore[assignment,method-assign]  # script names keep their case
        if f"{dist_info}/entry_points.txt" in names:
            entry_points.read_string(archive.read(f"{dist_info}/entry_points.txt").decode())
        scripts = dict(entry_points["console_scripts"]) if entry_points.has_section("console_scripts") else {}
        for script, target in CONSOLE_SCRIPTS.items():
            if scripts.get(script) != target:
                problems.append(f"console script {script} is {scripts.get(script)!r}, expected {target!r}")
            elif _module_file(names, target) is None:
                problems.append(f"console script {script} points at {target}, which the wheel does not contain")
        return problems


def sdist_problems(sdist: Path, version: str) -> list[str]:
    root = f"{DISTRIBUTION.replace('-', '_')}-{version}"
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        if f"{root}/PKG-INFO" not in names:
            return [f"{sdist.name}: {root}/PKG-INFO is missing (is the version {version}?)"]
        return [
            f"{sdist.name}: {name}: tests, benchmarks, scripts and bytecode do not ship"
            for name in names
            if FORBIDDEN_PARTS.intersection(name.split("/")[1:]) or name.endswith(".pyc")
        ]


def check_dist(dist: Path, version: str) -> list[str]:
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [f"{dist} must hold one wheel and one sdist, found {[path.name for path in [*wheels, *sdists]]}"]
    return wheel_problems(wheels[0], version) + sdist_problems(sdists[0], version)


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if len(args) != 1:
        print("usage: check_wheel.py DIST_DIR", file=sys.stderr)
        return 2
    dist, version = Path(args[0]), project_version()
    problems = check_dist(dist, version)
    for problem in problems:
        print(f"check_wheel: {problem}", file=sys.stderr)
    if problems:
        print(f"check_wheel: {len(problems)} problem(s) in {dist}", file=sys.stderr)
        return 1
    print(f"check_wheel: {DISTRIBUTION} {version}: wheel and sdist OK ({', '.join(PACKAGES)}; py.typed; scripts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
