"""Consistency of the gettext catalogs under handlers/languages/locales/ with the French reference.

Every catalog directory must translate exactly the keys of the French catalog, with no empty
and no fuzzy entry, and keep the same ``{placeholders}`` as the French text.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, unescape

LOCALES_DIR = Path(__file__).resolve().parents[3] / "handlers" / "languages" / "locales"
DOMAIN = "tachawor"
REFERENCE = "fr"
# Catalogs that must exist besides the reference; any other directory is checked too.
EXPECTED_LANGUAGES = {"ar", "ary", "ary_Latn", "shi"}
REVIEW_HEADER = ("X-Review-Status", "needs-native-review")


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages() -> list[str]:
    return sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir())


def load(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fileobj:
        return read_po(fileobj)


def messages(catalog: Catalog) -> dict[str, object]:
    """Key -> message, without the header entry."""
    return {message.id: message for message in catalog if message.id}


def texts(message) -> list[str]:
    string_ = message.string
    if isinstance(string_, (tuple, list)):
        return list(string_)
    return [string_ or ""]


def placeholders(text: str) -> set[str]:
    """The ``{...}`` fields of a str.format template ("{{" and "}}" are literal braces)."""
    found = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        conversion = f"!{conversion}" if conversion else ""
        spec = f":{spec}" if spec else ""
        found.add("{" + field + conversion + spec + "}")
    return found


def raw_header_fields(lang: str) -> dict[str, str]:
    """Header fields as written in the file (read_po drops the non-standard ones)."""
    text = po_path(lang).read_text(encoding="utf-8")
    entry = text.split('msgid ""', 1)[1].split("\n\n", 1)[0]
    parts = []
    for line in entry.splitlines()[1:]:  # [0] is the rest of the `msgid ""` line
        line = line.strip()
        if line.startswith("msgstr "):
            line = line[len("msgstr ") :]
        if line.startswith('"') and line.endswith('"'):
            parts.append(unescape(line))
    header = "".join(parts)
    fields = {}
    for line in header.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


LANGUAGES = [lang for lang in catalog_languages() if lang != REFERENCE]


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    return messages(load(REFERENCE))


def test_expected_catalogs_exist():
    wanted = EXPECTED_LANGUAGES | {REFERENCE}
    missing = sorted(lang for lang in wanted if not po_path(lang).is_file())
    assert not missing, f"missing catalogs: {missing}"


def test_every_locale_directory_has_a_catalog():
    without = [lang for lang in catalog_languages() if not po_path(lang).is_file()]
    assert not without, f"locale directories without {DOMAIN}.po: {without}"


@pytest.mark.parametrize("lang", catalog_languages())
def test_catalog_loads_and_declares_its_language(lang):
    catalog = load(lang)
    assert catalog.locale_identifier == lang, (
        f"{lang}: Language header is {catalog.locale_identifier!r}, expected {lang!r}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_keys_as_reference(lang, reference):
    keys = set(messages(load(lang)))
    missing = sorted(set(reference) - keys)
    extra = sorted(keys - set(reference))
    assert not missing and not extra, (
        f"{lang}: keys missing compared to {REFERENCE}: {missing}; extra keys: {extra}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keys_in_reference_order(lang, reference):
    keys = [key for key in messages(load(lang)) if key in reference]
    expected = [key for key in reference if key in keys]
    assert keys == expected, f"{lang}: keys are not in the order of the {REFERENCE} catalog"


@pytest.mark.parametrize("lang", catalog_languages())
def test_no_empty_translation(lang):
    empty = sorted(
        key
        for key, message in messages(load(lang)).items()
        if any(not text.strip() for text in texts(message))
    )
    assert not empty, f"{lang}: empty msgstr for keys {empty}"


@pytest.mark.parametrize("lang", catalog_languages())
def test_no_fuzzy_entry(lang):
    catalog = load(lang)
    fuzzy = sorted(key for key, message in messages(catalog).items() if message.fuzzy)
    assert not catalog.fuzzy, f"{lang}: the catalog header is marked fuzzy"
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_placeholders_as_reference(lang, reference):
    problems = []
    for key, message in messages(load(lang)).items():
        if key not in reference:
            continue
        expected = set().union(*(placeholders(text) for text in texts(reference[key])))
        for text in texts(message):
            try:
                found = placeholders(text)
            except ValueError as error:
                problems.append(f"{key} [{lang}]: malformed braces ({error})")
                continue
            if found != expected:
                problems.append(
                    f"{key} [{lang}]: placeholders {sorted(found)}, "
                    f"{REFERENCE} has {sorted(expected)}"
                )
    assert not problems, "\n".join(problems)


def test_reference_placeholders_are_well_formed(reference):
    problems = []
    for key, message in reference.items():
        for text in texts(message):
            try:
                placeholders(text)
            except ValueError as error:
                problems.append(f"{key} [{REFERENCE}]: malformed braces ({error})")
    assert not problems, "\n".join(problems)


def test_tachelhit_catalog_is_marked_for_native_review():
    name, value = REVIEW_HEADER
    fields = raw_header_fields("shi")
    assert fields.get(name) == value, f"shi: header {name!r} is {fields.get(name)!r}"
    assert "to be reviewed by a native Tachelhit speaker" in load("shi").header_comment
