"""Workshops, for citizens: the upcoming ones (their own quarter first, then the soonest),
one in full, signing up or joining the waitlist, cancelling, and "My workshops" with the
code to show at the door. Also the buttons on workshop pushes (sign up from an
announcement, decline a promotion, rate an attended workshop).

    menu ─► 🗓️ Workshops ─► list ─► details [Sign up | Join the waitlist | Cancel]
                         └─► My workshops ─► details
    first sign-up ─► the optional profile (once) ─► the sign-up goes on
"""

from __future__ import annotations

from handlers.citizens import ask_profile_first, register_resumption
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
from handlers.flows import reprompt as ask_again
from handlers.menu import show_menu
from handlers.turns import Turn
from handlers.workshops.attendance import rate_workshop
from handlers.workshops.notices import DECLINE_PREFIX, JOIN_PREFIX, RATE_PREFIX
from handlers.workshops.seats import (
    accepts_sign_ups,
    cancel_registration,
    register_for_workshop,
    seats_left,
)
from handlers.workshops.views import details_text, title_line
from storage.models import Workshop, WorkshopRegistration
from storage.repositories.workshops import REGISTERED, WAITLISTED
from surveys.definitions import PROFILE_FIELDS
from surveys.numerals import read_whole

FLOW = "workshops"
OPEN, MINE, MENU, BACK = "o", "mine", "menu", "back"
JOIN, WAIT, CANCEL, YES, NO = "join", "wait", "cancel", "yes", "no"
WAITLIST_RESUMPTION = f"{FLOW}.waitlist"  # the profile asked first, then the waitlist


async def open_workshops(turn: Turn) -> None:
    """The citizen opens the upcoming workshops."""
    await enter(turn, FLOW, "list")


async def _prompt_list(turn: Turn) -> None:
    citizen = await turn.citizen()
    quarter = citizen.quarter if citizen is not None else None
    upcoming = await turn.uow.workshops.upcoming(turn.now)
    upcoming.sort(key=lambda w: (w.quarter != quarter, w.starts_at, w.id))
    rows = [
        [turn.button(f"{OPEN}{w.id}", title_line(w, turn.locale, turn.settings.timezone))]
        for w in upcoming[:20]
    ]
    controls = [turn.button(MINE, turn.t("workshop.mine")), turn.button(MENU, turn.t("menu.back"))]
    turn.say(turn.t("workshop.list" if upcoming else "workshop.none"), [*rows, controls])


async def _handle_list(turn: Turn, answer: Input) -> None:
    """The citizen picks a workshop, opens their own, or goes back to the menu."""
    if answer == Choice(MENU):
        await show_menu(turn)
    elif answer == Choice(MINE):
        await enter(turn, FLOW, "mine")
    elif isinstance(answer, Choice) and (workshop_id := read_whole(answer.value[1:])) is not None:
        await enter(turn, FLOW, "details", {"id": workshop_id})
    else:
        await not_an_answer(turn, answer, _prompt_list)


async def _mine(turn: Turn, workshop: Workshop) -> WorkshopRegistration | None:
    citizen = await turn.citizen()
    if citizen is None:
        return None
    registration = await turn.uow.workshops.registration_of(workshop.id, citizen.id)
    return (
        registration if registration and registration.status in (REGISTERED, WAITLISTED) else None
    )


async def _place_line(turn: Turn, registration: WorkshopRegistration | None) -> list[str]:
    if registration is None:
        return []
    if registration.status == REGISTERED:
        return [turn.t("workshop.your_code", code=registration.code)]
    rank = await turn.uow.workshops.waitlist_position(registration)
    return [turn.t("workshop.your_rank", position=rank)]


