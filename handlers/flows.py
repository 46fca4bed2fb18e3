"""The flow registry: each feature registers its steps and its main-menu entry here.

A step is a pair: `prompt` shows the question, `handle` reacts to the answer. The router
calls `handle` with the citizen's input; a step moves on with `turn.go(...)` and
`enter(...)`, or re-prompts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.types import Payload

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


FLOWS: dict[str, dict[str, Step]] = {}
MENU_ENTRIES: dict[str, MenuEntry] = {}


def register_flow(name: str, steps: dict[str, Step]) -> None:
    FLOWS[name] = steps


def register_menu_entry(entry: MenuEntry) -> None:
    MENU_ENTRIES[entry.id] = entry


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
