"""The flow registry: each feature registers its steps and its main-menu entry here.

A step is a pair: `prompt` shows the question, `handle` reacts to the answer. The router
calls `handle` with the citizen's input; a step moves on with `turn.go(...)` and
`enter(...)`, or re-prompts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.types import Payload, Text

if TYPE_CHECKING:
    from handlers.turns import Turn


@dataclass(frozen=True, slots=True)
class Choice:
    """A button press, decoded and checked against the current step."""

    value: str


Input = Payload | Choice
Prompt = Callable[["Turn"], Awaitable[None]]
Handler = Callable[["Turn", Input], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Step:
    prompt: Prompt
    handle: Handler


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A main-menu button; `public` entries work for people who declined consent too."""

    id: str
    label_key: str
    open: Prompt
    order: int
    public: bool = False


@dataclass(frozen=True, slots=True)
class RequestTarget:
    """Where a typed request leads (`handlers.intents` reads what was asked for): `open`
    gets the words of the message the request's phrase did not use (a consultation's
    name, say); `label_key` names it on the button offered when a message is ambiguous."""

    intent: str
    label_key: str
    open: Callable[[Turn, tuple[str, ...]], Awaitable[None]]
    public: bool = False


RequestReader = Callable[["Turn", str], Awaitable[bool]]

FLOWS: dict[str, dict[str, Step]] = {}
MENU_ENTRIES: dict[str, MenuEntry] = {}
REQUEST_TARGETS: dict[str, RequestTarget] = {}
_REQUEST_READERS: list[RequestReader] = []


def register_flow(name: str, steps: dict[str, Step]) -> None:
    FLOWS[name] = steps


def register_menu_entry(entry: MenuEntry) -> None:
    MENU_ENTRIES[entry.id] = entry


def register_request_target(target: RequestTarget) -> None:
    REQUEST_TARGETS[target.intent] = target


def register_request_reader(reader: RequestReader) -> None:
    """The reader of typed requests (one: `handlers.intents`)."""
    _REQUEST_READERS[:] = [reader]


async def read_request(turn: Turn, text: str) -> bool:
    """Go where a typed request asks to, or ask which of its readings was meant; False
    when the text asks for nothing the bot knows."""
    return bool(_REQUEST_READERS) and await _REQUEST_READERS[0](turn, text)


async def not_an_answer(turn: Turn, answer: Input, prompt: Prompt | None = None) -> None:
    """Input the current question cannot take: a typed request is followed ("bghit n9dm
    chikaya" at a yes/no question); anything else is refused and the question asked
    again (by `prompt`, else the current step's)."""
    if isinstance(answer, Text) and await read_request(turn, answer.text):
        return
    turn.note(turn.t("error.choose_option"))
    await (prompt or reprompt)(turn)


def menu_entries(*, consented: bool) -> list[MenuEntry]:
    entries = (e for e in MENU_ENTRIES.values() if consented or e.public)
    return sorted(entries, key=lambda e: e.order)


async def enter(turn: Turn, flow: str, step: str, data: dict | None = None) -> None:
    """Move to a step and show its prompt."""
    turn.go(flow, step, data)
    await FLOWS[flow][step].prompt(turn)


async def reprompt(turn: Turn) -> None:
    """Show the current step's prompt again (after an error or an interruption)."""
    await FLOWS[turn.flow][turn.step].prompt(turn)


def current_step(turn: Turn) -> Step:
    return FLOWS[turn.flow][turn.step]
