"""My data (law 09-08): the citizen sees everything kept about them and can erase it all.
What each capability keeps comes from the personal-data registry
(`handlers.personal_data`); this module shows and erases the citizen's own record."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.channels import channel_name
from handlers.citizens.profile import field_value_label, open_profile
from handlers.flows import (
    Choice,
    Input,
    MenuEntry,
    RequestTarget,
    Step,
    enter,
    not_an_answer,
    register_flow,
    register_menu_entry,
    register_request_target,
)
from handlers.languages import citizen_locale, translate
from handlers.menu import show_menu
from handlers.personal_data import describe_personal_data, erase_personal_data
from handlers.turns import Turn
from storage.models import Citizen

DELETE, PROFILE, BACK, YES, NO = "delete", "profile", "back", "yes", "no"


def _local_time(turn: Turn, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(turn.settings.timezone)).strftime("%Y-%m-%d %H:%M")


def describe_citizen(turn: Turn, citizen: Citizen) -> str:
    language_name = translate(citizen_locale(citizen), "language.name")
    fields = [
        ("channel", channel_name(turn.t, citizen.channel)),
        ("user_id", citizen.channel_user_id),
        ("language", language_name),
        ("consent_at", _local_time(turn, citizen.consent_at)),
        ("quarter", field_value_label(turn, "quarter", citizen.quarter)),
        ("gender", field_value_label(turn, "gender", citizen.gender)),
        ("age_bracket", field_value_label(turn, "age_bracket", citizen.age_bracket)),
        ("created_at", _local_time(turn, citizen.created_at)),
        ("last_seen_at", _local_time(turn, citizen.last_seen_at)),
    ]
    lines = [
        turn.t("layout.field", label=turn.t("my_data.field." + name), value=value)
        for name, value in fields
    ]
    return "\n".join([turn.t("my_data.summary"), *lines])


async def _prompt_view(turn: Turn) -> None:
    citizen = await turn.citizen()
    if citizen is None:
        await show_menu(turn, turn.t("my_data.none"))
        return
    buttons = [
        [turn.button(PROFILE, turn.t("my_data.profile"))],
        [turn.button(DELETE, turn.t("my_data.delete")), turn.button(BACK, turn.t("menu.back"))],
    ]
    kept = await describe_personal_data(turn, citizen)
    turn.say("\n".join([describe_citizen(turn, citizen), *kept]), buttons)


async def _handle_view(turn: Turn, answer: Input) -> None:
    """The citizen changes their profile, asks to erase everything, or goes back."""
    if answer == Choice(PROFILE):
        await open_profile(turn)
    elif answer == Choice(DELETE):
        await enter(turn, "my_data", "confirm")
    elif answer == Choice(BACK):
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer, _prompt_view)


async def _prompt_confirm(turn: Turn) -> None:
    buttons = [
        [
            turn.button(YES, turn.t("my_data.confirm_yes")),
            turn.button(NO, turn.t("my_data.confirm_no")),
        ]
    ]
    turn.say(turn.t("my_data.confirm_delete"), buttons)


async def erase_everything(turn: Turn) -> None:
    """Delete what every capability keeps about the citizen, then the citizen, their
    conversation and the content of their stored updates."""
    incoming = turn.incoming
    citizen_id = turn.conversation.citizen_id
    if citizen_id is not None:
        await erase_personal_data(turn.uow, citizen_id)
        await turn.uow.citizens.erase(citizen_id)
    await turn.uow.inbox.erase_sender(incoming.channel, incoming.user_id)
    turn.forget_conversation()


async def _handle_confirm(turn: Turn, answer: Input) -> None:
    """The citizen confirms the erasure, or keeps their data."""
    if answer == Choice(YES):
        await erase_everything(turn)
        turn.say(turn.t("my_data.deleted"))
    elif answer == Choice(NO):
        turn.note(turn.t("my_data.kept"))
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer, _prompt_confirm)


async def open_my_data(turn: Turn) -> None:
    await enter(turn, "my_data", "view")


register_flow(
    "my_data",
    {"view": Step(_prompt_view, _handle_view), "confirm": Step(_prompt_confirm, _handle_confirm)},
)
register_menu_entry(MenuEntry("my_data", "menu.my_data", open_my_data, order=60))


async def _view_requested(turn: Turn, _words: tuple[str, ...]) -> None:
    await open_my_data(turn)


async def _erasure_requested(turn: Turn, _words: tuple[str, ...]) -> None:
    """A typed "delete my data" leads to the confirmation, never straight to the erasure."""
    await enter(turn, "my_data", "confirm")


register_request_target(RequestTarget("my_data", "menu.my_data", _view_requested))
register_request_target(RequestTarget("delete_data", "my_data.delete", _erasure_requested))
