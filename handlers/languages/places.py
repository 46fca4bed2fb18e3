"""Place names in the reader's language: the commune's and its quarters', configured in
Latin letters (COMMUNE_NAME, COMMUNE_QUARTERS) and translated by the catalogs' keys
`place.<slug>`. A name no catalog translates is shown as configured (transliterated for
Tachelhit in Tifinagh or Arabic script), so a commune may configure any name first and
add its translations after."""

from __future__ import annotations

import re
import unicodedata

from handlers.languages.catalogs import MissingTranslation, Translator, derive_text, translate

PLACE_PREFIX = "place."
OTHER_QUARTER = "Other"  # the quarter of COMMUNE_QUARTERS that is not a name


def place_key(name: str) -> str:
    """The catalog key of a configured name: its lower-case ASCII letters and digits, `_`
    between words ("Derb Jdid" → `place.derb_jdid`, "Aït Melloul" → `place.ait_melloul`)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return PLACE_PREFIX + "_".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def place_name(locale: str, name: str) -> str:
    """A configured place name as a reader of `locale` reads it: the catalog's text for
    its key, else the name as configured (in the locale's script for derived locales)."""
    key = place_key(name)
    if key != PLACE_PREFIX:
        try:
            return translate(locale, key)
        except MissingTranslation:
            pass
    return derive_text(locale, name)


def quarter_label(t: Translator, quarter: str) -> str:
    """A quarter's name in the reader's language; "Other" is a word, not a name."""
    return t("quarter.other") if quarter == OTHER_QUARTER else place_name(t.locale, quarter)
