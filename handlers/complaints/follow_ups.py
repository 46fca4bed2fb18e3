"""After an answer: the citizen rates a resolved complaint (1–5, then an optional comment)
or reopens a resolved or rejected one within the window, saying what is still wrong.

The buttons come on pushes (`r.rate.<id>.<n>`, `r.reopen.<id>`), so they are checked
against the complaint, not the conversation: someone else's complaint, or a forged id,
gets exactly the answer of any stale button.
"""

from __future__ import annotations

from handlers.complaints.filing import MIN_LETTERS
from handlers.complaints.my_complaints import own_complaint
from handlers.complaints.pushes import CITIZEN_ACTION_PREFIX, RATE, RATINGS, REOPEN
from handlers.complaints.staff import notify_reopened
from handlers.complaints.statuses import (
    CITIZEN,
    REJECTED,
    REOPENED,
    RESOLVED,
    StatusChangeRefused,
    set_complaint_status,
)
from handlers.flows import Choice, Input, Step, enter, register_flow, reprompt
from handlers.menu import show_menu
from handlers.turns import Turn
from handlers.types import Text
from storage.models import Complaint
from surveys.numerals import read_whole

FLOW = "complaint_follow_up"
SKIP, CANCEL = "skip", "cancel"
MAX_COMMENT = 1000


def _parse(button_id: str) -> tuple[str, int, str] | None:
    """(action, complaint id, argument) of an `r.` button, or None when malformed."""
    action, _, rest = button_id.removeprefix(CITIZEN_ACTION_PREFIX).partition(".")
    typed_id, _, argument = rest.partition(".")
    complaint_id = read_whole(typed_id)
    return None if complaint_id is None else (action, complaint_id, argument)


async def on_citizen_action(turn: Turn, button_id: str) -> None:
    """A rating or reopening button from a push: used by the complaint's author only."""
    parsed = _parse(button_id)
    complaint = await own_complaint(turn, parsed[1]) if parsed else None
    if parsed is None or complaint is None or parsed[0] not in (RATE, REOPEN):
        turn.note(turn.t("error.stale_button"))
        await reprompt(turn)
    elif parsed[0] == RATE:
        await _rate(turn, complaint, parsed[2])
    else:
        await _start_reopening(turn, complaint)


async def _rate(turn: Turn, complaint: Complaint, argument: str) -> None:
    """The citizen gives 1 to 5 stars to a resolved complaint."""
    rating = read_whole(argument)
    if complaint.status != RESOLVED or rating not in RATINGS:
        turn.note(turn.t("complaint.rating.closed"))
        await reprompt(turn)
        return
    complaint.rating = rating
    await enter(turn, FLOW, "rating_comment", {"id": complaint.id, "rating": rating})


async def _prompt_rating_comment(turn: Turn) -> None:
    text = turn.t("complaint.rating.thanks", rating=turn.data.get("rating", "?"))
    turn.say(text, [[turn.button(SKIP, turn.t("complaint.attachment.skip"))]])


async def _handle_rating_comment(turn: Turn, answer: Input) -> None:
    """The citizen adds a few words to their rating, or skips."""
    if isinstance(answer, Text):
        complaint = await own_complaint(turn, int(turn.data.get("id", 0)))
        if complaint is not None:
            complaint.rating_comment = answer.text[:MAX_COMMENT]
        turn.note(turn.t("complaint.rating.saved"))
        await show_menu(turn)
    elif answer == Choice(SKIP):
        turn.note(turn.t("complaint.rating.saved"))
        await show_menu(turn)
    else:
        turn.note(turn.t("error.choose_option"))
        await _prompt_rating_comment(turn)


async def _start_reopening(turn: Turn, complaint: Complaint) -> None:
    """The citizen asks to reopen: allowed after an answer, within the window."""
    window = complaint.reopen_until is not None and turn.now <= complaint.reopen_until
    if complaint.status not in (RESOLVED, REJECTED) or not window:
        turn.note(turn.t("complaint.refused.reopen_window"))
        await reprompt(turn)
        return
    await enter(turn, FLOW, "reopen_reason", {"id": complaint.id})


async def _prompt_reopen_reason(turn: Turn) -> None:
    complaint = await own_complaint(turn, int(turn.data.get("id", 0)))
    number = complaint.tracking_number if complaint else ""
    text = turn.t("complaint.reopen.prompt", number=number)
    turn.say(text, [[turn.button(CANCEL, turn.t("complaint.cancel"))]])


async def _handle_reopen_reason(turn: Turn, answer: Input) -> None:
    """The citizen says what is still wrong; the complaint is reopened and staff told."""
    if answer == Choice(CANCEL):
        turn.note(turn.t("cancel.done"))
        await show_menu(turn)
        return
    if not isinstance(answer, Text) or sum(c.isalpha() for c in answer.text) < MIN_LETTERS:
        turn.note(turn.t("complaint.reopen.reason_needed"))
        await _prompt_reopen_reason(turn)
        return
    complaint = await own_complaint(turn, int(turn.data.get("id", 0)))
    if complaint is None:
        await show_menu(turn)
    else:
        await _reopen(turn, complaint, answer.text[:MAX_COMMENT])


async def _reopen(turn: Turn, complaint: Complaint, reason: str) -> None:
    """Reopen the complaint with the citizen's words, and tell the staff group."""
    try:
        event = await set_complaint_status(
            turn.uow, turn.settings, complaint, REOPENED, CITIZEN, reason, None, turn.now
        )
    except StatusChangeRefused as refused:
        turn.note(turn.t(refused.key))
        await show_menu(turn)
        return
    await notify_reopened(turn.uow, turn.settings, complaint, event, turn.now)
    turn.note(turn.t("complaint.reopen.done", number=complaint.tracking_number))
    await show_menu(turn)


register_flow(
    FLOW,
    {
        "rating_comment": Step(_prompt_rating_comment, _handle_rating_comment),
        "reopen_reason": Step(_prompt_reopen_reason, _handle_reopen_reason),
    },
)
