"""The questions of a consultation document, checked: types, translations, choice lists,
bounds and skip conditions (which may only look at earlier questions)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.conditions import SELF, Condition, ConditionError, parse_condition, references
from surveys.definitions import CHOICE_TYPES, NO, QUESTION_TYPES, YES, Option, Question
from surveys.fields import read_flag, read_number, read_texts
from surveys.problems import Problems

QUESTION_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
OPTION_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
QUESTION_FIELDS = {
    "key", "type", "label", "hint", "required", "choices", "relevant", "min", "max", "integer",
    "_where",
}  # fmt: skip


def build_questions(
    document: Mapping[str, Any], languages: tuple[str, ...], problems: Problems
) -> tuple[Question, ...]:
    raw_lists = document.get("choice_lists") or {}
    if not isinstance(raw_lists, Mapping):
        problems.add("choice_lists", "expected name: [choices]")
        raw_lists = {}
    lists = {
        name: _options(raw, languages, f"choice list {name!r}", problems)
        for name, raw in raw_lists.items()
    }
    raw_questions = document.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add("questions", "expected a list of questions")
        return ()
    every_key = {str(raw.get("key")) for raw in raw_questions if isinstance(raw, Mapping)}
    questions: list[Question] = []
    for number, raw in enumerate(raw_questions, start=1):
        if not isinstance(raw, Mapping):
            problems.add(f"questions item {number}", "expected a mapping")
            continue
        where = _where(raw, number)
        kind = str(raw.get("type"))
        options = _choices(raw.get("choices"), kind, languages, lists, where, problems)
        relevant = _relevant(raw.get("relevant"), questions, every_key, where, problems)
        questions.append(_question(raw, where, languages, options, relevant, questions, problems))
    return tuple(questions)


def _where(raw: Mapping[str, Any], number: int) -> str:
    if raw.get("_where"):
        return str(raw["_where"])
    return f"question {raw['key']!r}" if raw.get("key") else f"questions item {number}"


def _question(
    raw: Mapping[str, Any],
    where: str,
    languages: tuple[str, ...],
    choices: tuple[tuple[Option, ...], str | None],
    relevant: Condition | None,
    earlier: list[Question],
    problems: Problems,
) -> Question:
    key, kind = _identity(raw, where, earlier, problems)
    options, choice_list = choices
    minimum, maximum = _bounds(raw, kind, where, problems)
    hint = raw.get("hint")
    return Question(
        key=key,
        type=kind,
        label=read_texts(raw.get("label"), languages, f"{where} label", problems),
        hint=read_texts(hint, languages, f"{where} hint", problems) if hint else None,
        required=kind != "note" and read_flag(raw.get("required", True), where, problems),
        options=options,
        choice_list=choice_list,
        minimum=minimum,
        maximum=maximum,
        integer=read_flag(raw.get("integer", True), where, problems),
        relevant=relevant,
        relevant_source=str(raw.get("relevant") or "").strip(),
    )


def _identity(
    raw: Mapping[str, Any], where: str, earlier: list[Question], problems: Problems
) -> tuple[str, str]:
    """The question's key and type, checked (and no field the format does not know)."""
    for name in sorted(set(raw) - QUESTION_FIELDS):
        problems.add(where, f"unknown field {name!r}")
    key, kind = str(raw.get("key") or ""), str(raw.get("type") or "")
    if not QUESTION_KEY.match(key):
        problems.add(where, "the key must be letters, digits and _ (not starting with a digit)")
    elif any(q.key == key for q in earlier):
        problems.add(where, f"duplicate key {key!r}")
    if kind not in QUESTION_TYPES:
        problems.add(where, f"unknown type {kind!r} (one of {', '.join(QUESTION_TYPES)})")
    return key, kind


def _choices(
    raw: Any,
    kind: str,
    languages: tuple[str, ...],
    lists: Mapping[str, tuple[Option, ...]],
    where: str,
    problems: Problems,
) -> tuple[tuple[Option, ...], str | None]:
    if kind not in CHOICE_TYPES:
        if raw:
            problems.add(where, f"a {kind} question has no choices")
        return (), None
    if isinstance(raw, str):
        if raw not in lists:
            problems.add(where, f"no choice list {raw!r}")
            return (), raw
        return lists[raw], raw
    if not isinstance(raw, list) or not raw:
        problems.add(where, "expected choices (a list, or the name of a choice list)")
        return (), None
    return _options(raw, languages, where, problems), None


def _options(
    raw: Any, languages: tuple[str, ...], where: str, problems: Problems
) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(where, "expected a list of choices")
        return ()
    options: list[Option] = []
    for item in raw:
        item = item if isinstance(item, Mapping) else {}
        place = str(item.get("_where") or where)
        option_id = str(item.get("id") or "")
        if not OPTION_ID.match(option_id):
            problems.add(place, f"choice id {option_id!r}: letters, digits, _ . - (at most 64)")
        elif any(option.id == option_id for option in options):
            problems.add(place, f"duplicate choice id {option_id!r}")
        label = read_texts(item.get("label"), languages, f"{place} choice {option_id!r}", problems)
        options.append(Option(option_id, label))
    return tuple(options)


def _bounds(
    raw: Mapping[str, Any], kind: str, where: str, problems: Problems
) -> tuple[float | None, float | None]:
    minimum = read_number(raw.get("min"), f"{where} min", problems)
    maximum = read_number(raw.get("max"), f"{where} max", problems)
    if kind != "number" and (minimum is not None or maximum is not None):
        problems.add(where, "only number questions have min and max")
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.add(where, "min is greater than max")
    return minimum, maximum


def _relevant(
    raw: Any, earlier: list[Question], every_key: set[str], where: str, problems: Problems
) -> Condition | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        condition = parse_condition(str(raw))
    except ConditionError as error:
        problems.add(where, f"relevant {raw!r}: {error}")
        return None
    known = {question.key: question for question in earlier}
    for comparison in references(condition):
        target = known.get(comparison.key)
        if comparison.key == SELF:
            problems.add(where, "relevant: `.` only makes sense in a constraint")
        elif target is None and comparison.key in every_key:
            problems.add(where, f"relevant refers to {comparison.key!r}, which is not earlier")
        elif target is None:
            problems.add(where, f"relevant refers to unknown question {comparison.key!r}")
        elif not target.asks:
            problems.add(where, f"relevant refers to {comparison.key!r}, a note")
        else:
            _check_values(comparison.value, target, where, problems)
    return condition


def _check_values(value: Any, target: Question, where: str, problems: Problems) -> None:
    """A condition comparing a choice question with an id it does not have is a typo."""
    ids = {YES, NO} if target.type == "yes_no" else {option.id for option in target.options}
    if not ids:
        return
    for wanted in value if isinstance(value, tuple) else (value,):
        if str(wanted) not in ids:
            problems.add(where, f"relevant: {target.key!r} has no choice {wanted!r}")


def question_document(question: Question) -> dict[str, Any]:
    """The question as a document entry (what `build_questions` reads)."""
    entry: dict[str, Any] = {"key": question.key, "type": question.type}
    entry["label"] = dict(question.label)
    if question.hint:
        entry["hint"] = dict(question.hint)
    if question.asks:
        entry["required"] = question.required
    if question.options:
        entry["choices"] = [{"id": o.id, "label": dict(o.label)} for o in question.options]
    if question.type == "number":
        entry["integer"] = question.integer
        for name, bound in (("min", question.minimum), ("max", question.maximum)):
            if bound is not None:
                entry[name] = bound
    if question.relevant_source:
        entry["relevant"] = question.relevant_source
    return entry
