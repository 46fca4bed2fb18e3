"""Workshops in the staff chat: `/workshop` lists the coming ones with their seats,
`/workshop ID` shows one with every sign-up's code, `/workshop ID present CODE` marks the
holder of a code present at the door (agents and admins), and admins publish
(`/workshop ID publish`, or `announce` to tell its audience too) or cancel
(`/workshop ID cancel`) one. To anyone else the command does not exist. Workshops are
created and edited with `tachawor workshops` (their texts are in five languages)."""

from __future__ import annotations

from datetime import timedelta

from handlers.flows import reprompt
from handlers.languages import quarter_label
from handlers.staff import staff_role
from handlers.turns import Turn
from handlers.types import Command
from handlers.workshops.attendance import mark_attendance
from handlers.workshops.management import (
    ADMIN_ACTIONS,
    WorkshopRefused,
    cancel_workshop,
    publish_workshop,
    staff_may_run,
)
from handlers.workshops.views import text_in, when_text
from storage.repositories.workshops import REGISTERED, WAITLISTED
from surveys.numerals import read_whole


async def on_workshop_command(turn: Turn, command: Command) -> None:
    """Staff follow the workshops and mark who came."""
    role = await staff_role(turn)
    if role is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
        return
    words = command.args.split()
    if not words:
        await _list(turn)
        return
    workshop_id = read_whole(words[0])
    workshop = None if workshop_id is None else await turn.uow.workshops.get(workshop_id)
    if workshop is None:
        turn.say(turn.t("workshop.staff.unknown", workshop=words[0]))
    elif len(words) == 3 and words[1].lower() == "present":
        marked = await mark_attendance(turn.uow, workshop.id, words[2], turn.now)
        turn.say(turn.t(f"workshop.staff.marked.{marked.outcome}", code=words[2].upper()))
    elif len(words) == 2 and words[1].lower() in ADMIN_ACTIONS:
        if not staff_may_run(words[1].lower(), role):
            turn.say(turn.t("staff.only"))
            return
        await _run_admin_action(turn, workshop.id, words[1].lower())
    elif len(words) == 1:
        await _show(turn, workshop.id)
    else:
        turn.say(turn.t("workshop.staff.usage"))


async def _run_admin_action(turn: Turn, workshop_id: int, action: str) -> None:
    """Publish (and announce) or cancel; what cannot be done is said, nothing changed."""
    try:
        if action == "cancel":
            told = await cancel_workshop(turn.uow, turn.settings, workshop_id, turn.now)
            turn.say(turn.t("workshop.staff.cancelled", workshop=workshop_id, told=told))
            return
        announce = action == "announce"
        done = await publish_workshop(
            turn.uow, turn.settings, workshop_id, turn.now, announce=announce
        )
    except WorkshopRefused:
        turn.say(turn.t("workshop.staff.refused", workshop=workshop_id))
        return
    turn.say(turn.t("workshop.staff.published", workshop=workshop_id, announced=done.announced))


async def _list(turn: Turn) -> None:
    workshops = await turn.uow.workshops.starting_between(
        turn.now - timedelta(days=1), turn.now + timedelta(days=365)
    )
    counts = await turn.uow.workshops.counts([w.id for w in workshops])
    lines = [turn.t("workshop.staff.list" if workshops else "workshop.staff.none")]
    for w in sorted(workshops, key=lambda w: w.starts_at):
        lines.append(
            turn.t(
                "workshop.staff.line",
                id=w.id,
                title=text_in(w.title, turn.locale),
                when=when_text(w, turn.settings.timezone),
                registered=counts.get((w.id, REGISTERED), 0),
                capacity=w.capacity,
                waitlisted=counts.get((w.id, WAITLISTED), 0),
            )
        )
    turn.say("\n".join(lines))


async def _show(turn: Turn, workshop_id: int) -> None:
    workshop = await turn.uow.workshops.get(workshop_id)
    assert workshop is not None
    when = when_text(workshop, turn.settings.timezone)
    status = turn.t("workshop.status." + workshop.status)
    lines = [
        f"#{workshop.id} {text_in(workshop.title, turn.locale)} — {when}",
        f"{quarter_label(turn.t, workshop.quarter)}, {workshop.place} · {status}",
    ]
    for registration in await turn.uow.workshops.registrations(workshop.id):
        present = " ✅" if registration.attended_at else ""
        lines.append(
            f"• {registration.code} — {turn.t('workshop.status.' + registration.status)}{present}"
        )
    lines.append(turn.t("workshop.staff.usage"))
    turn.say("\n".join(lines))
