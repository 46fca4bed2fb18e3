"""Message catalogs: every text the bot sends, per locale, from gettext `.po` files.

Locales are language plus script where a language is written in several: `ary` (Darija in
Arabic script), `ary-Latn` (Darija as typed with 3/7/9), `shi` (Tachelhit, Latin), and
`shi-Tfng` and `shi-Arab` (Tachelhit in Tifinagh and in Arabic script, derived from `shi` by
transliteration: translators keep one Tachelhit text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.pofile import read_po

from handlers.languages.tachelhit_arabic import to_arabic_script
from handlers.languages.tifinagh import to_tifinagh

if TYPE_CHECKING:
    from storage.models import Citizen

LOCALES_DIR = Path(__file__).parent / "locales"
REFERENCE_LOCALE = "fr"


@dataclass(frozen=True, slots=True)
class LocaleInfo:
    code: str
    language: str
    script: str
    catalog: str
    rtl: bool = False
    derived_by: str | None = None


LOCALES: dict[str, LocaleInfo] = {
    info.code: info
    for info in (
        LocaleInfo("fr", "fr", "Latn", "fr"),
        LocaleInfo("ar", "ar", "Arab", "ar", rtl=True),
        LocaleInfo("ary", "ary", "Arab", "ary", rtl=True),
        LocaleInfo("ary-Latn", "ary", "Latn", "ary_Latn"),
        LocaleInfo("shi", "shi", "Latn", "shi"),
        LocaleInfo("shi-Tfng", "shi", "Tfng", "shi", derived_by="tifinagh"),
        LocaleInfo("shi-Arab", "shi", "Arab", "shi", rtl=True, derived_by="arabic"),
    )
}


@dataclass(frozen=True, slots=True)
class Derivation:
    """How a derived locale's texts are made from its catalog's."""

    transliterate: Callable[[str], str]
    language_name: str  # its button's name, spelt by hand (transliterated it would be off)


DERIVATIONS: dict[str, Derivation] = {
    "tifinagh": Derivation(to_tifinagh, "ⵜⴰⵛⵍⵃⵉⵜ"),
    "arabic": Derivation(to_arabic_script, "تاشلحيت"),
}


def locale_for(language: str, script: str) -> str:
    """The locale code of a stored (language, script) pair; unknown pairs fall back."""
    for info in LOCALES.values():
        if info.language == language and info.script == script:
            return info.code
    return language if language in LOCALES else REFERENCE_LOCALE


def citizen_locale(citizen: Citizen) -> str:
    """The locale a citizen reads: the language and script they chose."""
    return locale_for(citizen.language, citizen.script)


@cache
def _load(catalog: str) -> dict[str, str]:
    path = LOCALES_DIR / catalog / "LC_MESSAGES" / "tachawor.po"
    with path.open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


def derive_text(locale: str, text: str) -> str:
    """A text of `locale`'s catalog language (`shi`) as a reader of `locale` reads it:
    transliterated for `shi-Tfng` and `shi-Arab`, unchanged for any other locale."""
    info = LOCALES.get(locale)
    if info is None or info.derived_by is None:
        return text
    return DERIVATIONS[info.derived_by].transliterate(text)


@cache
def _messages(locale: str) -> dict[str, str]:
    info = LOCALES[locale]
    messages = _load(info.catalog)
    if info.derived_by is not None:
        messages = {key: derive_text(locale, text) for key, text in messages.items()}
        messages["language.name"] = DERIVATIONS[info.derived_by].language_name
    return messages


class MissingTranslation(KeyError):
    pass


def translate(locale: str, key: str, **params: object) -> str:
    """The text of `key` in `locale`, with `{placeholders}` filled in."""
    messages = _messages(locale if locale in LOCALES else REFERENCE_LOCALE)
    try:
        template = messages[key]
    except KeyError:
        raise MissingTranslation(f"{key!r} has no text in {locale!r}") from None
    return template.format(**params) if params else template


@dataclass(frozen=True, slots=True)
class Translator:
    """`translate` for one reader: `t("key", name=...)`. It knows the reader's locale, for
    what a catalog key cannot say alone (a configured place name)."""

    locale: str

    def __call__(self, key: str, **params: object) -> str:
        return translate(self.locale, key, **params)


def catalog_keys(locale: str = REFERENCE_LOCALE) -> set[str]:
    return set(_messages(locale))


def is_rtl(locale: str) -> bool:
    return LOCALES.get(locale, LOCALES[REFERENCE_LOCALE]).rtl
