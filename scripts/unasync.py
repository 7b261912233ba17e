"""Write SpotClient's request path from AsyncSpotClient's: the async code is the only source (httpcore's unasync).

``--check`` writes nothing and fails when the sync twin is not what the source produces, or when a substitution
matched nothing (the source changed under it).
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "overrides" / "binance_orderlist"
SOURCE = PACKAGE / "_async_request_path.py"
TARGET = PACKAGE / "_sync_request_path.py"
HEADER = '"""SpotClient\'s request path. Written by scripts/unasync.py from _async_request_path.py: do not edit."""\n'
SUBSTITUTIONS = [
    (r"\basync def ", "def "),
    (r"\basync with await ", "with "),
    (r"\bawait ", ""),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\baclose\b", "close"),
    (r"\bAbstractAsyncContextManager\b", "AbstractContextManager"),
    (r"\bAsyncRawResponses\b", "SyncRawResponses"),
    (r"\bAsyncRequestPath\b", "SyncRequestPath"),
]


def unasync(source: str) -> tuple[str, list[str]]:
    """The sync twin of ``source`` (its module docstring replaced by ``HEADER``), and the substitutions unused."""
    body = source[source.index('"""', 3) + 3 :].lstrip("\n")
    unused = []
    for pattern, replacement in SUBSTITUTIONS:
        body, count = re.subn(pattern, replacement, body)
        if not count:
            unused.append(pattern)
    return _formatted(HEADER + "\n" + body), unused


def _formatted(text: str) -> str:
    """``text`` as ruff leaves it: imports re-sorted after renaming, lines the substitutions shortened joined."""
    for command in (["check", "--fix-only", "--exit-zero", "--select", "I"], ["format"]):
        arguments = [sys.executable, "-m", "ruff", *command, "--stdin-filename", str(TARGET), "-"]
        text = subprocess.run(arguments, input=text, capture_output=True, text=True, check=True).stdout
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the sync twin is stale; write nothing")
    check = parser.parse_args().check
    twin, unused = unasync(SOURCE.read_text())
    if unused:
        print("scripts/unasync.py: substitutions that matched nothing:", *unused, sep="\n  ")
        return 1
    if not check:
        TARGET.write_text(twin)
        return 0
    if not TARGET.exists() or TARGET.read_text() != twin:
        print(f"{TARGET.name} is not what {SOURCE.name} produces; run `make generate` and commit")
        return 1
    print(f"{TARGET.name} matches {SOURCE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
