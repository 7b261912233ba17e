"""Wrap the consumer's ``assert_type`` calls in ``reveal_type`` and read back what mypy and pyright reveal.

``assert_type`` fails a checker on any mismatch; ``reveal_type`` around it (``assert_type`` returns
its argument, type included) shows the type itself, so a test can state plainly that no response
field is ``Any``, while the source keeps using every name it imports.
"""

import json
import re

ASSERT_TYPE = re.compile(r"^(?P<indent>\s*)assert_type\((?P<expression>[\w.]+), (?P<type>.+)\)$")
MYPY_REVEAL = re.compile(r'^[^:\n]+:(?P<line>\d+): note: Revealed type is "(?P<type>.*)"$', re.MULTILINE)
PYRIGHT_REVEAL = re.compile(r'^Type of ".*" is "(?P<type>.*)"$')
QUALIFIED_NAME = re.compile(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)")


def to_reveal(source: str) -> tuple[str, dict[int, str]]:
    """The source with every ``assert_type(x, T)`` line wrapped in ``reveal_type``, and T by (1-based) line."""
    lines, expected = [], {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = ASSERT_TYPE.match(line)
        if match:
            line = f"{match['indent']}reveal_type(assert_type({match['expression']}, {match['type']}))"
            expected[number] = match["type"]
        lines.append(line)
    return "\n".join(lines) + "\n", expected


def mypy_reveals(output: str) -> dict[int, str]:
    return {int(match["line"]): match["type"] for match in MYPY_REVEAL.finditer(output)}


def pyright_reveals(json_output: str) -> dict[int, str]:
    revealed = {}
    for diagnostic in json.loads(json_output)["generalDiagnostics"]:
        match = PYRIGHT_REVEAL.match(diagnostic["message"])
        if diagnostic["severity"] == "information" and match:
            revealed[diagnostic["range"]["start"]["line"] + 1] = match["type"]
    return revealed


def unqualified(type_text: str) -> str:
    """``typing.Mapping[str, binance_orderlist_api.types.Unset]`` -> ``Mapping[str, Unset]``."""
    return QUALIFIED_NAME.sub(r"\1", type_text)


def mismatches(checker: str, expected: dict[int, str], revealed: dict[int, str]) -> list[str]:
    """Every line whose revealed type is missing, contains ``Any``, or is not the expected one."""
    problems = []
    for line, expected_type in sorted(expected.items()):
        actual = revealed.get(line)
        if actual is None:
            problems.append(f"{checker}: line {line}: nothing revealed (expected {expected_type})")
        elif "Any" in re.findall(r"\w+", actual):
            problems.append(f"{checker}: line {line}: {actual!r} contains Any")
        elif unqualified(actual) != expected_type:
            problems.append(f"{checker}: line {line}: revealed {actual!r}, expected {expected_type!r}")
    problems += [f"{checker}: line {line}: unexpected reveal {revealed[line]!r}" for line in revealed.keys() - expected]
    return problems
