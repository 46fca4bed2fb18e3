"""Answers between their three forms: the engine's JSON value, the typed columns of a
`consultation_answers` row (one row per answer, so staff can query them) and the text a
reader of results or exports sees."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from storage.models import ConsultationAnswer
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


def answer_value(question: Question, row: ConsultationAnswer) -> Any:
    """The engine's value of a stored answer (None if the row does not fit the type)."""
    kind = question.type
    if kind in ONE_ID:
        return row.text_value
    if kind == "multiple_choice":
        return list(row.choice_values or [])
    if kind in ("rating", "number"):
        number = row.number_value
        integer = kind == "rating" or question.integer
        return int(number) if number is not None and integer else number
    if kind == "date":
        return row.date_value.isoformat() if row.date_value else None
    if kind == "location":
        return None if row.latitude is None else [row.latitude, row.longitude]
    if kind == "photo":
        return row.media_ref
    return row.text_value


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
    if question.type == "multiple_choice":
        return "; ".join(choice_label(consultation, question, c, language, builtin) for c in value)
    if question.type in ONE_ID:
        return choice_label(consultation, question, value, language, builtin)
    if question.type == "location":
        return f"{value[0]:.6f}, {value[1]:.6f}"
    return str(value)
