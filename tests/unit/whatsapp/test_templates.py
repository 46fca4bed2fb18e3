"""The approved template for a push outside WhatsApp's 24-hour window: by kind (else `*`),
in the template language of the reader's locale, the push's text flattened into `{{1}}`."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from bot.whatsapp.templates import (
    MAX_PARAMETER,
    Template,
    TemplateChoice,
    parameter,
    template_message,
)

TEMPLATES = "complaint=tachawor_complaint_update, workshop=tachawor_workshop,*=tachawor_notice"


def test_settings_are_read_as_kinds_and_languages() -> None:
    choice = TemplateChoice.of_settings(TEMPLATES, "fr=fr,ar=ar,ary=ar,ary_Latn=fr")
    assert choice.names == {
        "complaint": "tachawor_complaint_update",
        "workshop": "tachawor_workshop",
        "*": "tachawor_notice",
    }
    assert choice.languages == {"fr": "fr", "ar": "ar", "ary": "ar", "ary_Latn": "fr"}
    assert TemplateChoice.of_settings("").names == {}


def test_a_kind_without_its_own_template_takes_the_star_one_or_none() -> None:
    choice = TemplateChoice.of_settings(TEMPLATES)
    assert choice.for_push("complaint", "fr") == Template("tachawor_complaint_update", "fr")
    assert choice.for_push("broadcast", "fr") == Template("tachawor_notice", "fr")
    without_star = TemplateChoice.of_settings("complaint=tachawor_complaint_update")
    assert without_star.for_push("broadcast", "fr") is None
    assert TemplateChoice.of_settings("").for_push("complaint", "ar") is None


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ar", "ar"),
        ("ary", "ar"),  # Darija travels in the Arabic template
        ("ary_Latn", "fr"),
        ("shi", "fr"),
        ("ary_Xx", "ar"),  # an unknown script: its base language's
        ("xx_Yy", "fr"),  # an unknown language: French
        ("xx", "fr"),
    ],
)
def test_the_template_language_follows_the_locale(locale: str, language: str) -> None:
    template = TemplateChoice.of_settings(TEMPLATES).for_push("workshop", locale)
    assert template == Template("tachawor_workshop", language)


def test_the_text_is_flattened_into_one_line_without_runs_of_spaces() -> None:
    text = "Votre réclamation TRD-12\n\n\tStatut :      résolue  \r\nMerci\t\tpour  tout"
    assert parameter(text) == "Votre réclamation TRD-12 · Statut : résolue · Merci pour tout"
    assert parameter(" \n\t ") == "…", "WhatsApp refuses an empty variable"


def test_a_long_text_is_cut_with_an_ellipsis() -> None:
    words = " ".join(f"mot{n}" for n in range(400))
    flat = parameter(words)
    assert len(flat) == MAX_PARAMETER == 900 and flat.endswith("…")
    assert words.startswith(flat[:-1].rstrip())
    assert parameter("x" * 900) == "x" * 900
    lines = parameter("\n".join(["ligne"] * 200))
    assert len(lines) <= 900 and "\n" not in lines and not lines[:-1].endswith(" ")


def test_the_template_message_carries_the_text_as_its_one_body_variable() -> None:
    message = template_message(Template("tachawor_notice", "ar"), "سطر أول\nسطر ثان")
    assert message == {
        "type": "template",
        "template": {
            "name": "tachawor_notice",
            "language": {"code": "ar"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "سطر أول · سطر ثان"}]}
            ],
        },
    }


@pytest.mark.parametrize(
    "templates",
    ["bad", "complaint=", "=tachawor_notice", "Complaint=x", "complaint=Tachawor Notice"],
)
def test_bad_templates_are_refused(templates: str) -> None:
    with pytest.raises(ValueError, match="WHATSAPP_TEMPLATES"):
        TemplateChoice.of_settings(templates)


@pytest.mark.parametrize("languages", ["fr", "fr=", "fr=french", "fr=fr,ary=AR"])
def test_bad_template_languages_are_refused(languages: str) -> None:
    with pytest.raises(ValueError, match="WHATSAPP_TEMPLATE_LANGUAGES"):
        TemplateChoice.of_settings(TEMPLATES, languages)


def test_settings_refuse_bad_templates_at_start() -> None:
    with pytest.raises(ValidationError, match="WHATSAPP_TEMPLATES"):
        Settings(_env_file=None, whatsapp_templates="bad")
    with pytest.raises(ValidationError, match="WHATSAPP_TEMPLATE_LANGUAGES"):
        Settings(_env_file=None, whatsapp_template_languages="fr:fr")
    settings = Settings(_env_file=None, whatsapp_templates=TEMPLATES)
    assert settings.whatsapp_templates == TEMPLATES
