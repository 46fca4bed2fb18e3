"""Complaints, observations and suggestions, for citizens: the menu entry, "My complaints"
with each complaint's public history, and a tracking number typed at any moment.

    menu ─► Complaints ─► File a complaint ─► (handlers.complaints.form)
                      └─► My complaints ─► one complaint (history, rate, reopen)
    "TRD-26-7K3Q9" typed anywhere ─► that complaint, for its author only

Someone else's number and a number that does not exist get the same answer, word for
word: nobody learns that a number is in use.
"""

from __future__ import annotations

from handlers.complaints.form import start_filing
from handlers.complaints.pushes import rating_buttons, reopen_button
from handlers.complaints.statuses import REJECTED, RESOLVED
from handlers.complaints.tracking_numbers import is_well_formed, read_tracking_number
from handlers.complaints.views import (
    citizen_view,
    content_lines,
    local_date,
    status_label,
    values_of,
)
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
from handlers.personal_data import PersonalData, register_personal_data
from handlers.turns import Turn
from handlers.types import Button
from storage.models import Citizen, Complaint
from storage.unit_of_work import UnitOfWork
from surveys.numerals import read_whole

FLOW = "complaints"
FILE, MINE, BACK, OPEN = "file", "mine", "back", "open:"
LISTED = 20  # the newest ones; older complaints stay reachable by their number


async def open_complaints(turn: Turn) -> None:
    """The citizen opens the complaints menu."""
    await enter(turn, FLOW, "home")


async def _prompt_home(turn: Turn) -> None:
    buttons = [
        [turn.button(FILE, turn.t("complaint.home.file"))],
        [turn.button(MINE, turn.t("complaint.home.mine"))],
        [turn.button(BACK, turn.t("menu.back"))],
    ]
    turn.say(turn.t("complaint.home.text"), buttons)


async def _handle_home(turn: Turn, answer: Input) -> None:
    """The citizen chooses to file a complaint or to follow theirs."""
    if answer == Choice(FILE):
        await start_filing(turn)
    elif answer == Choice(MINE):
        await enter(turn, FLOW, "list")
    elif answer == Choice(BACK):
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer, _prompt_home)


async def own_complaint(turn: Turn, complaint_id: int) -> Complaint | None:
    """The complaint, if this citizen filed it; None for anyone else's or a missing one."""
    complaint = await turn.uow.complaints.get(complaint_id)
    citizen_id = turn.conversation.citizen_id
    if complaint is None or citizen_id is None or complaint.citizen_id != citizen_id:
        return None
    return complaint


async def _prompt_list(turn: Turn) -> None:
    citizen_id = turn.conversation.citizen_id
    mine = await turn.uow.complaints.of_citizen(citizen_id, limit=LISTED) if citizen_id else []
    back = [turn.button(BACK, turn.t("menu.back"))]
    if not mine:
        file = [turn.button(FILE, turn.t("complaint.home.file"))]
        turn.say(turn.t("complaint.list.empty"), [file, back])
        return
    rows = [[turn.button(f"{OPEN}{c.id}", _list_label(turn, c))] for c in mine]
    turn.say(turn.t("complaint.list.title"), [*rows, back])


def _list_label(turn: Turn, complaint: Complaint) -> str:
    filed = local_date(turn.settings, complaint.filed_at)
    return f"{complaint.tracking_number} · {status_label(turn.t, complaint.status)} · {filed}"


async def _handle_list(turn: Turn, answer: Input) -> None:
    """The citizen opens one of their complaints."""
    value = answer.value if isinstance(answer, Choice) else ""
    complaint_id = read_whole(value.removeprefix(OPEN))
    if value.startswith(OPEN) and complaint_id is not None:
        complaint = await own_complaint(turn, complaint_id)
        if complaint is not None:
            await enter(turn, FLOW, "detail", {"id": complaint.id})
            return
    if answer == Choice(FILE):
        await start_filing(turn)
    elif answer == Choice(BACK):
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer, _prompt_list)


