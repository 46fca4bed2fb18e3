"""The conversation core: the one entry point every channel calls.

Two ways in, with the same guarantees (each update handled once, one person's updates in
arrival order, state and answers committed together, different people concurrently):

- `receive(update)`: record the update and handle it in ONE transaction; updates of
  different people that arrive meanwhile share the next transaction (group commit). If
  the step crashes, the update is kept, marked failed. Channels that deliver again until
  they get an answer (webhooks, the terminal) use this.
- `store(updates)` then `handle_pending(...)`: keep the raw updates first (the inbox) and
  handle them afterwards. Channels that acknowledge before handling (long polling) use
  this, and `resume()` handles whatever a crash left stored but unhandled.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.boundary import checked
from handlers.clock import Clock, SystemClock
from handlers.group_commit import GroupCommit
from handlers.languages import LOCALES, detect_language, is_rtl, translate
from handlers.ordering import KeyedLocks
from handlers.serialization import payload_from_dict, payload_to_dict
from handlers.turn_runner import repeat_prompt, run_turn
from handlers.turns import CoreSettings
from handlers.types import Incoming, Outgoing, Text
from storage.database import Database
from storage.models import Conversation, InboxUpdate
from storage.repositories.conversations import NewConversation
from storage.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

HINT_LOCALES = {"fr": "fr", "ar": "ar"}
Person = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Handled:
    replies: list[Outgoing]


@dataclass(frozen=True, slots=True)
class Queued:
    """Stored behind earlier updates of the same person that wait in the inbox."""

    inbox_id: int | None


@dataclass(frozen=True, slots=True)
class Failed:
    error: Exception


Outcome = Handled | Queued | Failed
DUPLICATE = Handled([])


def _person(incoming: Incoming) -> Person:
    return (incoming.channel, incoming.user_id)


class ConversationCore:
    def __init__(
        self, db: Database, settings: CoreSettings | None = None, clock: Clock | None = None
    ) -> None:
        self.db = db
        self.settings = settings or CoreSettings()
        self.clock = clock or SystemClock()
        self._locks = KeyedLocks()
        self._turns = GroupCommit(self._run_batch)

    async def receive(self, incoming: Incoming) -> list[Outgoing]:
        """Record and handle one update; the replies to send (none for a duplicate)."""
        incoming = checked(incoming)
        async with self._locks.hold(_person(incoming)):
            outcome = await self._turns.submit(incoming)
            if isinstance(outcome, Handled):
                return outcome.replies
            if isinstance(outcome, Failed):
                return await self._keep_failed(incoming, outcome.error)
            if outcome.inbox_id is None:
                return []
            return await self._drain(_person(incoming), outcome.inbox_id)

    async def store(self, updates: Sequence[Incoming]) -> list[int | None]:
        """Put updates in the inbox, in one transaction; None for an update seen before."""
        safe = [checked(update) for update in updates]
        async with self.db.transaction() as uow:
            return [await self._store_one(uow, update) for update in safe]

    async def handle_pending(
        self, channel: str, user_id: str, *, up_to: int | None = None
    ) -> list[Outgoing]:
        """Handle this person's stored updates (up to inbox id `up_to`), oldest first."""
        async with self._locks.hold((channel, user_id)):
            return await self._drain((channel, user_id), up_to)

    async def resume(self, channel: str | None = None) -> list[Outgoing]:
        """After a restart: handle every update that was stored but never handled."""
        async with self.db.transaction() as uow:
            senders = await uow.inbox.senders_with_pending(channel)
        replies: list[Outgoing] = []
        for sender_channel, user_id in senders:
            replies.extend(await self.handle_pending(sender_channel, user_id))
        return replies

    async def repeat_prompt(self, channel: str, user_id: str) -> list[Outgoing]:
        """Where this person stands, asked again (a channel that lost its buttons, such as
        a terminal chat opened anew); nothing for someone the bot does not know."""
        async with self._locks.hold((channel, user_id)), self.db.transaction() as uow:
            conversation = await uow.conversations.find(channel, user_id)
            if conversation is None:
                return []
            return await repeat_prompt(uow, conversation, self.settings, self.clock.now())

    # --- group commit -----------------------------------------------------------------
    async def _run_batch(self, updates: list[Incoming]) -> list[Outcome]:
        """One transaction for updates of different people; if it fails, each update is
        run again alone, so one person's problem never holds the others back."""
        if len(updates) == 1:
            return [await self._run_alone(updates[0])]
        try:
            async with self.db.transaction() as uow:
                return await self._handle_batch(uow, updates)
        except Exception as error:
            logger.info(
                "a batch of %d failed (%s): each runs alone", len(updates), type(error).__name__
            )
            return [await self._run_alone(update) for update in updates]

    async def _run_alone(self, update: Incoming) -> Outcome:
        try:
            async with self.db.transaction() as uow:
                return (await self._handle_batch(uow, [update]))[0]
        except Exception as error:
            return Failed(error)

    async def _handle_batch(self, uow: UnitOfWork, updates: list[Incoming]) -> list[Outcome]:
        states, waiting = await self._load_states(uow, updates)
        now = self.clock.now()
        ready = [u for u in updates if _person(u) not in waiting]
        recorded = await uow.inbox.record_handled([_handled_row(u, now) for u in ready])
        newcomers = [
            self._new_state(u, now)
            for u in ready
            if _person(u) not in states and (u.channel, u.update_id) in recorded
        ]
        started = await uow.conversations.start(newcomers) if newcomers else {}
        outcomes: list[Outcome] = []
        for update in updates:
            if _person(update) in waiting:
                outcomes.append(Queued(await self._store_one(uow, update)))
            elif (update.channel, update.update_id) not in recorded:
                outcomes.append(DUPLICATE)
            else:
                conversation, is_new = started.get(_person(update)) or (
                    states[_person(update)],
                    False,
                )
                replies = await run_turn(uow, update, conversation, is_new, self.settings, now)
                outcomes.append(Handled(replies))
        return outcomes

    async def _load_states(
        self, uow: UnitOfWork, updates: Sequence[Incoming]
    ) -> tuple[dict[Person, Conversation], set[Person]]:
        """The senders' conversations, locked, and who has updates waiting in the inbox."""
        people = [_person(u) for u in updates]
        loaded = await uow.conversations.load(people)
        waiting = {person for person, state in loaded.items() if state.waiting}
        unknown = [person for person in people if person not in loaded]
        if unknown:  # a newcomer's first updates may have been stored before any state
            waiting |= await uow.inbox.senders_waiting(unknown)
        return {person: state.conversation for person, state in loaded.items()}, waiting

    def _new_state(self, incoming: Incoming, now: datetime) -> NewConversation:
        locale = _first_locale(incoming, self.settings.default_locale)
        return NewConversation(incoming.channel, incoming.user_id, incoming.chat_id, locale, now)

    # --- the inbox path -----------------------------------------------------------------
    async def _drain(self, person: Person, up_to: int | None) -> list[Outgoing]:
        """Handle this person's waiting updates, oldest first (their lock is held)."""
        replies: list[Outgoing] = []
        while (handled := await self._handle_next(person, up_to)) is not None:
            replies.extend(handled)
        return replies

    async def _handle_next(self, person: Person, up_to: int | None) -> list[Outgoing] | None:
        """Handle the oldest waiting update of this person; None when there is none."""
        pending: tuple[int, Incoming] | None = None
        try:
            async with self.db.transaction() as uow:
                row = await uow.inbox.next_pending(*person, up_to)
                if row is None:
                    return None
                pending = (row.id, _incoming_of(row))
                return await self._handle_stored(uow, *pending)
        except Exception as error:
            if pending is None:
                raise
            return await self._give_up(*pending, error)

    async def _handle_stored(
        self, uow: UnitOfWork, inbox_id: int, incoming: Incoming
    ) -> list[Outgoing]:
        now = self.clock.now()
        states, _ = await self._load_states(uow, [incoming])
        conversation = states.get(_person(incoming))
        is_new = conversation is None
        if conversation is None:
            new = self._new_state(incoming, now)
            conversation, is_new = (await uow.conversations.start([new]))[new.key]
        replies = await run_turn(uow, incoming, conversation, is_new, self.settings, now)
        await uow.inbox.mark_handled(inbox_id, now)
        return replies

    async def _store_one(self, uow: UnitOfWork, incoming: Incoming) -> int | None:
        return await uow.inbox.store(
            channel=incoming.channel,
            update_id=incoming.update_id,
            channel_user_id=incoming.user_id,
            chat_id=incoming.chat_id,
            payload={"payload": payload_to_dict(incoming.payload), "hint": incoming.language_hint},
            received_at=self.clock.now(),
        )

    # --- failures -----------------------------------------------------------------------
    async def _keep_failed(self, incoming: Incoming, error: Exception) -> list[Outgoing]:
        """The step crashed and its transaction rolled back: keep the update, as failed."""
        async with self.db.transaction() as uow:
            inbox_id = await self._store_one(uow, incoming)
            if inbox_id is None:  # stored before the crash: nothing was lost
                inbox_id = await uow.inbox.id_of(incoming.channel, incoming.update_id)
        return await self._give_up(inbox_id, incoming, error)

    async def _give_up(self, inbox_id: int, incoming: Incoming, error: Exception) -> list[Outgoing]:
        """Log the failure without personal text, mark the update failed, tell the citizen."""
        frames = "".join(traceback.format_tb(error.__traceback__))
        name = type(error).__name__
        logger.error("update %s failed: %s\n%s", incoming.update_id, name, frames)
        async with self.db.transaction() as uow:
            await uow.inbox.mark_failed(inbox_id, self.clock.now(), name)
            conversation = await uow.conversations.find(incoming.channel, incoming.user_id)
            locale = conversation.locale if conversation else self.settings.default_locale
        text = translate(locale, "error.internal")
        return [Outgoing(incoming.chat_id, text, rtl=is_rtl(locale))]


def _first_locale(incoming: Incoming, default: str) -> str:
    """A newcomer's language: what they wrote in, else their app's language, else default."""
    if isinstance(incoming.payload, Text):
        detected = detect_language(incoming.payload.text).code
        if detected in LOCALES:
            return detected
    return HINT_LOCALES.get(incoming.language_hint or "", default)


def _handled_row(incoming: Incoming, now: datetime) -> dict[str, object]:
    return {
        "channel": incoming.channel,
        "update_id": incoming.update_id,
        "channel_user_id": incoming.user_id,
        "chat_id": incoming.chat_id,
        "payload": None,
        "received_at": now,
        "handled_at": now,
    }


def _incoming_of(row: InboxUpdate) -> Incoming:
    stored = row.payload or {}
    return Incoming(
        channel=row.channel,
        user_id=row.channel_user_id,
        chat_id=row.chat_id,
        update_id=row.update_id,
        payload=payload_from_dict(stored["payload"]),
        language_hint=stored.get("hint"),
    )
