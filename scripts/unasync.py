"""Write the sync twins of the async modules: the async code is the only source (httpcore's unasync).

``--check`` writes nothing and fails when a sync twin is not what its source produces, or when a substitution
matched nothing in any source (the sources changed under it).
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "overrides" / "binance_orderlist"
TWINS = {"_async_request_path.py": "_sync_request_path.py", "_async_reading.py": "_sync_reading.py"}
"""Each async source module and the sync twin written from it."""
SUBSTITUTIONS = [
    (r"\basync def ", "def "),
    (r"\basync with await ", "with "),
    (r"\bawait ", ""),
    (r"\basync for ", "for "),
    (r"\bAsyncIterable\b", "Iterable"),
    (r"\bAwaitable\[(\w+)\]", r"\1"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\baclose\b", "close"),
    (r"\bAbstractAsyncContextManager\b", "AbstractContextManager"),
    (r"\bAsyncRawResponses\b", "SyncRawResponses"),
    (r"\bAsyncRequestPath\b", "SyncRequestPath"),
]


def unasync(source: str, name: str, target: Path) -> tuple[str, set[str]]:
    """The sync twin of ``source`` (the module ``name``; its docstring replaced by a line saying it is written from
    it), and the substitutions that matched nothing in it."""
    body = source[source.index('"""', 3) + 3 :].lstrip("\n")
    unused = set()
    for pattern, replacement in SUBSTITUTIONS:
        body, count = re.subn(pattern, replacement, body)
        if not count:
            unused.add(pattern)
    header = f'"""Written by scripts/unasync.py from {name}: do not edit."""\n\n'
    return _formatted(header + body, target), unused


def _formatted(text: str, target: Path) -> str:
    """``text`` as ruff leaves it: imports re-sorted and pruned after renaming, lines the substitutions shortened
    joined."""
    for command in (["check", "--fix-only", "--exit-zero", "--select", "I,F401"], ["format"]):
        arguments = [sys.executable, "-m", "ruff", *command, "--stdin-filename", str(target), "-"]
        text = subprocess.run(arguments, input=text, capture_output=True, text=True, check=True).stdout
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a sync twin is stale; write nothing")
    check = parser.parse_args().check
    unused = {pattern for pattern, _ in SUBSTITUTIONS}
    stale = []
    for source_name, target_name in TWINS.items():
        target = PACKAGE / target_name
        twin, unused_here = unasync((PACKAGE / source_name).read_text(), source_name, target)
        unused &= unused_here
        if check and (not target.exists() or target.read_text() != twin):
            stale.append(f"{target_name} is not what {source_name} produces")
        elif not check and (not target.exists() or target.read_text() != twin):
            target.write_text(twin)  # only when it changed: a test may be importing it while `make generate` runs
    if unused:
        print("scripts/unasync.py: substitutions that matched nothing:", *sorted(unused), sep="\n  ")
        return 1
    if stale:
        print(*stale, "run `make generate` and commit", sep="\n")
        return 1
    if check:
        print("the sync twins match their async sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