def follow_up_buttons(turn: Turn, complaint: Complaint) -> list[tuple[Button, ...]]:
    """Rating and reopening, while the complaint's author may still use them."""
    rows: list[tuple[Button, ...]] = []
    if complaint.status == RESOLVED:
        rows.append(rating_buttons(complaint.id))
    window = complaint.reopen_until is not None and turn.now <= complaint.reopen_until
    if complaint.status in (RESOLVED, REJECTED) and window:
        rows.append((reopen_button(turn.t("complaint.reopen"), complaint.id),))
    return rows


async def _prompt_detail(turn: Turn) -> None:
    complaint = await own_complaint(turn, int(turn.data.get("id", 0)))
    if complaint is None:  # erased meanwhile
        await enter(turn, FLOW, "list")
        return
    history = await turn.uow.complaints.history(complaint.id)
    buttons = [
        *follow_up_buttons(turn, complaint),
        (turn.button(MINE, turn.t("complaint.home.mine")), turn.button(BACK, turn.t("menu.back"))),
    ]
    turn.say(citizen_view(turn.t, turn.settings, complaint, history), buttons)


async def _handle_detail(turn: Turn, answer: Input) -> None:
    """The citizen goes back to their complaints or to the menu."""
    if answer == Choice(MINE):
        await enter(turn, FLOW, "list")
    elif answer == Choice(BACK):
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer, _prompt_detail)


async def open_typed_number(turn: Turn, text: str) -> bool:
    """A message that is a tracking number opens that complaint, for its author; False
    when the message is not a tracking number at all."""
    number = read_tracking_number(text, turn.settings.tracking_prefix)
    if number is None:
        return False
    citizen_id = turn.conversation.citizen_id
    complaint = None
    if citizen_id is not None and is_well_formed(number):
        complaint = await turn.uow.complaints.by_number(number, citizen_id=citizen_id)
    if complaint is None:
        turn.note(turn.t("complaint.not_found", number=number))
        await ask_again(turn)
    else:
        await enter(turn, FLOW, "detail", {"id": complaint.id})
    return True


async def complaints_section(turn: Turn, citizen: Citizen) -> list[str]:
    """My data: how many complaints the citizen filed, then each one as they wrote it
    (what, where, the text, their rating and its comment) and where it stands."""
    count = await turn.uow.complaints.count_of_citizen(citizen.id)
    lines = [turn.t("layout.field", label=turn.t("my_data.field.complaints"), value=count)]
    for complaint in await turn.uow.complaints.of_citizen(citizen.id, limit=count or 1):
        status = status_label(turn.t, complaint.status)
        lines.append(f"  – {complaint.tracking_number} ({status})")
        lines += [
            "    " + line.removeprefix("• ") for line in content_lines(turn.t, values_of(complaint))
        ]
        if complaint.rating is not None:
            comment = f" — {complaint.rating_comment}" if complaint.rating_comment else ""
            lines.append(f"    ⭐ {complaint.rating}/5{comment}")
    return lines


register_flow(
    FLOW,
    {
        "home": Step(_prompt_home, _handle_home),
        "list": Step(_prompt_list, _handle_list),
        "detail": Step(_prompt_detail, _handle_detail),
    },
)
register_menu_entry(MenuEntry("complaints", "menu.complaints", open_complaints, order=20))


async def _file_requested(turn: Turn, _words: tuple[str, ...]) -> None:
    await start_filing(turn)


async def _list_requested(turn: Turn, _words: tuple[str, ...]) -> None:
    await enter(turn, FLOW, "list")


async def _contact_requested(turn: Turn, _words: tuple[str, ...]) -> None:
    """Writing to the commune: a complaint, an observation or a suggestion reaches its
    staff, who answer in this chat."""
    turn.note(turn.t("intent.contact"))
    await open_complaints(turn)


for _target in (
    RequestTarget("complaint_new", "complaint.home.file", _file_requested),
    RequestTarget("complaint_follow", "complaint.home.mine", _list_requested),
    RequestTarget("contact", "intent.option.contact", _contact_requested),
):
    register_request_target(_target)


async def erase_complaints(uow: UnitOfWork, citizen_id: int) -> None:
    """Erasure: the citizen's complaints go, with their history."""
    await uow.complaints.erase_of_citizen(citizen_id)


register_personal_data(PersonalData("complaints", complaints_section, erase_complaints, order=20))
