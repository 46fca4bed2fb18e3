"""Languages: the message catalogs (`locales/`, gettext), which language a message is
written in, Tachelhit in Tifinagh and in Arabic script, place names in the reader's
language, and choosing or following the citizen's language.
Everything else uses languages only through what this package exports."""

from handlers.languages.catalogs import (
    LOCALES,
    REFERENCE_LOCALE,
    LocaleInfo,
    MissingTranslation,
    Translator,
    catalog_keys,
    citizen_locale,
    derive_text,
    is_rtl,
    locale_for,
    translate,
)
from handlers.languages.choice import (
    apply_locale,
    chosen_locale,
    follow_script,
    language_buttons,
    locale_of_text,
    open_language_choice,
)
from handlers.languages.detection import DetectedLanguage, describe_detection, detect_language
from handlers.languages.places import place_key, place_name, quarter_label
from handlers.languages.spelling import normalise, writing_script
from handlers.languages.tachelhit_arabic import to_arabic_script
from handlers.languages.tifinagh import from_tifinagh, to_tifinagh

__all__ = [
    "LOCALES",
    "REFERENCE_LOCALE",
    "DetectedLanguage",
    "LocaleInfo",
    "MissingTranslation",
    "Translator",
    "apply_locale",
    "catalog_keys",
    "chosen_locale",
    "citizen_locale",
    "derive_text",
    "describe_detection",
    "detect_language",
    "follow_script",
    "from_tifinagh",
    "is_rtl",
    "language_buttons",
    "locale_for",
    "locale_of_text",
    "normalise",
    "open_language_choice",
    "place_key",
    "place_name",
    "quarter_label",
    "to_arabic_script",
    "to_tifinagh",
    "translate",
    "writing_script",
]
