"""The back-office's catalogs: French and Arabic translate the same keys with the same
placeholders, and every key the pages and their code name has a text in both — the
static ones as written, the ones built from a prefix for every value they take."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.web.rendering import ERROR_PAGES
from bot.web.texts import LOCALES_DIR, WebTranslator, web_catalog
from handlers.languages import catalog_keys
from storage.repositories.staff import ROLES

WEB = Path(__file__).resolve().parents[3] / "bot" / "web"
SOURCES = [*WEB.rglob("*.html"), *WEB.rglob("*.py")]
LITERAL_KEY = re.compile(r"""["']((?:backoffice|complaint|staff|layout)\.[a-z_.]+[a-z_])["']""")
RECORDED_ACTION = re.compile(r"""record_staff_action\(\s*uow,\s*[\w.]+,\s*"([a-z_]+)\"""")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def used_keys() -> set[str]:
    return {key for path in SOURCES for key in LITERAL_KEY.findall(path.read_text("utf-8"))}


def recorded_actions() -> set[str]:
    return {a for path in SOURCES for a in RECORDED_ACTION.findall(path.read_text("utf-8"))}


def test_both_catalogs_exist():
    assert sorted(p.name for p in LOCALES_DIR.glob("*.po")) == ["ar.po", "fr.po"]


def test_french_and_arabic_translate_the_same_keys_with_the_same_placeholders():
    french, arabic = web_catalog("fr"), web_catalog("ar")
    assert set(french) == set(arabic)
    for key, text in french.items():
        assert arabic[key].strip(), key
        assert placeholders(arabic[key]) == placeholders(text), key
    assert all(key.startswith("backoffice.") for key in french)


def test_every_key_the_pages_name_has_a_text():
    known = set(web_catalog("fr")) | catalog_keys("fr")
    keys = {key for key in used_keys() if not key.endswith(".html")}
    assert len(keys) > 100
    missing = sorted(key for key in keys if key not in known)
    assert missing == []


@pytest.mark.parametrize(
    "key",
    [
        *(f"backoffice.error.{page}" for page in sorted({*ERROR_PAGES.values(), "failed"})),
        *(f"backoffice.role.{role}" for role in ROLES),
    ],
)
def test_every_key_built_from_a_prefix_has_a_text(key):
    assert WebTranslator("fr")(key) and WebTranslator("ar")(key)


def test_every_action_written_to_the_audit_log_has_a_name():
    actions = recorded_actions()
    assert {"sign_in", "complaint_status", "complaints_export"} <= actions
    for action in actions:
        assert WebTranslator("ar")(f"backoffice.action.{action}")


def test_a_missing_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        WebTranslator("fr")("backoffice.no.such.key")
