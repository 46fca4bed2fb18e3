"""Skip-logic conditions: parsed once into a tree, evaluated safely, three-valued."""

from __future__ import annotations

import pytest

from surveys.conditions import (
    AllOf,
    AnyOf,
    Comparison,
    ConditionError,
    Not,
    bounds,
    decide,
    parse_condition,
)


def test_xlsform_style_condition_becomes_a_tree():
    tree = parse_condition("${q1} = 'yes' and (${q2} > 3 or ${q3} in ('a', \"b\"))")
    assert tree == AllOf(
        (
            Comparison("q1", "=", "yes"),
            AnyOf((Comparison("q2", ">", 3.0), Comparison("q3", "in", ("a", "b")))),
        )
    )


def test_not_and_selected():
    assert parse_condition("not selected(${q}, 'x')") == Not(Comparison("q", "=", "x"))


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ("${a} = 'yes'", {"a": "yes"}, True),
        ("${a} = 'yes'", {"a": "no"}, False),
        ("${a} != 'yes'", {"a": "no"}, True),
        ("${a} != 'yes'", {}, True),  # not answered differs from yes
        ("${a} = 'yes'", {}, False),
        ("${n} > 3", {"n": 4}, True),
        ("${n} > 3", {"n": 3}, False),
        ("${n} < 3", {"n": 2.5}, True),
        ("${n} >= 3 and ${n} <= 5", {"n": 5}, True),
        ("${n} = 3", {"n": 3}, True),  # 3 and 3.0 are the same number
        ("${m} = 'b'", {"m": ["a", "b"]}, True),  # multiple choice: one of the selected
        ("${m} != 'b'", {"m": ["a"]}, True),
        ("${m} in ('x', 'a')", {"m": ["a"]}, True),
        ("${s} in ('x', 'y')", {"s": "z"}, False),
        ("${d} > '2026-06-01'", {"d": "2026-12-31"}, True),  # dates compare as ISO text
        ("${a} = 'yes' or ${n} > 3", {"a": "no", "n": 9}, True),
        ("not ${a} = 'yes'", {"a": "yes"}, False),
    ],
)
def test_evaluation(condition, answers, expected):
    assert decide(parse_condition(condition), answers) is expected


def test_questions_not_reached_yet_are_unknown():
    tree = parse_condition("${a} = 'yes' and ${b} > 3")
    assert decide(tree, {"a": "yes"}, unknown={"b"}) is None
    assert decide(tree, {"a": "no"}, unknown={"b"}) is False, "one false part decides `and`"
    either = parse_condition("${a} = 'yes' or ${b} > 3")
    assert decide(either, {"a": "yes"}, unknown={"b"}) is True, "one true part decides `or`"
    assert decide(Not(Comparison("b", "=", "x")), {}, unknown={"b"}) is None


@pytest.mark.parametrize(
    "source",
    [
        "",
        "${q1} = ",
        "${q1} == 'a'",
        "q1 = 'a'",
        "${q1} = 'a' and",
        "(${a} = 1",
        "${a} = 1)",
        "${a} in 'x'",
        "__import__('os').system('true')",
        "${a} = 'x' ; drop",
    ],
)
def test_malformed_conditions_are_refused(source):
    with pytest.raises(ConditionError):
        parse_condition(source)


def test_constraints_give_bounds():
    assert bounds(parse_condition(". >= 0 and . <= 100")) == (0.0, 100.0)
    assert bounds(parse_condition(". <= 7")) == (None, 7.0)
    with pytest.raises(ConditionError):
        bounds(parse_condition(". != 3"))
    with pytest.raises(ConditionError):
        bounds(parse_condition("${x} >= 3"))
