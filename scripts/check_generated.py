"""Fail when generated/ differs from what `make generate` produces from openapi.yaml (untracked files included)."""

import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "binance_orderlist_api"


def differences(left: Path, right: Path) -> list[str]:
    """Paths (relative to the package) that are missing on one side or differ in content."""
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files, *comparison.funny_files]
    for name in comparison.common_files:
        if (left / name).read_bytes() != (right / name).read_bytes():
            found.append(name)
    for name in comparison.common_dirs:
        found += [f"{name}/{sub}" for sub in differences(left / name, right / name)]
    return sorted(set(found))


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / PACKAGE
        subprocess.run(
            ["make", "--no-print-directory", "generate", f"GENERATED_PACKAGE={fresh}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        stale = differences(ROOT / "generated" / PACKAGE, fresh)
    if stale:
        print("generated/ is not what openapi.yaml produces; run `make generate` and commit:", *stale, sep="\n  ")
        return 1
    print("generated/ matches openapi.yaml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