async def _prompt_details(turn: Turn) -> None:
    workshop = await turn.uow.workshops.get(int(turn.data.get("id", 0)))
    if workshop is None or not accepts_sign_ups(workshop, turn.now):
        turn.note(turn.t("workshop.closed"))
        await enter(turn, FLOW, "list")
        return
    left = await seats_left(turn.uow, workshop)
    mine = await _mine(turn, workshop)
    text = details_text(workshop, turn.locale, turn.settings.timezone, left)
    if mine is not None:
        action = turn.button(CANCEL, turn.t("workshop.cancel"))
    elif left > 0 and not await turn.uow.workshops.count(workshop.id, WAITLISTED):
        action = turn.button(JOIN, turn.t("workshop.sign_up"))
    else:
        action = turn.button(WAIT, turn.t("workshop.join_waitlist"))
    lines = [text, *await _place_line(turn, mine)]
    turn.say("\n\n".join(lines), [[action], [turn.button(BACK, turn.t("menu.back"))]])


async def _handle_details(turn: Turn, answer: Input) -> None:
    """The citizen signs up, joins the waitlist, cancels, or goes back."""
    workshop_id = int(turn.data.get("id", 0))
    if answer in (Choice(JOIN), Choice(WAIT)):
        await sign_up(turn, workshop_id, waitlist=answer == Choice(WAIT))
    elif answer == Choice(CANCEL):
        await enter(turn, FLOW, "confirm_cancel", {"id": workshop_id})
    elif answer == Choice(BACK):
        await enter(turn, FLOW, "list")
    else:
        await not_an_answer(turn, answer, _prompt_details)


async def sign_up(turn: Turn, workshop_id: int, *, waitlist: bool = False) -> None:
    """Sign the citizen up (the optional profile asked first, once); they are told the
    outcome above the workshop's details."""
    if not accepts_sign_ups(await turn.uow.workshops.get(workshop_id), turn.now):
        turn.note(turn.t("workshop.closed"))
        await enter(turn, FLOW, "list")
        return
    then = WAITLIST_RESUMPTION if waitlist else FLOW
    if await ask_profile_first(turn, PROFILE_FIELDS, then, workshop_id):
        return
    citizen = await turn.citizen()
    if citizen is None:
        await show_menu(turn, turn.t("my_data.none"))
        return
    done = await register_for_workshop(
        turn.uow, turn.settings, workshop_id, citizen, turn.now, waitlist=waitlist
    )
    if done.outcome == "closed":
        turn.note(turn.t("workshop.closed"))
        await enter(turn, FLOW, "list")
        return
    code = done.registration.code if done.registration is not None else ""
    turn.note(turn.t(f"workshop.outcome.{done.outcome}", code=code, position=done.position))
    await enter(turn, FLOW, "details", {"id": workshop_id})


async def _resume_sign_up(turn: Turn, workshop_id: int) -> None:
    await sign_up(turn, workshop_id)


async def _resume_waitlist(turn: Turn, workshop_id: int) -> None:
    await sign_up(turn, workshop_id, waitlist=True)


async def _prompt_confirm_cancel(turn: Turn) -> None:
    buttons = [
        [
            turn.button(YES, turn.t("workshop.cancel_yes")),
            turn.button(NO, turn.t("workshop.cancel_no")),
        ]
    ]
    turn.say(turn.t("workshop.cancel_confirm"), buttons)


async def _handle_confirm_cancel(turn: Turn, answer: Input) -> None:
    """The citizen confirms giving up their place, or keeps it."""
    workshop_id = int(turn.data.get("id", 0))
    if answer == Choice(YES):
        workshop = await turn.uow.workshops.get(workshop_id)
        mine = None if workshop is None else await _mine(turn, workshop)
        citizen = await turn.citizen()
        cancelled = None
        if mine is not None and citizen is not None:
            cancelled = await cancel_registration(
                turn.uow, turn.settings, mine.id, citizen.id, turn.now
            )
        turn.note(turn.t("workshop.cancelled_by_you" if cancelled else "workshop.closed"))
        await enter(turn, FLOW, "list")
    elif answer == Choice(NO):
        turn.note(turn.t("workshop.kept"))
        await enter(turn, FLOW, "details", {"id": workshop_id})
    else:
        await not_an_answer(turn, answer, _prompt_confirm_cancel)


