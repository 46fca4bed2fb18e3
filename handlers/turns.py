"""A turn: one incoming message being handled, with everything a step may read or change.

Steps never send or commit anything themselves: they append replies and change the state,
and the core saves both in the transaction that marks the update handled.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import Any

from handlers.languages import LOCALES, Translator, is_rtl, place_name
from handlers.types import Button, Incoming, Outgoing
from storage.models import Citizen, Conversation
from storage.unit_of_work import UnitOfWork

BUTTON_SEPARATOR = "."


@dataclass(frozen=True, slots=True)
class CoreSettings:
    """What the core needs to know about the commune (built from the app's settings)."""

    commune_name: str = "Taroudant"
    default_locale: str = "fr"
    privacy_contact: str = ""
    cndp_declaration: str = ""
    retention_months: int = 24
    timezone: str = "Africa/Casablanca"
    staff_chat_id: str | None = None
    staff_channel: str = "telegram"
    tracking_prefix: str = "TRD"
    commune_quarters: tuple[str, ...] = (
        "Derb Jdid",
        "Sidi Belkas",
        "Darb Al Afou",
        "Talmqalat",
        "Assarag",
        "Medina",
        "Other",
    )
    complaint_reopen_days: int = 15
    deadline_reminder_days: int = 7  # staff are reminded this long before a deadline
    digest_hour: int = 8  # local hour from which the daily digest goes to the staff group
    # Where tracking numbers get their randomness; tests pass a seeded `Random`.
    tracking_random: Random = field(default_factory=secrets.SystemRandom, compare=False)
    # PSEUDONYM_KEY: keys the tokens that recognise a second response to a consultation.
    pseudonym_key: str = field(default="", repr=False)
    consultation_reminder_hours: int = 24  # after an unfinished start
    # Workshop reminders, in seconds before the start (WORKSHOP_REMINDERS: "24h,2h").
    workshop_reminder_seconds: tuple[int, ...] = (24 * 3600, 2 * 3600)


def is_current(button_id: str, version: int) -> bool:
    """Whether a button belongs to the latest prompt of a conversation at `version` (a
    channel that shows choices its own way asks, to know a list it showed is still
    the one to answer)."""
    issued, separator, choice = button_id.partition(BUTTON_SEPARATOR)
    return bool(separator and choice) and issued == f"{version:x}"


class Turn:
    def __init__(
        self,
        incoming: Incoming,
        conversation: Conversation,
        uow: UnitOfWork,
        settings: CoreSettings,
        now: datetime,
    ) -> None:
        self.incoming = incoming
        self.conversation = conversation
        self.uow = uow
        self.settings = settings
        self.now = now
        self.replies: list[Outgoing] = []
        self._issued_buttons = False
        self._citizen: Citizen | None = None
        self.forgotten = False
        self._notes: list[str] = []

    # --- where the conversation stands -------------------------------------------------
    @property
    def locale(self) -> str:
        return self.conversation.locale

    @property
    def flow(self) -> str:
        return self.conversation.flow

    @property
    def step(self) -> str:
        return self.conversation.step

    @property
    def data(self) -> dict[str, Any]:
        """Scratch data of the current flow (reset when another flow starts)."""
        return self.conversation.data.setdefault("flow", {})

    @property
    def consented(self) -> bool:
        return self.conversation.citizen_id is not None

    @property
    def declined(self) -> bool:
        return bool(self.conversation.data.get("declined"))

    def go(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        if flow != self.conversation.flow or data is not None:
            self.conversation.data["flow"] = dict(data or {})
        self.conversation.flow, self.conversation.step = flow, step

    def set_locale(self, locale: str) -> None:
        self.conversation.locale = locale if locale in LOCALES else self.settings.default_locale

    def remember(self, key: str, value: Any) -> None:
        """Keep a conversation-level fact (outside any flow's scratch data)."""
        self.conversation.data[key] = value

    def forget_conversation(self) -> None:
        """Drop the conversation itself at the end of this turn (after an erasure)."""
        self.forgotten = True

    async def citizen(self) -> Citizen | None:
        if self._citizen is None and self.conversation.citizen_id is not None:
            self._citizen = await self.uow.citizens.get(self.conversation.citizen_id)
        return self._citizen

    # --- what the bot says -------------------------------------------------------------
    @property
    def t(self) -> Translator:
        """The catalogs in the citizen's locale: `turn.t("key", name=...)`."""
        return Translator(self.locale)

    @property
    def commune(self) -> str:
        """The commune's name in the citizen's language."""
        return place_name(self.locale, self.settings.commune_name)

    def note(self, text: str) -> None:
        """A short remark (an error, a confirmation) shown at the top of the next message."""
        self._notes.append(text)

    def say(
        self, text: str, buttons: Sequence[Sequence[Button]] = (), *, number_expected: bool = False
    ) -> None:
        if self._notes:
            text = "\n\n".join([*self._notes, text])
            self._notes.clear()
        rows = tuple(tuple(row) for row in buttons if row)
        message = Outgoing(
            self.incoming.chat_id,
            text,
            rows,
            rtl=is_rtl(self.locale),
            number_expected=number_expected,
        )
        self.replies.append(message)

    def show(self, message: Outgoing) -> None:
        """A message built elsewhere (a poll), after any pending note."""
        if self._notes:
            self.say(self._notes.pop())
        self.replies.append(message)

    def button(self, choice: str, label: str) -> Button:
        """A button for the next input; pressing it after the conversation moved on is
        recognised as stale."""
        self._issued_buttons = True
        return Button(f"{self.conversation.version + 1:x}{BUTTON_SEPARATOR}{choice}", label)

    def read_button(self, button_id: str) -> str | None:
        """The choice of a button from the latest prompt; None if stale or forged."""
        if not is_current(button_id, self.conversation.version):
            return None
        return button_id.partition(BUTTON_SEPARATOR)[2]

    def finish(self) -> None:
        """Close the turn: buttons issued now make the earlier ones stale."""
        if self._notes:
            self.say(self._notes.pop())
        if self._issued_buttons:
            self.conversation.version += 1
        self.conversation.updated_at = self.now
