"""Reading one field of a consultation document: texts per language, flags, numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.definitions import LANGUAGES, Texts
from surveys.problems import Problems


def read_texts(raw: Any, languages: tuple[str, ...], where: str, problems: Problems) -> Texts:
    """A text in every required language (more languages may be given)."""
    if not isinstance(raw, Mapping) or not raw:
        problems.add(where, f"expected a text per language ({', '.join(languages)})")
        return {}
    texts: dict[str, str] = {}
    for language, text in raw.items():
        if language not in LANGUAGES:
            problems.add(where, f"unknown language {language!r} (one of {', '.join(LANGUAGES)})")
        elif not isinstance(text, str) or not text.strip():
            problems.add(where, f"empty text in {language}")
        else:
            texts[language] = text.strip()
    for language in languages:
        if language not in raw:
            problems.add(where, f"missing translation in {language}")
    return texts


def read_flag(raw: Any, where: str, problems: Problems) -> bool:
    if not isinstance(raw, bool):
        problems.add(where, "expected true or false")
        return False
    return raw


def read_number(raw: Any, where: str, problems: Problems) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        problems.add(where, f"{raw!r} is not a number")
        return None
    try:
        return float(raw)
    except ValueError:
        problems.add(where, f"{raw!r} is not a number")
        return None
