"""Complaints for staff: the push to the staff group for each new (or reopened) complaint,
its status buttons (`s.cst.<id>.<status>`), `/complaint TRD-…` to look one up, and the
short exchange that collects a reason or a service name when a status needs one.

Both roles may change statuses; rejecting is for admins only (a refusal is the commune's
decision, not an agent's). A status that needs a text (rejected, outside competence: the
reason the citizen reads; forwarded: the service) is asked for in the staff member's own
conversation: their next text message — in private, or `/reason …` in the group, where
the bot reads only commands — is the text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.complaints.statuses import (
    StatusChangeRefused,
    next_statuses,
    rule_for,
    set_complaint_status,
    staff_may_set,
)
from handlers.complaints.tracking_numbers import read_tracking_number
from handlers.complaints.views import Translate, staff_card, status_label
from handlers.flows import Choice, Input, Step, register_flow, reprompt
from handlers.menu import in_rows
from handlers.staff import (
    StaffAction,
    action_button,
    notify_staff,
    register_staff_action,
    staff_translator,
)
from handlers.turns import CoreSettings, Turn
from handlers.types import Button, Command, Outgoing, OutgoingMedia, Text
from storage.models import Complaint, ComplaintEvent, StaffMember
from storage.unit_of_work import UnitOfWork
from surveys.numerals import read_whole

STATUS_ACTION = "cst"
DUPLICATE_WINDOW = timedelta(days=7)
CANCEL = "cancel"


def status_buttons(t: Translate, complaint: Complaint) -> list[list[Button]]:
    """One button per status the complaint may move to next."""
    buttons = [
        action_button(STATUS_ACTION, t(f"complaint.action.{status}"), f"{complaint.id}.{status}")
        for status in next_statuses(complaint.status)
    ]
    return in_rows(buttons)


async def similar_complaints(uow: UnitOfWork, complaint: Complaint) -> list[str]:
    """Possible duplicates: same category and quarter in the last 7 days."""
    if not complaint.quarter:
        return []
    since = complaint.filed_at - DUPLICATE_WINDOW
    return await uow.complaints.similar(
        complaint.category, complaint.quarter, since, excluding=complaint.id
    )


async def author_channel(uow: UnitOfWork, complaint: Complaint) -> str | None:
    """The channel the complaint's author writes on (their pushes go there)."""
    author = await uow.citizens.get(complaint.citizen_id)
    return author.channel if author is not None else None


async def notify_new_complaint(
    uow: UnitOfWork, settings: CoreSettings, complaint: Complaint, now: datetime
) -> bool:
    """Queue the staff group's push for a complaint just filed."""
    t = staff_translator(settings)
    similar = await similar_complaints(uow, complaint)
    card = staff_card(t, settings, complaint, similar, await author_channel(uow, complaint))
    text = f"{t('complaint.staff.new')}\n\n{card}"
    key = f"complaint-new:{complaint.id}"
    buttons = status_buttons(t, complaint)
    about = complaint.citizen_id
    queued = await notify_staff(
        uow, settings, text, buttons, now, dedupe_key=key, about_citizen_id=about
    )
    file = await file_for_staff(uow, complaint, settings.staff_channel)
    if queued and file is not None:  # right after the card: the outbox keeps a chat's order
        caption = t("complaint.staff.attachment", number=complaint.tracking_number)
        file_key = f"{key}:file"
        await notify_staff(
            uow, settings, caption, (), now, dedupe_key=file_key, about_citizen_id=about, media=file
        )
    return queued


async def file_for_staff(
    uow: UnitOfWork, complaint: Complaint, channel: str
) -> OutgoingMedia | None:
    """The citizen's photo, voice note or document, to show staff on `channel` — where
    the file's reference means something: the channel the citizen sent it through."""
    if not (complaint.attachment_kind and complaint.attachment_file_ref):
        return None
    author = await uow.citizens.get(complaint.citizen_id)
    if author is None or author.channel != channel:
        return None
    return OutgoingMedia(complaint.attachment_kind, complaint.attachment_file_ref)  # type: ignore[arg-type]


async def notify_reopened(
    uow: UnitOfWork,
    settings: CoreSettings,
    complaint: Complaint,
    event: ComplaintEvent,
    now: datetime,
) -> bool:
    """Queue the staff group's push for a complaint its author reopened."""
    t = staff_translator(settings)
    heading = t("complaint.staff.reopened", comment=event.public_comment or "")
    text = f"{heading}\n\n{staff_card(t, settings, complaint)}"
    key = f"complaint-reopened:{complaint.id}:{event.id}"
    buttons = status_buttons(t, complaint)
    return await notify_staff(
        uow, settings, text, buttons, now, dedupe_key=key, about_citizen_id=complaint.citizen_id
    )


async def _staff_member(turn: Turn) -> StaffMember | None:
    return await turn.uow.staff.find(turn.incoming.channel, turn.incoming.user_id)


async def show_card(turn: Turn, complaint: Complaint, heading: str | None = None) -> None:
    """The complaint as staff see it, with the buttons for its next statuses."""
    uow = turn.uow
    similar = await similar_complaints(uow, complaint)
    card = staff_card(
        turn.t, turn.settings, complaint, similar, await author_channel(uow, complaint)
    )
    turn.say(f"{heading}\n\n{card}" if heading else card, status_buttons(turn.t, complaint))


