"""The reveal_type reader must catch what it exists to catch: an Any, a wrong type, a missing reveal."""

import json

from tests.shipping.reveal import mismatches, mypy_reveals, pyright_reveals, to_reveal, unqualified

SOURCE = """def f(report: Report) -> None:
    assert_type(report.order_id, int)
    assert_type(report.weights, Mapping[str, int])
    print(report)
"""


def test_assert_type_lines_are_wrapped_in_reveal_type_and_keep_their_expected_types() -> None:
    revealed_source, expected = to_reveal(SOURCE)
    assert revealed_source.splitlines()[1:3] == [
        "    reveal_type(assert_type(report.order_id, int))",
        "    reveal_type(assert_type(report.weights, Mapping[str, int]))",
    ]
    assert expected == {2: "int", 3: "Mapping[str, int]"}


def test_both_checkers_outputs_are_read_by_line() -> None:
    mypy_output = (
        'c.py:2: note: Revealed type is "builtins.int"\nc.py:3: note: Revealed type is "typing.Mapping[str, int]"\n'
    )
    pyright_output = json.dumps(
        {
            "generalDiagnostics": [
                {
                    "severity": "information",
                    "message": 'Type of "report.order_id" is "int"',
                    "range": {"start": {"line": 1}},
                },
                {"severity": "error", "message": 'Type of "x" is "int"', "range": {"start": {"line": 2}}},
            ]
        }
    )
    assert mypy_reveals(mypy_output) == {2: "builtins.int", 3: "typing.Mapping[str, int]"}
    assert pyright_reveals(pyright_output) == {2: "int"}
    assert unqualified("str | binance_orderlist_api.types.Unset") == "str | Unset"


def test_any_a_wrong_type_a_missing_and_an_extra_reveal_are_all_reported() -> None:
    expected = {2: "int", 3: "Mapping[str, int]", 4: "str"}
    revealed = {2: "Any", 3: "typing.Mapping[str, Any]", 5: "int"}
    problems = mismatches("mypy", expected, revealed)
    assert len(problems) == 4
    assert "line 2: 'Any' contains Any" in problems[0]
    assert "line 3: 'typing.Mapping[str, Any]' contains Any" in problems[1]
    assert "line 4: nothing revealed" in problems[2]
    assert "line 5: unexpected reveal" in problems[3]
    assert mismatches("pyright", {2: "int"}, {2: "float"}) == ["pyright: line 2: revealed 'float', expected 'int'"]
    assert mismatches("pyright", {2: "str | Unset"}, {2: "str | binance_orderlist_api.types.Unset"}) == []
