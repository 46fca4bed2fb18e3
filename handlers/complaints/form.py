"""The citizen files a complaint, one question at a time; answers are kept in the
conversation, so a citizen who leaves and comes back resumes where they stopped.

    kind ─► category ─► description ─► where ─► attachment ─► summary ─► filed (number)
      ▲                                                          │ edit: one field, then
      └──────────────────────── (any field) ◄───────────────────┘ back to the summary
"""

from __future__ import annotations

from handlers.complaints.categories import CATEGORIES, KINDS
from handlers.complaints.filing import (
    COMMUNE_CENTRE,
    MAX_ADDRESS,
    MAX_ATTACHMENT_BYTES,
    MAX_DESCRIPTION,
    MIN_ADDRESS,
    MIN_DESCRIPTION,
    NEAR_KM,
    attachment_fields,
    attachment_problem,
    description_problem,
    distance_km,
)
from handlers.complaints.summary import SUMMARY_STEPS
from handlers.complaints.views import category_label, kind_label
from handlers.flows import Choice, Input, Step, enter, not_an_answer, register_flow
from handlers.languages import quarter_label
from handlers.menu import in_rows, show_menu
from handlers.turns import Turn
from handlers.types import Button, Location, Media, Text
from surveys.numerals import read_position

FLOW = "complaint_form"
ORDER = ("kind", "category", "description", "where", "attachment", "summary")
CANCEL, BACK, SKIP, NO_PLACE = "cancel", "back", "skip", "noplace"
KIND, CATEGORY, QUARTER = "kind:", "cat:", "q:"
PLACE_FIELDS = ("latitude", "longitude", "quarter", "address")


async def start_filing(turn: Turn) -> None:
    """The citizen starts a new complaint (nothing from an earlier draft is kept)."""
    await enter(turn, FLOW, "kind", {})


async def advance(turn: Turn, done: str) -> None:
    """The next question, or back to the summary when the citizen was editing one field."""
    following = "summary" if turn.data.get("editing") else ORDER[ORDER.index(done) + 1]
    await enter(turn, FLOW, following)


def _cancel_button(turn: Turn) -> Button:
    return turn.button(CANCEL, turn.t("complaint.cancel"))


async def cancel_filing(turn: Turn) -> None:
    """The citizen gives up: nothing of the draft is kept."""
    turn.note(turn.t("complaint.cancelled"))
    await show_menu(turn)


async def _refuse(turn: Turn, key: str, **params: object) -> None:
    """A translated reason, then the same question again."""
    turn.note(turn.t(key, **params))
    await enter(turn, FLOW, turn.step)


async def _prompt_kind(turn: Turn) -> None:
    buttons = [[turn.button(KIND + kind, kind_label(turn.t, kind))] for kind in KINDS]
    buttons.append([turn.button(BACK, turn.t("menu.back"))])
    turn.say(turn.t("complaint.kind.prompt"), buttons)


async def _handle_kind(turn: Turn, answer: Input) -> None:
    """The citizen says whether it is a complaint, an observation or a suggestion."""
    if isinstance(answer, Choice) and answer.value.removeprefix(KIND) in KINDS:
        turn.data["kind"] = answer.value.removeprefix(KIND)
        await advance(turn, "kind")
    elif answer == Choice(BACK):
        await show_menu(turn)
    else:
        await not_an_answer(turn, answer)


async def _prompt_category(turn: Turn) -> None:
    buttons = [
        turn.button(CATEGORY + c.id, category_label(turn.t, c.id)) for c in CATEGORIES.values()
    ]
    rows = [*in_rows(buttons), [_cancel_button(turn)]]
    turn.say(turn.t("complaint.category.prompt"), rows)


async def _handle_category(turn: Turn, answer: Input) -> None:
    """The citizen picks what the problem is about."""
    if isinstance(answer, Choice) and answer.value.removeprefix(CATEGORY) in CATEGORIES:
        turn.data["category"] = answer.value.removeprefix(CATEGORY)
        await advance(turn, "category")
    elif answer == Choice(CANCEL):
        await cancel_filing(turn)
    else:
        await not_an_answer(turn, answer)


async def _prompt_description(turn: Turn) -> None:
    text = turn.t("complaint.description.prompt", min=MIN_DESCRIPTION, max=MAX_DESCRIPTION)
    turn.say(text, [[_cancel_button(turn)]])


