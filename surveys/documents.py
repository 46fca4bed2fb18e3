"""A consultation document (the dict a YAML file, an XLSForm or the database holds) to a
checked `Consultation`, and back. Every problem is collected and named by where it is (a
question key, a spreadsheet row), so a whole file is corrected in one pass.

The schema is described in surveys/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from surveys.definitions import (
    AGE_BRACKETS,
    DEFAULT_FALLBACKS,
    GENDERS,
    LANGUAGES,
    ONE,
    POLL_OPTION_MAX,
    POLL_OPTIONS_MAX,
    POLL_QUESTION_MAX,
    POLL_TYPES,
    PROFILE_FIELDS,
    SEVERAL,
    Consultation,
    Segment,
    Texts,
)
from surveys.fields import read_flag, read_texts
from surveys.problems import Problems
from surveys.questions import build_questions, question_document

KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TOP_LEVEL = {
    "key", "languages", "fallbacks", "title", "intro", "privacy", "thanks", "opens", "closes",
    "target", "reports_by", "anonymous", "responses", "quick_poll", "choice_lists",
    "questions",
}  # fmt: skip
TARGETS = {
    "quarters": None,
    "languages": LANGUAGES,
    "genders": GENDERS,
    "age_brackets": AGE_BRACKETS,
}


def consultation_from_document(
    document: Mapping[str, Any], quarters: tuple[str, ...] | None = None
) -> Consultation:
    """The checked consultation; DefinitionError lists every problem. `quarters`, when
    given, are the commune's quarters a target may name."""
    problems = Problems()
    if not isinstance(document, Mapping):
        problems.add("file", "expected a mapping of consultation fields")
        raise problems.error()
    for name in sorted(set(document) - TOP_LEVEL):
        problems.add(name, "unknown field")
    languages = _languages(document.get("languages", ["fr"]), problems)
    consultation = Consultation(
        key=_key(document.get("key"), problems),
        title=read_texts(document.get("title"), languages, "title", problems),
        intro=read_texts(document.get("intro"), languages, "intro", problems),
        privacy=read_texts(document.get("privacy"), languages, "privacy", problems),
        thanks=read_texts(document.get("thanks"), languages, "thanks", problems),
        questions=build_questions(document, languages, problems),
        languages=languages,
        fallbacks=_fallbacks(document.get("fallbacks") or {}, problems),
        opens_on=_date(document.get("opens"), "opens", problems),
        closes_on=_date(document.get("closes"), "closes", problems),
        segment=_segment(document.get("target") or {}, quarters, problems),
        anonymous=read_flag(document.get("anonymous", False), "anonymous", problems),
        responses=_responses(document.get("responses", ONE), problems),
        quick_poll=read_flag(document.get("quick_poll", False), "quick_poll", problems),
        reports_by=_reports_by(document.get("reports_by") or [], problems),
    )
    opens, closes = consultation.opens_on, consultation.closes_on
    if opens and closes and opens > closes:
        problems.add("closes", "is before opens")
    if consultation.quick_poll:
        _check_quick_poll(consultation, problems)
    problems.raise_if_any()
    return consultation


def _key(raw: Any, problems: Problems) -> str:
    if not isinstance(raw, str) or not KEY.match(raw):
        problems.add("key", "expected lower-case letters, digits and _ (at most 64)")
        return str(raw or "")
    return raw


def _languages(raw: Any, problems: Problems) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",")]
    if not isinstance(raw, list) or not raw:
        problems.add("languages", "expected a list of languages")
        return ("fr",)
    unknown = [language for language in raw if language not in LANGUAGES]
    if unknown:
        problems.add("languages", f"unknown {unknown} (one of {', '.join(LANGUAGES)})")
    return tuple(language for language in raw if language in LANGUAGES) or ("fr",)


def _fallbacks(raw: Any, problems: Problems) -> dict[str, tuple[str, ...]]:
    fallbacks = dict(DEFAULT_FALLBACKS)
    if not isinstance(raw, Mapping):
        problems.add("fallbacks", "expected locale: [languages]")
        return fallbacks
    for locale, order in raw.items():
        order = [order] if isinstance(order, str) else order
        if locale not in DEFAULT_FALLBACKS:
            problems.add("fallbacks", f"unknown locale {locale!r}")
        elif not isinstance(order, list) or any(lang not in LANGUAGES for lang in order):
            problems.add("fallbacks", f"{locale}: expected languages among {LANGUAGES}")
        else:
            fallbacks[locale] = tuple(order)
    return fallbacks


