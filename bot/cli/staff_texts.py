"""The staff's language at the terminal: every line a `tachawor` command prints for a
person is a catalog text (keys `cli.<command>.<name>`), in DEFAULT_LANGUAGE unless the
command's `--language` says otherwise. Data meant for pipes (TSV rows, CSV and XLSX
exports, ids, keys, statuses as they are typed) stays as it is."""

from __future__ import annotations

from bot.settings import Settings
from handlers.languages import LOCALES, Translator
from surveys.definitions import LANGUAGES


def staff_translate(settings: Settings, locale: str | None = None) -> Translator:
    """`t(key, **params)` in the staff's language."""
    return Translator(locale or settings.default_language)


def staff_content_language(settings: Settings) -> str:
    """The language consultation texts are shown to staff in: theirs, or its written form
    (Tachelhit in Tifinagh reads the Latin texts), French if consultations lack it."""
    locale = settings.default_language
    if locale in LANGUAGES:
        return locale
    info = LOCALES.get(locale)
    base = info.catalog.replace("_", "-") if info is not None else locale
    return base if base in LANGUAGES else "fr"
