"""The citizen's optional profile — quarter, gender, age bracket — asked once, when it
first serves them (a first workshop sign-up, a consultation that targets or reports by
it), never at onboarding. Each question says why it is asked and can be skipped; a
skipped field is not asked again unless the citizen opens it from My data.

    capability ─ ask_profile_first(turn, fields, then=…) ─► quarter ─► gender ─► age
                                                                     └─► resumes `then`
    My data ─► ✏️ My profile ─► a field ─► its question (+ 🗑️ Clear) ─► My profile

Capabilities register where to resume after the questions (`register_resumption`), the
way flows register their steps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from handlers.flows import Choice, Input, Step, enter, not_an_answer, register_flow
from handlers.languages import quarter_label
from handlers.menu import in_rows, show_menu
from handlers.turns import Turn
from storage.models import Citizen
from surveys.definitions import AGE_BRACKETS, GENDERS, PROFILE_FIELDS

FLOW = "profile"
SKIP, CLEAR, BACK = "skip", "clear", "back"
STEPS = {"quarter": "quarter", "gender": "gender", "age_bracket": "age"}
Resume = Callable[[Turn, int], Awaitable[None]]
RESUMPTIONS: dict[str, Resume] = {}


def register_resumption(name: str, resume: Resume) -> None:
    """Where a capability continues once the profile questions are answered or skipped;
    `resume` receives the turn and the integer the capability passed along."""
    RESUMPTIONS[name] = resume


def asked_fields(citizen: Citizen) -> set[str]:
    return {name for name in citizen.profile_asked.split(",") if name}


def _mark_asked(citizen: Citizen, field: str) -> None:
    asked = asked_fields(citizen) | {field}
    citizen.profile_asked = ",".join(name for name in PROFILE_FIELDS if name in asked)


def missing_fields(citizen: Citizen, fields: Sequence[str]) -> list[str]:
    """The fields among `fields` the citizen neither gave nor was asked."""
    asked = asked_fields(citizen)
    return [f for f in PROFILE_FIELDS if f in fields and f not in asked and not getattr(citizen, f)]


async def ask_profile_first(turn: Turn, fields: Sequence[str], then: str, argument: int) -> bool:
    """Ask the fields the citizen was never asked, then resume `then`; False (nothing
    asked) when there is none."""
    citizen = await turn.citizen()
    missing = [] if citizen is None else missing_fields(citizen, fields)
    if not missing:
        return False
    turn.note(turn.t("profile.intro"))
    await enter(turn, FLOW, STEPS[missing[0]], {"ask": missing, "then": then, "arg": argument})
    return True


# --- the questions ------------------------------------------------------------------------
def field_value_label(turn: Turn, field: str, value: str | None) -> str:
    """How a stored profile value reads in the citizen's language."""
    if not value:
        return turn.t("my_data.not_given")
    if field == "quarter":
        return quarter_label(turn.t, value)
    return turn.t(f"profile.{STEPS[field]}.{value}")


def _options(turn: Turn, field: str) -> list[tuple[str, str]]:
    """(choice id, label) of a field's answers."""
    if field == "quarter":
        quarters = turn.settings.commune_quarters
        return [(f"q{index}", quarter_label(turn.t, q)) for index, q in enumerate(quarters)]
    values = GENDERS if field == "gender" else AGE_BRACKETS
    return [(f"v:{value}", turn.t(f"profile.{STEPS[field]}.{value}")) for value in values]


def _value_of(turn: Turn, field: str, choice: str) -> str | None:
    if field == "quarter" and choice.startswith("q") and choice[1:].isdigit():
        quarters = turn.settings.commune_quarters
        index = int(choice[1:])
        return quarters[index] if index < len(quarters) else None
    allowed = GENDERS if field == "gender" else AGE_BRACKETS
    value = choice.removeprefix("v:")
    return value if field != "quarter" and choice.startswith("v:") and value in allowed else None


def _question(field: str) -> Step:
    async def prompt(turn: Turn) -> None:
        buttons = [turn.button(choice, label) for choice, label in _options(turn, field)]
        rows = in_rows(buttons)
        controls = [turn.button(SKIP, turn.t("profile.skip"))]
        if turn.data.get("editing"):
            citizen = await turn.citizen()
            if citizen is not None and getattr(citizen, field):
                controls.append(turn.button(CLEAR, turn.t("profile.clear")))
        text = "\n\n".join([turn.t(f"profile.{STEPS[field]}.ask"), turn.t("profile.why")])
        turn.say(text, [*rows, controls])

    async def handle(turn: Turn, answer: Input) -> None:
        """The citizen answers, skips, or (from My data) clears the field."""
        citizen = await turn.citizen()
        if citizen is None:  # erased meanwhile in another chat: nothing to ask about
            await show_menu(turn)
            return
        choice = answer.value if isinstance(answer, Choice) else None
        value = None if choice is None else _value_of(turn, field, choice)
        if choice in (SKIP, CLEAR) or value is not None:
            if value is not None or choice == CLEAR:
                setattr(citizen, field, value)
            _mark_asked(citizen, field)
            turn.note(turn.t("profile.saved" if value else "profile.skipped"))
            await _next(turn, field)
            return
        await not_an_answer(turn, answer, prompt)

    return Step(prompt, handle)


async def _next(turn: Turn, answered: str) -> None:
    """The next field to ask, else back where the citizen was going."""
    if turn.data.get("editing"):
        await enter(turn, FLOW, "edit", {})
        return
    remaining = [field for field in turn.data.get("ask", []) if field != answered]
    then, argument = turn.data.get("then"), int(turn.data.get("arg", 0))
    if remaining:
        await enter(turn, FLOW, STEPS[remaining[0]], {**turn.data, "ask": remaining})
        return
    resume = RESUMPTIONS.get(str(then))
    if resume is None:
        await show_menu(turn)
        return
    await resume(turn, argument)


# --- My profile, opened from My data -------------------------------------------------------
async def open_profile(turn: Turn) -> None:
    """The citizen opens their profile from My data."""
    await enter(turn, FLOW, "edit", {})


async def _prompt_edit(turn: Turn) -> None:
    citizen = await turn.citizen()
    if citizen is None:
        await show_menu(turn, turn.t("my_data.none"))
        return
    rows = [
        [
            turn.button(
                f"f:{field}",
                turn.t(
                    "layout.label_value",
                    label=turn.t("my_data.field." + field),
                    value=field_value_label(turn, field, getattr(citizen, field)),
                ),
            )
        ]
        for field in PROFILE_FIELDS
    ]
    turn.say(turn.t("profile.edit"), [*rows, [turn.button(BACK, turn.t("menu.back"))]])


async def _handle_edit(turn: Turn, answer: Input) -> None:
    """The citizen picks a field to change or clear, or goes back to My data."""
    if answer == Choice(BACK):
        await enter(turn, "my_data", "view")
        return
    if isinstance(answer, Choice) and answer.value.removeprefix("f:") in STEPS:
        field = answer.value.removeprefix("f:")
        await enter(turn, FLOW, STEPS[field], {"editing": True})
        return
    await not_an_answer(turn, answer, _prompt_edit)


register_flow(
    FLOW,
    {
        "quarter": _question("quarter"),
        "gender": _question("gender"),
        "age": _question("age_bracket"),
        "edit": Step(_prompt_edit, _handle_edit),
    },
)
