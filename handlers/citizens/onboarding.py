"""First contact: a greeting in the language the citizen wrote, the choice of language,
then consent under law 09-08. Nothing personal is stored before the citizen accepts.

    first message ─► greeting + [languages] ─► consent [accept | decline] ─► menu
                                   ▲ typed text re-detects the language
A request in a message typed before consent ("salam, bghit n9dm chikaya") is kept and
followed once the citizen accepts: they land where they asked to go, not at the menu.
"""

from __future__ import annotations

from handlers.citizens.information import privacy_params
from handlers.flows import Choice, Input, Step, enter, not_an_answer, register_flow
from handlers.intents import follow_pending_request, remember_request
from handlers.languages import (
    LOCALES,
    apply_locale,
    chosen_locale,
    language_buttons,
    locale_of_text,
)
from handlers.menu import in_rows, show_menu
from handlers.turns import Turn
from handlers.types import Text

ACCEPT, DECLINE, CHANGE_LANGUAGE = "accept", "decline", "language"


async def start_onboarding(turn: Turn) -> None:
    """The citizen is greeted in their language and asked to confirm or change it."""
    if isinstance(turn.incoming.payload, Text):
        remember_request(turn, turn.incoming.payload.text)
    turn.note(turn.t("greeting", commune=turn.commune))
    await enter(turn, "onboarding", "language")


async def _prompt_language(turn: Turn) -> None:
    turn.say(turn.t("language.prompt"), in_rows(language_buttons(turn)))


async def _handle_language(turn: Turn, answer: Input) -> None:
    """The citizen confirms or picks a language; typing again re-detects it."""
    locale = chosen_locale(answer)
    if locale is not None:
        await apply_locale(turn, locale)
        await enter(turn, "onboarding", "consent")
        return
    if isinstance(answer, Text) and (detected := locale_of_text(answer.text)):
        turn.set_locale(detected)
        remember_request(turn, answer.text)
    else:
        turn.note(turn.t("error.choose_option"))
    await _prompt_language(turn)


def consent_text(turn: Turn) -> str:
    return turn.t("consent.text", **privacy_params(turn))


async def _prompt_consent(turn: Turn) -> None:
    buttons = [
        [
            turn.button(ACCEPT, turn.t("consent.accept")),
            turn.button(DECLINE, turn.t("consent.decline")),
        ],
        [turn.button(CHANGE_LANGUAGE, turn.t("menu.language"))],
    ]
    turn.say(consent_text(turn), buttons)


async def record_consent(turn: Turn) -> None:
    """Create the citizen's record: the first personal data kept, at the moment of consent."""
    incoming = turn.incoming
    info = LOCALES[turn.locale]
    turn.conversation.citizen_id = await turn.uow.citizens.register(
        {
            "channel": incoming.channel,
            "channel_user_id": incoming.user_id,
            "chat_id": incoming.chat_id,
            "language": info.language,
            "script": info.script,
            "consent_at": turn.now,
            "reachable": True,
            "created_at": turn.now,
            "last_seen_at": turn.now,
        }
    )
    turn.remember("declined", False)


async def _handle_consent(turn: Turn, answer: Input) -> None:
    """The citizen accepts (their record is created) or declines (public information only)."""
    if answer == Choice(ACCEPT):
        await record_consent(turn)
        turn.note(turn.t("consent.accepted"))
        if not await follow_pending_request(turn):
            await show_menu(turn)
    elif answer == Choice(DECLINE):
        turn.remember("declined", True)
        await show_menu(turn, turn.t("consent.declined"))
    elif answer == Choice(CHANGE_LANGUAGE):
        await enter(turn, "language", "choose")
    else:
        await not_an_answer(turn, answer, _prompt_consent)


register_flow(
    "onboarding",
    {
        "language": Step(_prompt_language, _handle_language),
        "consent": Step(_prompt_consent, _handle_consent),
    },
)
