"""The last look before filing: the citizen reads back their complaint, then confirms it
(and gets its tracking number and the dates the commune commits to), edits one field, or
cancels (nothing is kept)."""

from __future__ import annotations

from handlers.complaints.filing import file_complaint
from handlers.complaints.views import content_lines, local_date
from handlers.flows import Choice, Input, Step, enter
from handlers.menu import show_menu
from handlers.turns import Turn

FLOW = "complaint_form"
CONFIRM, EDIT, CANCEL, BACK = "confirm", "edit", "cancel", "back"
EDITABLE = ("kind", "category", "description", "where", "attachment")
REQUIRED = ("kind", "category", "description")


async def _prompt_summary(turn: Turn) -> None:
    missing = [name for name in REQUIRED if not turn.data.get(name)]
    if missing:  # a draft that lost a field (an old conversation): ask for it again
        await enter(turn, FLOW, missing[0])
        return
    turn.data["editing"] = False
    lines = [turn.t("complaint.summary.title"), *content_lines(turn.t, turn.data)]
    buttons = [
        [turn.button(CONFIRM, turn.t("complaint.summary.confirm"))],
        [
            turn.button(EDIT, turn.t("complaint.summary.edit")),
            turn.button(CANCEL, turn.t("complaint.cancel")),
        ],
    ]
    turn.say("\n".join(lines), buttons)


async def _handle_summary(turn: Turn, answer: Input) -> None:
    """The citizen confirms, edits or cancels their complaint."""
    if answer == Choice(CONFIRM):
        await _confirm(turn)
    elif answer == Choice(EDIT):
        await enter(turn, FLOW, "edit")
    elif answer == Choice(CANCEL):
        turn.note(turn.t("complaint.cancelled"))
        await show_menu(turn)
    else:
        turn.note(turn.t("error.choose_option"))
        await _prompt_summary(turn)


async def _confirm(turn: Turn) -> None:
    """File the complaint; the citizen gets its number and the commune's deadlines."""
    citizen_id = turn.conversation.citizen_id
    if citizen_id is None:  # erased their data in the meantime
        await show_menu(turn, turn.t("consent.required"))
        return
    complaint = await file_complaint(
        turn.uow, turn.settings, citizen_id, turn.data, turn.locale, turn.now
    )
    turn.say(
        turn.t(
            "complaint.filed",
            number=complaint.tracking_number,
            acknowledge_by=local_date(turn.settings, complaint.acknowledge_by),
            answer_by=local_date(turn.settings, complaint.answer_by),
        )
    )
    await show_menu(turn)


async def _prompt_edit(turn: Turn) -> None:
    buttons = [[turn.button(name, turn.t(f"complaint.edit.{name}"))] for name in EDITABLE]
    buttons.append([turn.button(BACK, turn.t("complaint.edit.back"))])
    turn.say(turn.t("complaint.edit.prompt"), buttons)


async def _handle_edit(turn: Turn, answer: Input) -> None:
    """The citizen picks the one answer they want to change."""
    if isinstance(answer, Choice) and answer.value in EDITABLE:
        turn.data["editing"] = True
        await enter(turn, FLOW, answer.value)
    elif answer == Choice(BACK):
        await enter(turn, FLOW, "summary")
    else:
        turn.note(turn.t("error.choose_option"))
        await _prompt_edit(turn)


SUMMARY_STEPS = {
    "summary": Step(_prompt_summary, _handle_summary),
    "edit": Step(_prompt_edit, _handle_edit),
}
