"""Which approved template carries a push outside WhatsApp's 24-hour window.

Outside the window WhatsApp delivers only templates its reviewers approved. The commune
approves one template per kind of push (a complaint's status, a workshop reminder, a
broadcast…) in each template language, each with one body variable `{{1}}` that carries
the push's text in the citizen's own language (Darija and Tachelhit have no template
language of their own: their texts travel in the variable of the French or Arabic one).

    WHATSAPP_TEMPLATES=complaint=tachawor_complaint_update,workshop=tachawor_workshop,*=tachawor_notice
    WHATSAPP_TEMPLATE_LANGUAGES=fr=fr,ar=ar,ary=ar,ary_Latn=fr,shi=fr

`*` names the template for every kind not listed. A kind with no template waits for the
citizen to write again (counted on the dashboard), never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ANY_KIND = "*"
DEFAULT_LANGUAGES = "fr=fr,ar=ar,ary=ar,ary_Latn=fr,shi=fr"
# WhatsApp refuses a variable with a new line, a tab or more than four spaces in a row
# (error 132018); the whole body stays under 1,024 characters.
MAX_PARAMETER = 900
_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
_KIND = re.compile(r"^(\*|[a-z_]{1,16})$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    language: str


def pairs(setting: str, *, what: str, key: re.Pattern[str], value: re.Pattern[str]) -> dict:
    """`a=b,c=d` as a mapping; a ValueError naming the wrong entry."""
    found: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        name, separator, chosen = (side.strip() for side in entry.partition("="))
        if not separator or not key.match(name) or not value.match(chosen):
            raise ValueError(f"{what}: {entry!r} is not key=value as documented")
        found[name] = chosen
    return found


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    """The template (name and language) for a push of one kind to a reader of one locale."""

    names: dict[str, str]
    languages: dict[str, str]

    @classmethod
    def of_settings(cls, templates: str, languages: str = DEFAULT_LANGUAGES) -> TemplateChoice:
        names = pairs(templates, what="WHATSAPP_TEMPLATES", key=_KIND, value=_NAME)
        codes = pairs(languages, what="WHATSAPP_TEMPLATE_LANGUAGES", key=_LANGUAGE,
                      value=_LANGUAGE)  # fmt: skip
        return cls(names, codes)

    def for_push(self, kind: str, locale: str) -> Template | None:
        name = self.names.get(kind) or self.names.get(ANY_KIND)
        if name is None:
            return None
        language = self.languages.get(locale) or self.languages.get(locale.split("_")[0], "fr")
        return Template(name, language)


def template_message(template: Template, text: str) -> dict[str, Any]:
    """The Cloud API message of a template whose one variable carries `text`."""
    return {
        "type": "template",
        "template": {
            "name": template.name,
            "language": {"code": template.language},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": parameter(text)}]}
            ],
        },
    }


def parameter(text: str) -> str:
    """`text` as a template variable: its lines joined with " · ", no run of spaces,
    shortened with "…" to what the body allows."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    flat = " · ".join(line for line in lines if line) or "…"
    return flat if len(flat) <= MAX_PARAMETER else flat[: MAX_PARAMETER - 1].rstrip() + "…"
