"""Choosing the language: by buttons at any time (/lang or the menu), and by following the
script the citizen writes in (Darija and Tachelhit are typed in two scripts each)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.flows import (
    Choice,
    Input,
    MenuEntry,
    Step,
    enter,
    not_an_answer,
    register_flow,
    register_menu_entry,
)
from handlers.languages.catalogs import LOCALES, translate
from handlers.languages.detection import detect_language
from handlers.menu import in_rows, show_menu
from handlers.types import Button

if TYPE_CHECKING:
    # Only a hint: `handlers.turns` needs the catalogs, which load this module.
    from handlers.turns import Turn

LANGUAGE_CHOICE = "lang:"
BACK = "back"


def locale_of_text(text: str) -> str | None:
    """The supported locale a message seems written in (a guess for very short texts), or
    None when it is in no supported language."""
    detected = detect_language(text)
    return detected.code if detected.code in LOCALES else None


def language_buttons(turn: Turn) -> list[Button]:
    """One button per locale, each named in its own language, the current one first."""
    ordered = sorted(LOCALES, key=lambda code: code != turn.locale)
    return [
        turn.button(LANGUAGE_CHOICE + code, translate(code, "language.name")) for code in ordered
    ]


def chosen_locale(answer: Input) -> str | None:
    if isinstance(answer, Choice) and answer.value.startswith(LANGUAGE_CHOICE):
        code = answer.value.removeprefix(LANGUAGE_CHOICE)
        return code if code in LOCALES else None
    return None


def follow_script(turn: Turn, text: str) -> None:
    """Answer Darija or Tachelhit in the script the citizen just used, once the message is
    clearly written in it: a number, an emoji, a place name or a tracking number, or a
    single word that could be typed either way, changes nothing."""
    detected = detect_language(text)
    if not detected.confident or detected.code not in LOCALES or detected.code == turn.locale:
        return
    if LOCALES[detected.code].language == LOCALES[turn.locale].language:
        turn.set_locale(detected.code)


async def apply_locale(turn: Turn, locale: str) -> None:
    turn.set_locale(locale)
    citizen = await turn.citizen()
    if citizen is not None:
        citizen.language, citizen.script = LOCALES[locale].language, LOCALES[locale].script


async def _prompt_choice(turn: Turn) -> None:
    buttons = language_buttons(turn)
    buttons.append(turn.button(BACK, turn.t("menu.back")))
    turn.say(turn.t("language.choose"), in_rows(buttons))


async def _handle_choice(turn: Turn, answer: Input) -> None:
    """The citizen picks the language the bot should use from now on."""
    locale = chosen_locale(answer)
    if locale is None and answer != Choice(BACK):
        await not_an_answer(turn, answer, _prompt_choice)
        return
    if locale is not None:
        await apply_locale(turn, locale)
        turn.note(turn.t("language.changed"))
    if turn.consented or turn.declined:
        await show_menu(turn)
    else:
        await enter(turn, "onboarding", "consent")


async def open_language_choice(turn: Turn) -> None:
    await enter(turn, "language", "choose")


register_flow("language", {"choose": Step(_prompt_choice, _handle_choice)})
register_menu_entry(
    MenuEntry("language", "menu.language", open_language_choice, order=70, public=True)
)
