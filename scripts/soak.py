"""Run the whole suite many times in a row and report every failure: a test that flakes is a defect.

``--load`` keeps every core busy with a spinning process during the runs, the way a shared CI
machine is busy. Failing tests are listed with the runs they failed in; the exit status is 1 if
any run failed.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FAILED_LINE = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)
_SPIN = "while True: pass"


@contextmanager
def busy_cores(enabled: bool) -> Iterator[None]:
    spinners = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(os.cpu_count() or 1)] if enabled else []
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load", action="store_true", help="keep every core busy while the suite runs")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (default: the whole suite)")
    options = parser.parse_args()
    failures: defaultdict[str, list[int]] = defaultdict(list)
    failed_runs = 0
    with busy_cores(options.load):
        for run in range(1, options.runs + 1):
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options.pytest_args],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)"
            print(f"run {run}/{options.runs}{' under load' if options.load else ''}: {summary}", flush=True)
            if done.returncode != 0:
                failed_runs += 1
                for test in _FAILED_LINE.findall(done.stdout) or [f"(exit {done.returncode})"]:
                    failures[test].append(run)
                log = ROOT / ".soak" / f"run-{run}.log"
                log.parent.mkdir(exist_ok=True)
                log.write_text(done.stdout + done.stderr)
                print(f"  its output: {log.relative_to(ROOT)}", flush=True)
    for test, runs in sorted(failures.items()):
        print(f"flaky or failing: {test} in runs {runs}")
    print(f"soak: {options.runs - failed_runs} of {options.runs} runs passed")
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
