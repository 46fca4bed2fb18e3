"""The back-office's words: `backoffice.*` keys from its own catalogs (French and Arabic,
`bot/web/locales/<lang>.po`), and every other key — status labels, categories, refusals —
from the bot's catalogs, so staff read exactly what citizens and the staff chat read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from handlers.languages import is_rtl, translate

LOCALES_DIR = Path(__file__).parent / "locales"
PREFIX = "backoffice."


@cache
def web_catalog(locale: str) -> dict[str, str]:
    with (LOCALES_DIR / f"{locale}.po").open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


@dataclass(frozen=True, slots=True)
class WebTranslator:
    """`t("backoffice.nav.complaints")` or any bot key, in one staff member's language."""

    locale: str

    def __call__(self, key: str, **params: object) -> str:
        if not key.startswith(PREFIX):
            return translate(self.locale, key, **params)
        try:
            template = web_catalog(self.locale)[key]
        except KeyError:
            raise KeyError(f"{key!r} has no text in the back-office's {self.locale!r}") from None
        return template.format(**params) if params else template

    @property
    def direction(self) -> str:
        return "rtl" if is_rtl(self.locale) else "ltr"