async def _prompt_mine(turn: Turn) -> None:
    citizen = await turn.citizen()
    kept = [] if citizen is None else await turn.uow.workshops.of_citizen(citizen.id)
    current = [
        (registration, workshop)
        for registration, workshop in kept
        if registration.status in (REGISTERED, WAITLISTED) and accepts_sign_ups(workshop, turn.now)
    ]
    rows = [
        [turn.button(f"{OPEN}{w.id}", title_line(w, turn.locale, turn.settings.timezone))]
        for _, w in current
    ]
    lines = [turn.t("workshop.mine_title" if current else "workshop.mine_empty")]
    for registration, workshop in current:
        place = await _place_line(turn, registration)
        lines.append(f"• {title_line(workshop, turn.locale, turn.settings.timezone)} — {place[0]}")
    turn.say("\n".join(lines), [*rows, [turn.button(BACK, turn.t("menu.back"))]])


async def _handle_mine(turn: Turn, answer: Input) -> None:
    """The citizen opens one of their workshops, or goes back to the list."""
    if isinstance(answer, Choice) and answer.value.startswith(OPEN):
        workshop_id = read_whole(answer.value[1:])
        if workshop_id is not None:
            await enter(turn, FLOW, "details", {"id": workshop_id})
            return
    if answer == Choice(BACK):
        await enter(turn, FLOW, "list")
        return
    await not_an_answer(turn, answer, _prompt_mine)


# --- buttons on workshop pushes ----------------------------------------------------------
async def on_workshop_button(turn: Turn, button_id: str) -> None:
    """Sign up from an announcement, decline a promotion, or rate a workshop attended;
    anything forged or no longer valid reads as a stale button."""
    citizen = await turn.citizen()
    if citizen is None:
        await _stale(turn)
        return
    if button_id.startswith(JOIN_PREFIX) and (
        wid := read_whole(button_id.removeprefix(JOIN_PREFIX))
    ):
        await sign_up(turn, wid)
    elif button_id.startswith(DECLINE_PREFIX) and (
        rid := read_whole(button_id.removeprefix(DECLINE_PREFIX))
    ):
        cancelled = await cancel_registration(turn.uow, turn.settings, rid, citizen.id, turn.now)
        if cancelled is None:
            await _stale(turn)
            return
        turn.note(turn.t("workshop.declined"))
        await enter(turn, FLOW, "list")
    elif button_id.startswith(RATE_PREFIX):
        registration_id, _, stars = button_id.removeprefix(RATE_PREFIX).partition(".")
        rid, rating = read_whole(registration_id), read_whole(stars)
        rated = None
        if rid is not None and rating is not None:
            rated = await rate_workshop(turn.uow, rid, citizen.id, rating)
        if rated is None:
            await _stale(turn)
            return
        turn.note(turn.t("workshop.rated"))
        await show_menu(turn)
    else:
        await _stale(turn)


async def _stale(turn: Turn) -> None:
    turn.note(turn.t("error.stale_button"))
    await ask_again(turn)


register_flow(
    FLOW,
    {
        "list": Step(_prompt_list, _handle_list),
        "details": Step(_prompt_details, _handle_details),
        "confirm_cancel": Step(_prompt_confirm_cancel, _handle_confirm_cancel),
        "mine": Step(_prompt_mine, _handle_mine),
    },
)
register_menu_entry(MenuEntry("workshops", "menu.workshops", open_workshops, order=40))


async def _workshops_requested(turn: Turn, _words: tuple[str, ...]) -> None:
    await open_workshops(turn)


register_request_target(RequestTarget("workshops", "menu.workshops", _workshops_requested))
register_resumption(FLOW, _resume_sign_up)
register_resumption(WAITLIST_RESUMPTION, _resume_waitlist)