def _parse_action(argument: str) -> tuple[int, str] | None:
    typed_id, _, status = argument.partition(".")
    complaint_id = read_whole(typed_id)
    return (complaint_id, status) if complaint_id is not None and status else None


async def _change_from_button(turn: Turn, argument: str) -> None:
    """A staff member presses a status button on a complaint push."""
    parsed = _parse_action(argument)
    member = await _staff_member(turn)
    complaint = await turn.uow.complaints.get(parsed[0], for_update=True) if parsed else None
    if parsed is None or complaint is None or member is None:
        turn.say(turn.t("complaint.staff.gone"))  # erased with its author, or forged
        return
    status = parsed[1]
    if not staff_may_set(status, member.role):
        turn.say(turn.t("staff.admin_only"))
    elif rule_for(status).needs_comment or rule_for(status).needs_service:
        await _ask_for_text(turn, complaint, status)
    else:
        await _apply_change(turn, member, complaint, status, None)


async def _apply_change(
    turn: Turn, member: StaffMember, complaint: Complaint, status: str, text: str | None
) -> None:
    """Change the status for this staff member and show the updated card."""
    needs_service = rule_for(status).needs_service
    try:
        await set_complaint_status(
            turn.uow,
            turn.settings,
            complaint,
            status,
            member.name,
            None if needs_service else text,
            None,
            turn.now,
            service=text if needs_service else None,
        )
    except StatusChangeRefused as refused:
        await show_card(turn, complaint, turn.t(refused.key))
        return
    done = turn.t(
        "complaint.staff.changed",
        number=complaint.tracking_number,
        status=status_label(turn.t, status),
        actor=member.name,
    )
    await show_card(turn, complaint, done)


async def _ask_for_text(turn: Turn, complaint: Complaint, status: str) -> None:
    data = {"complaint_id": complaint.id, "status": status}
    turn.go("complaint_staff", "text", data)
    await _prompt_text(turn)


async def _prompt_text(turn: Turn) -> None:
    complaint = await turn.uow.complaints.get(turn.data.get("complaint_id", 0))
    status = turn.data.get("status", "")
    needs_service = rule_for(status).needs_service
    text = turn.t(
        "complaint.staff.ask_service" if needs_service else "complaint.staff.ask_reason",
        number=complaint.tracking_number if complaint else "?",
        status=status_label(turn.t, status) if status else "?",
    )
    turn.say(text, [[turn.button(CANCEL, turn.t("complaint.cancel"))]])


async def _handle_text(turn: Turn, answer: Input) -> None:
    """The staff member gives the reason (or the service) the status change needs."""
    if answer == Choice(CANCEL):
        _leave(turn)
        turn.say(turn.t("cancel.done"))
        return
    if not isinstance(answer, Text):
        turn.note(turn.t("complaint.staff.text_needed"))
        await _prompt_text(turn)
        return
    member = await _staff_member(turn)
    complaint = await turn.uow.complaints.get(turn.data.get("complaint_id", 0), for_update=True)
    status = str(turn.data.get("status", ""))
    _leave(turn)
    if complaint is None:
        turn.say(turn.t("complaint.staff.gone"))
        return
    if member is None or not staff_may_set(status, member.role):
        turn.say(turn.t("staff.admin_only"))
        return
    await _apply_change(turn, member, complaint, status, answer.text[:2000])


def _leave(turn: Turn) -> None:
    """Back to where a staff member rests: the menu, or the start for non-citizens."""
    if turn.consented or turn.declined:
        turn.go("menu", "main", {})
    else:
        turn.go("onboarding", "language", {})


async def on_complaint_command(turn: Turn, command: Command) -> None:
    """`/complaint TRD-…`: staff see the complaint; to anyone else it is an unknown command."""
    if await _staff_member(turn) is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
        return
    number = read_tracking_number(command.args, turn.settings.tracking_prefix)
    complaint = await turn.uow.complaints.by_number(number) if number else None
    if complaint is None:
        turn.say(turn.t("complaint.staff.not_found", number=command.args[:30] or "?"))
        return
    await show_card(turn, complaint)
    file = await file_for_staff(turn.uow, complaint, turn.incoming.channel)
    if file is not None:
        caption = turn.t("complaint.staff.attachment", number=complaint.tracking_number)
        turn.show(Outgoing(turn.incoming.chat_id, caption, media=file))


async def on_reason_command(turn: Turn, command: Command) -> None:
    """`/reason …` in the staff group: the text a pending status change waits for."""
    if await _staff_member(turn) is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
    elif (turn.flow, turn.step) != ("complaint_staff", "text"):
        turn.say(turn.t("complaint.staff.nothing_pending"))
    elif not command.args.strip():
        await _prompt_text(turn)
    else:
        await _handle_text(turn, Text(command.args.strip()))


register_flow("complaint_staff", {"text": Step(_prompt_text, _handle_text)})
# Open to both roles; statuses marked admin_only (rejection) are checked per press.
register_staff_action(STATUS_ACTION, StaffAction(_change_from_button))