async def _handle_description(turn: Turn, answer: Input) -> None:
    """The citizen describes the problem in their own words."""
    if answer == Choice(CANCEL):
        await cancel_filing(turn)
    elif not isinstance(answer, Text):
        await _refuse(turn, "complaint.description.text_only")
    elif (problem := description_problem(answer.text)) is not None:
        await _refuse(turn, problem[0], **problem[1])
    else:
        turn.data["description"] = answer.text
        await advance(turn, "description")


async def _prompt_where(turn: Turn) -> None:
    quarters = [
        turn.button(f"{QUARTER}{index}", quarter_label(turn.t, name))
        for index, name in enumerate(turn.settings.commune_quarters)
    ]
    rows = [*in_rows(quarters), [turn.button(NO_PLACE, turn.t("complaint.where.none"))]]
    rows.append([_cancel_button(turn)])
    turn.say(turn.t("complaint.where.prompt"), rows)


def _set_place(turn: Turn, **place: object) -> None:
    for name in PLACE_FIELDS:
        turn.data[name] = place.get(name)


async def _handle_where(turn: Turn, answer: Input) -> None:
    """The citizen shares a location, picks a quarter, types an address, or gives none."""
    quarters = turn.settings.commune_quarters
    if isinstance(answer, Location):
        _set_place(turn, latitude=answer.latitude, longitude=answer.longitude)
        far = distance_km(answer.latitude, answer.longitude, COMMUNE_CENTRE)
        if far > NEAR_KM:
            turn.note(turn.t("complaint.where.far", km=round(far), commune=turn.commune))
    elif isinstance(answer, Choice) and answer.value.startswith(QUARTER):
        index = read_position(answer.value.removeprefix(QUARTER), len(quarters))
        if index is None:
            await _refuse(turn, "error.choose_option")
            return
        _set_place(turn, quarter=quarters[index])
    elif answer == Choice(NO_PLACE):
        _set_place(turn)
    elif answer == Choice(CANCEL):
        await cancel_filing(turn)
        return
    elif isinstance(answer, Text):
        await _typed_place(turn, answer.text)
        return
    else:
        await _refuse(turn, "complaint.where.invalid")
        return
    await advance(turn, "where")


async def _typed_place(turn: Turn, text: str) -> None:
    """A typed quarter name (as configured or as the buttons show it) picks that quarter;
    anything else is an address."""
    typed = text.casefold()
    named = [
        q
        for q in turn.settings.commune_quarters
        if typed in (q.casefold(), quarter_label(turn.t, q).casefold())
    ]
    if named:
        _set_place(turn, quarter=named[0])
    elif not MIN_ADDRESS <= len(text) <= MAX_ADDRESS:
        await _refuse(turn, "complaint.where.address_length", min=MIN_ADDRESS, max=MAX_ADDRESS)
        return
    else:
        _set_place(turn, address=text)
    await advance(turn, "where")


async def _prompt_attachment(turn: Turn) -> None:
    buttons = [[turn.button(SKIP, turn.t("complaint.attachment.skip")), _cancel_button(turn)]]
    text = turn.t("complaint.attachment.prompt", max_mb=MAX_ATTACHMENT_BYTES // 2**20)
    turn.say(text, buttons)


async def _handle_attachment(turn: Turn, answer: Input) -> None:
    """The citizen adds a photo, a voice note or a document, or skips."""
    if answer == Choice(SKIP):
        turn.data.update(dict.fromkeys(attachment_fields(Media("photo", "")), None))
    elif answer == Choice(CANCEL):
        await cancel_filing(turn)
        return
    elif not isinstance(answer, Media):
        await _refuse(turn, "complaint.attachment.invalid")
        return
    elif (problem := attachment_problem(answer)) is not None:
        await _refuse(turn, problem[0], **problem[1])
        return
    else:
        turn.data.update(attachment_fields(answer))
    await advance(turn, "attachment")


register_flow(
    FLOW,
    {
        "kind": Step(_prompt_kind, _handle_kind),
        "category": Step(_prompt_category, _handle_category),
        "description": Step(_prompt_description, _handle_description),
        "where": Step(_prompt_where, _handle_where),
        "attachment": Step(_prompt_attachment, _handle_attachment),
        **SUMMARY_STEPS,
    },
)
