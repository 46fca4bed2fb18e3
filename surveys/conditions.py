"""Skip logic, XLSForm style: `${q1} = 'yes' and (${q2} > 3 or ${q3} in ('a', 'b'))`.

Parsed once into a small tree, evaluated without `eval`. Operators: = != < > <= >= in,
`and`, `or`, `not`, parentheses, and XLSForm's `selected(${q}, 'a')`. `.` stands for the
answer being checked (in constraints). Answers not given compare false, except `!=`.
Evaluation is three-valued: a question not reached yet is unknown, so progress can count
the questions that may still come.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SELF = "."
Literal = str | float


class ConditionError(ValueError):
    """A condition that cannot be parsed; the message says what is wrong and where."""


@dataclass(frozen=True, slots=True)
class Comparison:
    key: str  # the question compared, or SELF
    op: str  # = != < > <= >= in
    value: Literal | tuple[Literal, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition


Condition = Comparison | AllOf | AnyOf | Not

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*\})|(?P<number>-?\d+(?:\.\d+)?)"
    r"|'(?P<single>[^']*)'|\"(?P<double>[^\"]*)\"|(?P<op>!=|<=|>=|=|<|>|\(|\)|,)"
    r"|(?P<word>[A-Za-z_]+)|(?P<self>\.))"
)
COMPARATORS = ("=", "!=", "<", ">", "<=", ">=")


def _tokens(source: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    source = source.strip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise ConditionError(f"cannot read {source[position:]!r}")
        position = match.end()
        tokens.append(_token_of(match))
    return tokens


def _token_of(match: re.Match[str]) -> tuple[str, Any]:
    if match.group("ref"):
        return ("ref", match.group("name"))
    if match.group("number") is not None:
        return ("literal", float(match.group("number")))
    for quote in ("single", "double"):
        if match.group(quote) is not None:
            return ("literal", match.group(quote))
    if match.group("op"):
        return ("op", match.group("op"))
    if match.group("self"):
        return ("ref", SELF)
    return ("word", match.group("word").lower())


class _Parser:
    """Recursive descent: or > and > not > comparison | ( ... )."""

    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.position = 0

    def parse(self) -> Condition:
        if not self.tokens:
            raise ConditionError("the condition is empty")
        condition = self._any()
        if self.position != len(self.tokens):
            raise ConditionError(f"unexpected {self.tokens[self.position][1]!r}")
        return condition

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, kind: str, value: Any = None) -> Any:
        token = self._peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            found = "the end" if token is None else repr(token[1])
            wanted = value or {"ref": "${question}", "literal": "a value"}.get(kind, kind)
            raise ConditionError(f"expected {wanted}, found {found}")
        self.position += 1
        return token[1]

    def _at(self, kind: str, value: Any) -> bool:
        return self._peek() == (kind, value)

    def _any(self) -> Condition:
        parts = [self._all()]
        while self._at("word", "or"):
            self.position += 1
            parts.append(self._all())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def _all(self) -> Condition:
        parts = [self._negation()]
        while self._at("word", "and"):
            self.position += 1
            parts.append(self._negation())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _negation(self) -> Condition:
        if self._at("word", "not"):
            self.position += 1
            return Not(self._negation())
        if self._at("op", "("):
            self.position += 1
            inner = self._any()
            self._take("op", ")")
            return inner
        if self._at("word", "selected"):
            return self._selected()
        return self._comparison()

    def _selected(self) -> Condition:
        self.position += 1
        self._take("op", "(")
        key = self._take("ref")
        self._take("op", ",")
        value = self._take("literal")
        self._take("op", ")")
        return Comparison(key, "=", value)

    def _comparison(self) -> Condition:
        key = self._take("ref")
        if self._at("word", "in"):
            self.position += 1
            return Comparison(key, "in", self._literal_list())
        op = self._take("op")
        if op not in COMPARATORS:
            raise ConditionError(f"expected a comparison after ${{{key}}}, found {op!r}")
        return Comparison(key, op, self._take("literal"))

    def _literal_list(self) -> tuple[Literal, ...]:
        self._take("op", "(")
        values = [self._take("literal")]
        while self._at("op", ","):
            self.position += 1
            values.append(self._take("literal"))
        self._take("op", ")")
        return tuple(values)


def parse_condition(source: str) -> Condition:
    """The tree of a condition; ConditionError says what is wrong."""
    return _Parser(source).parse()


def references(condition: Condition) -> Iterator[Comparison]:
    """Every comparison in the tree (each names one question)."""
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, Not):
        yield from references(condition.part)
    else:
        for part in condition.parts:
            yield from references(part)


def decide(
    condition: Condition, answers: Mapping[str, Any], unknown: Collection[str] = ()
) -> bool | None:
    """True, False, or None when it depends on questions in `unknown` (not reached yet)."""
    if isinstance(condition, Comparison):
        if condition.key in unknown:
            return None
        return compare(answers.get(condition.key), condition.op, condition.value)
    if isinstance(condition, Not):
        inner = decide(condition.part, answers, unknown)
        return None if inner is None else not inner
    results = [decide(part, answers, unknown) for part in condition.parts]
    decisive = isinstance(condition, AnyOf)  # `or` is decided by one True, `and` by one False
    if decisive in results:
        return decisive
    return None if None in results else not decisive


def compare(answer: Any, op: str, value: Literal | tuple[Literal, ...]) -> bool:
    """One comparison against an answer (a list for multiple choice: any selected one)."""
    if answer is None:
        return op == "!="
    if isinstance(answer, list | tuple):
        wanted = value if isinstance(value, tuple) else (value,)
        picked = any(_same(item, w) for item in answer for w in wanted)
        return picked if op in ("=", "in") else (not picked if op == "!=" else False)
    if op == "in":
        return any(_same(answer, w) for w in value)  # type: ignore[union-attr]
    if op in ("=", "!="):
        return _same(answer, value) == (op == "=")
    return _ordered(answer, op, value)


def _same(answer: Any, value: Any) -> bool:
    number_answer, number_value = _number(answer), _number(value)
    if number_answer is not None and number_value is not None:
        return number_answer == number_value
    return str(answer) == str(value)


def _ordered(answer: Any, op: str, value: Any) -> bool:
    left, right = _number(answer), _number(value)
    if left is None or right is None:  # dates (ISO text) compare as text
        left, right = str(answer), str(value)
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def bounds(constraint: Condition) -> tuple[float | None, float | None]:
    """(minimum, maximum) of a constraint like `. >= 0 and . <= 100`; ConditionError for
    anything else (only bounds on the answer itself are supported)."""
    parts = constraint.parts if isinstance(constraint, AllOf) else (constraint,)
    minimum = maximum = None
    for part in parts:
        if not (isinstance(part, Comparison) and part.key == SELF and part.op in ("<=", ">=")):
            raise ConditionError("only `. >= number` and `. <= number` joined by `and`")
        if not isinstance(part.value, float):
            raise ConditionError(f"{part.value!r} is not a number")
        if part.op == ">=":
            minimum = part.value
        else:
            maximum = part.value
    return minimum, maximum
