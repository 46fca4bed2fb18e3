"""Which text of a consultation a reader gets: their language, else the consultation's
fallback order for it, else the first language the consultation is written in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from surveys.definitions import Consultation, Texts


def pick(
    texts: Texts, locale: str, fallbacks: Mapping[str, Sequence[str]], first: Sequence[str] = ()
) -> tuple[str, str]:
    """(the language the chosen text is written in, the text)."""
    for language in (locale, *fallbacks.get(locale, ()), *first, *texts):
        if language in texts:
            return language, texts[language]
    return "", ""


def text_in(consultation: Consultation, texts: Texts | None, locale: str) -> tuple[str, str]:
    """The text of `texts` for a reader of `locale`, with the language it is in."""
    if not texts:
        return "", ""
    return pick(texts, locale, consultation.fallbacks, consultation.languages)
