"""Message catalogs: every text the bot sends, per locale, from gettext `.po` files.

Locales are language plus script where a language is written in several: `ary` (Darija in
Arabic script), `ary-Latn` (Darija as typed with 3/7/9), `shi` (Tachelhit, Latin) and
`shi-Tfng` (derived from `shi` by transliteration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.pofile import read_po

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
    )
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


@cache
def _messages(locale: str) -> dict[str, str]:
    info = LOCALES[locale]
    messages = _load(info.catalog)
    if info.derived_by == "tifinagh":
        messages = {key: to_tifinagh(text) for key, text in messages.items()}
        messages["language.name"] = "ⵜⴰⵛⵍⵃⵉⵜ"
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


OTHER_QUARTER = "Other"  # the quarter of COMMUNE_QUARTERS that is not a name


def quarter_label(t: Callable[[str], str], quarter: str) -> str:
    """A quarter's name: proper nouns stay as configured, "Other" is translated."""
    return t("quarter.other") if quarter == OTHER_QUARTER else quarter


def catalog_keys(locale: str = REFERENCE_LOCALE) -> set[str]:
    return set(_messages(locale))


def is_rtl(locale: str) -> bool:
    return LOCALES.get(locale, LOCALES[REFERENCE_LOCALE]).rtl
