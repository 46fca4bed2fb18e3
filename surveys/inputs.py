"""Reading what a citizen typed as a typed answer: numbers (Western or Arabic-Indic digits,
decimal comma), ratings, dates (31/12/2026, 31-12-2026, 2026-12-31) and texts. A reading
that fails says why, as a catalog key the conversation translates."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from surveys.definitions import LONG_TEXT_MAX, RATINGS, SHORT_TEXT_MAX, Question
from surveys.numerals import read_whole, western_digits

NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Rejected:
    """The input does not answer the question; `message` is a catalog key."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _shown(bound: float, integer: bool) -> str:
    return str(int(bound)) if integer or bound.is_integer() else f"{bound:g}"


def read_number(text: str, question: Question) -> int | float | Rejected:
    """A number within the question's bounds."""
    typed = western_digits(text).replace(" ", "")
    if not NUMBER.match(typed):
        return Rejected("consultation.error.number")
    number = float(typed.replace(",", "."))
    if not math.isfinite(number):  # hundreds of digits: no quantity anyone means
        return Rejected("consultation.error.number")
    if question.integer and not number.is_integer():
        return Rejected("consultation.error.integer")
    low, high = question.minimum, question.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        return _out_of_bounds(question)
    return int(number) if question.integer else number


def _out_of_bounds(question: Question) -> Rejected:
    low, high, integer = question.minimum, question.maximum, question.integer
    if low is not None and high is not None:
        shown = {"min": _shown(low, integer), "max": _shown(high, integer)}
        return Rejected("consultation.error.range", shown)
    if low is not None:
        return Rejected("consultation.error.min", {"min": _shown(low, integer)})
    return Rejected("consultation.error.max", {"max": _shown(high or 0.0, integer)})


def read_rating(text: str) -> int | Rejected:
    rating = read_whole(text)
    if rating in RATINGS:
        return rating
    return Rejected("consultation.error.rating", {"min": RATINGS[0], "max": RATINGS[-1]})


def read_date(text: str) -> str | Rejected:
    """The date as ISO text (2026-12-31)."""
    typed = western_digits(text)
    if match := DAY_FIRST.match(typed):
        day, month, year = (int(part) for part in match.groups())
    elif match := YEAR_FIRST.match(typed):
        year, month, day = (int(part) for part in match.groups())
    else:
        return Rejected("consultation.error.date")
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return Rejected("consultation.error.date_impossible")


def read_text(text: str, long: bool) -> str | Rejected:
    limit = LONG_TEXT_MAX if long else SHORT_TEXT_MAX
    if len(text) > limit:
        return Rejected("consultation.error.text_long", {"max": limit})
    return text
