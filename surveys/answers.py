"""Answers between their three forms: the engine's JSON value, the typed columns of a
`consultation_answers` row (one row per answer, so staff can query them) and the text a
reader of results or exports sees."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter
from typing import Any

from storage.repositories.consultations import AnswerRow
from surveys.definitions import Consultation, Question
from surveys.texts import text_in

ONE_ID = frozenset({"single_choice", "yes_no", "quarter"})


def answer_columns(question: Question, value: Any) -> dict[str, Any]:
    """The row of one answer: its value in the column of its type."""
    row: dict[str, Any] = {"question_key": question.key}
    kind = question.type
    if kind in ONE_ID:
        row.update(text_value=str(value), choice_values=[str(value)])
    elif kind == "multiple_choice":
        row["choice_values"] = [str(choice) for choice in value]
    elif kind in ("rating", "number"):
        row["number_value"] = float(value)
    elif kind == "date":
        row["date_value"] = date.fromisoformat(value)
    elif kind == "location":
        row["latitude"], row["longitude"] = float(value[0]), float(value[1])
    elif kind == "photo":
        row["media_ref"] = str(value)
    else:
        row["text_value"] = str(value)
    return row


def answer_value(question: Question, row: AnswerRow) -> Any:
    """The engine's value of a stored answer (None if the row does not fit the type)."""
    return value_reader(question)(row)


def value_reader(question: Question) -> Callable[[AnswerRow], Any]:
    """`answer_value` for one question, its type looked at once for any number of rows."""
    kind = question.type
    if kind in ONE_ID:
        return _TEXT
    if kind == "multiple_choice":
        return _choices
    if kind in ("rating", "number"):
        return _integer if kind == "rating" or question.integer else _NUMBER
    if kind == "date":
        return _date
    if kind == "location":
        return _location
    if kind == "photo":
        return _MEDIA
    return _TEXT


def reads_choice_list(question: Question) -> bool:
    """Whether `answer_value` reads the row's `choice_values` (single choices read their
    `text_value`)."""
    return question.type == "multiple_choice"


_TEXT = attrgetter("text_value")
_NUMBER = attrgetter("number_value")
_MEDIA = attrgetter("media_ref")


def _choices(row: AnswerRow) -> list[str]:
    return list(row.choice_values or [])


def _integer(row: AnswerRow) -> int | None:
    number = row.number_value
    return None if number is None else int(number)


def _date(row: AnswerRow) -> str | None:
    return row.date_value.isoformat() if row.date_value else None


def _location(row: AnswerRow) -> list[float] | None:
    return None if row.latitude is None else [row.latitude, row.longitude]


def choice_label(
    consultation: Consultation,
    question: Question,
    choice: str,
    language: str,
    builtin: Mapping[str, str],
) -> str:
    """The label of a choice id in `language` (yes/no and "Other" from `builtin`)."""
    for option in question.options:
        if option.id == choice:
            return text_in(consultation, option.label, language)[1]
    return builtin.get(choice, choice)


def answer_text(
    consultation: Consultation,
    question: Question,
    value: Any,
    language: str,
    builtin: Mapping[str, str],
) -> str:
    """An answer as a reader of results and exports sees it."""
    if value is None:
        return ""
    return text_writer(consultation, question, language, builtin)(value)


def text_writer(
    consultation: Consultation, question: Question, language: str, builtin: Mapping[str, str]
) -> Callable[[Any], str]:
    """`answer_text` of one question's values (not None), its labels looked up once."""
    if question.type in ONE_ID or question.type == "multiple_choice":
        labels = _choice_labels(consultation, question, language, builtin)
        if question.type in ONE_ID:
            return lambda choice: labels.get(choice, choice)
        return lambda choices: "; ".join(labels.get(choice, choice) for choice in choices)
    if question.type == "location":
        return lambda value: f"{value[0]:.6f}, {value[1]:.6f}"
    return str


def _choice_labels(
    consultation: Consultation, question: Question, language: str, builtin: Mapping[str, str]
) -> dict[str, str]:
    """`choice_label` of every id it knows: the question's options (the first of an id
    wins), then `builtin`."""
    labels = dict(builtin)
    for option in reversed(question.options):
        labels[option.id] = text_in(consultation, option.label, language)[1]
    return labels