def _date(raw: Any, where: str, problems: Problems) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        problems.add(where, f"{raw!r} is not a date (YYYY-MM-DD)")
        return None


def _responses(raw: Any, problems: Problems) -> str:
    if raw not in (ONE, SEVERAL):
        problems.add("responses", f"expected {ONE!r} or {SEVERAL!r}")
        return ONE
    return raw


def _segment(raw: Any, quarters: tuple[str, ...] | None, problems: Problems) -> Segment:
    if not isinstance(raw, Mapping):
        problems.add("target", "expected quarters, languages, genders and/or age_brackets")
        return Segment()
    values: dict[str, tuple[str, ...]] = {}
    for name in sorted(set(raw) - set(TARGETS)):
        problems.add(f"target.{name}", "unknown target")
    for name, allowed in {**TARGETS, "quarters": quarters}.items():
        listed = raw.get(name) or []
        listed = [listed] if isinstance(listed, str) else list(listed)
        wrong = [value for value in listed if allowed is not None and value not in allowed]
        if wrong:
            problems.add(f"target.{name}", f"unknown {wrong} (one of {', '.join(allowed)})")
        values[name] = tuple(str(value) for value in listed)
    return Segment(**values)


def _reports_by(raw: Any, problems: Problems) -> tuple[str, ...]:
    listed = [raw] if isinstance(raw, str) else raw
    if not isinstance(listed, list):
        problems.add("reports_by", f"expected a list among {', '.join(PROFILE_FIELDS)}")
        return ()
    wrong = [name for name in listed if name not in PROFILE_FIELDS]
    if wrong:
        problems.add("reports_by", f"unknown {wrong} (one of {', '.join(PROFILE_FIELDS)})")
    return tuple(name for name in PROFILE_FIELDS if name in listed)


def _check_quick_poll(consultation: Consultation, problems: Problems) -> None:
    """A quick poll is one button question a native poll can show: few, short options."""
    if consultation.responses != ONE:
        problems.add("responses", "a quick poll takes one response per citizen (a vote)")
    if len(consultation.questions) != 1:
        problems.add("questions", "a quick poll has exactly one question")
        return
    question = consultation.questions[0]
    where = f"question {question.key!r}"
    if question.type not in POLL_TYPES:
        problems.add(
            where, f"a quick poll asks {', '.join(sorted(POLL_TYPES))}, not {question.type}"
        )
        return
    if question.relevant is not None:
        problems.add(where, "a quick poll's question cannot have a condition")
    if len(question.options) > POLL_OPTIONS_MAX:
        problems.add(where, f"a quick poll offers at most {POLL_OPTIONS_MAX} choices")
    _check_lengths(question.label, POLL_QUESTION_MAX, where, problems)
    for option in question.options:
        _check_lengths(option.label, POLL_OPTION_MAX, f"{where}, choice {option.id}", problems)


def _check_lengths(texts: Texts, maximum: int, where: str, problems: Problems) -> None:
    for language, text in texts.items():
        if len(text) > maximum:
            problems.add(
                where, f"{language} text longer than {maximum} characters (a poll's limit)"
            )


def consultation_to_document(consultation: Consultation) -> dict[str, Any]:
    """A plain JSON-able dict that `consultation_from_document` reads back identically."""
    document: dict[str, Any] = {
        "key": consultation.key,
        "languages": list(consultation.languages),
        "title": dict(consultation.title),
        "intro": dict(consultation.intro),
        "privacy": dict(consultation.privacy),
        "thanks": dict(consultation.thanks),
        "anonymous": consultation.anonymous,
        "responses": consultation.responses,
        "quick_poll": consultation.quick_poll,
        "questions": [question_document(q) for q in consultation.questions],
    }
    changed = {
        locale: list(order)
        for locale, order in consultation.fallbacks.items()
        if DEFAULT_FALLBACKS.get(locale) != tuple(order)
    }
    if changed:
        document["fallbacks"] = changed
    for name, day in (("opens", consultation.opens_on), ("closes", consultation.closes_on)):
        if day is not None:
            document[name] = day.isoformat()
    segment = consultation.segment
    target = {name: list(getattr(segment, name)) for name in TARGETS if getattr(segment, name)}
    if target:
        document["target"] = target
    if consultation.reports_by:
        document["reports_by"] = list(consultation.reports_by)
    return document
