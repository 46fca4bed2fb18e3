"""Following what a citizen types: at the menu, at a question whose answer is a button,
and in a first message that must wait for consent.

    "bghit n9dm chikaya" ─► recognise ─► one request ──► its target (the complaint form)
                                       ├► several ───► "Vous voulez…" [A] [B] [Menu]
                                       └► nothing ───► (the caller's answer)

A request for something that needs consent, typed before consent is given, is kept in
the conversation and followed once the citizen accepts.
"""

from __future__ import annotations

from handlers.flows import (
    REQUEST_TARGETS,
    Choice,
    Input,
    RequestTarget,
    Step,
    enter,
    not_an_answer,
    register_flow,
    register_request_reader,
    register_request_target,
    reprompt,
)
from handlers.intents.language_names import named_locale
from handlers.intents.recognition import recognise
from handlers.intents.vocabulary import SOCIAL
from handlers.languages import apply_locale, open_language_choice
from handlers.menu import show_menu
from handlers.turns import Turn
from handlers.types import Text

FLOW = "request"
MENU = "menu"
PENDING = "request"  # conversation-level: the request of a message sent before consent
MAX_OFFERED = 3


def _readings(intents: tuple[str, ...] | list[str], *, social: bool) -> list[str]:
    """The requests a message may mean where it is read (greetings and thanks count only
    where `social`: at the menu), each with somewhere to go."""
    kept = [i for i in intents if i in REQUEST_TARGETS and (social or i not in SOCIAL)]
    return kept[:MAX_OFFERED]


async def _follow(turn: Turn, intents: list[str], rest: tuple[str, ...] | list[str]) -> bool:
    """Go to the one request, or ask which of several was meant; False if none."""
    if len(intents) == 1:
        await go_to(turn, intents[0], rest)
    elif intents:
        await enter(turn, FLOW, "which", {"intents": intents, "rest": list(rest)})
    return bool(intents)


async def follow_typed_request(turn: Turn, text: str) -> bool:
    """Go where the text asks to, or ask which of its readings was meant."""
    recognition = recognise(text)
    intents = _readings(recognition.intents, social=turn.flow == MENU)
    return await _follow(turn, intents, recognition.rest)


async def go_to(turn: Turn, intent: str, rest: tuple[str, ...] | list[str]) -> None:
    target = REQUEST_TARGETS[intent]
    if target.public or turn.consented:
        await target.open(turn, tuple(rest))
        return
    turn.remember(PENDING, {"intents": [intent], "rest": list(rest)})
    if turn.declined:
        await show_menu(turn, turn.t("intent.needs_consent"))
    else:
        turn.note(turn.t("intent.consent_first"))
        await enter(turn, "onboarding", "consent")


def remember_request(turn: Turn, text: str) -> None:
    """Keep what a message sent before consent asks for (nothing if it asks for nothing)."""
    recognition = recognise(text)
    if intents := _readings(recognition.intents, social=False):
        turn.remember(PENDING, {"intents": intents, "rest": list(recognition.rest)})


async def follow_pending_request(turn: Turn) -> bool:
    """Once consent is given: where the first message asked to go, if it asked."""
    pending = turn.conversation.data.pop(PENDING, None)
    if not isinstance(pending, dict):
        return False
    intents = _readings(pending.get("intents", ()), social=False)
    return await _follow(turn, intents, [str(word) for word in pending.get("rest", ())])


async def _prompt_which(turn: Turn) -> None:
    buttons = [
        [turn.button(intent, turn.t(REQUEST_TARGETS[intent].label_key))]
        for intent in turn.data.get("intents", ())
        if intent in REQUEST_TARGETS
    ]
    turn.say(turn.t("intent.which"), [*buttons, [turn.button(MENU, turn.t("menu.back"))]])


async def _handle_which(turn: Turn, answer: Input) -> None:
    """The citizen says which of the readings of their message they meant."""
    offered = turn.data.get("intents", ())
    if isinstance(answer, Choice) and answer.value in offered:
        await go_to(turn, answer.value, turn.data.get("rest", ()))
    elif answer == Choice(MENU):
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer)


async def _greet_back(turn: Turn, _rest: tuple[str, ...]) -> None:
    await show_menu(turn, turn.t("intent.greeting_reply"))


async def _welcome_thanks(turn: Turn, _rest: tuple[str, ...]) -> None:
    await show_menu(turn, turn.t("intent.thanks_reply"))


async def _help(turn: Turn, _rest: tuple[str, ...]) -> None:
    """The help text, then where the citizen was (the menu, or their question)."""
    if turn.flow in (MENU, FLOW):
        await show_menu(turn, turn.t("help.text"))
    else:
        turn.say(turn.t("help.text"))
        await reprompt(turn)


async def _language(turn: Turn, _rest: tuple[str, ...]) -> None:
    """ "en arabe svp" switches to Arabic at once; "changer de langue", or two languages
    named, open the choice."""
    payload = turn.incoming.payload
    locale = named_locale(payload.text) if isinstance(payload, Text) else None
    if locale is None:
        await open_language_choice(turn)
        return
    await apply_locale(turn, locale)
    turn.note(turn.t("language.changed"))
    if turn.flow in (MENU, FLOW):
        await show_menu(turn)
    elif turn.consented or turn.declined:
        await reprompt(turn)
    else:
        await enter(turn, "onboarding", "consent")


register_flow(FLOW, {"which": Step(_prompt_which, _handle_which)})
register_request_reader(follow_typed_request)
for _target in (
    RequestTarget("greeting", "menu.title", _greet_back, public=True),
    RequestTarget("thanks", "menu.title", _welcome_thanks, public=True),
    RequestTarget("help", "menu.help", _help, public=True),
    RequestTarget("language", "menu.language", _language, public=True),
):
    register_request_target(_target)
