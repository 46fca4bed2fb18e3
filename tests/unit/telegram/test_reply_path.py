"""The reply path shared by both adapters, with a recording fake of the Bot API calls:
retries, the outbox as a safety net, the pressed button's acknowledgement, "typing…"."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from bot.delivery_errors import (
    DeliveryError,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.telegram.handling import UpdateHandler
from bot.telegram.sender import ReplySender, RetryPolicy, TelegramSender
from handlers.clock import ManualClock
from handlers.consultations.quick_polls import poll_message
from handlers.serialization import outgoing_from_dict
from handlers.types import Button, Incoming, Outgoing, PollShown, Text
from storage.database import Database
from storage.models import OutboxMessage
from tests.consultations import open_consultation, quick_poll_document
from tests.unit.test_outbox_sender import citizen

LONG = "Jumla twila bzaf. " * 400  # two messages


class RecordingCalls:
    """Answers every call with a message; planned failures per method, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: dict[str, list[DeliveryError | None]] = {}

    def fail(self, method: str, *errors: DeliveryError | None) -> None:
        """Answer the next calls of `method` with these errors (None: a success)."""
        self.failures.setdefault(method, []).extend(errors)

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        self.calls.append((method, params))
        planned = self.failures.get(method)
        error = planned.pop(0) if planned else None
        if error is not None:
            raise error
        return {"message_id": len(self.calls)}

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def calls() -> RecordingCalls:
    return RecordingCalls()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def replier(calls: RecordingCalls, db: Database, clock: ManualClock, sleeps: Sleeps) -> ReplySender:
    return ReplySender(calls, db, clock=clock, sleep=sleeps, policy=RetryPolicy(max_wait=30))


async def queued(db: Database) -> list[Outgoing]:
    async with db.engine.connect() as connection:
        rows = await connection.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return [outgoing_from_dict(row.payload) for row in rows]


async def test_network_errors_are_retried_with_back_off(
    calls: RecordingCalls, db: Database, clock: ManualClock, sleeps: Sleeps
) -> None:
    calls.fail("sendMessage", TransientNetworkError("Bad Gateway"), TransientNetworkError("x"))
    assert await replier(calls, db, clock, sleeps).send(Outgoing("9", "Salam"))
    assert calls.methods() == ["sendMessage"] * 3 and sleeps.slept == [0.5, 1.0]
    assert await queued(db) == []


async def test_after_three_tries_the_rest_of_the_reply_goes_to_the_outbox(
    calls: RecordingCalls, db: Database, clock: ManualClock, sleeps: Sleeps
) -> None:
    keyboard = ((Button("3.ok", "OK"),),)
    first = Outgoing("9", LONG, keyboard)
    timeout = TransientNetworkError("timed out")
    calls.fail("sendMessage", timeout, None, timeout, timeout, timeout)
    sender = replier(calls, db, clock, sleeps)
    await sender.send_all([first, Outgoing("9", "Then this")])
    rows = await queued(db)
    # part 1 was sent on its 2nd try, part 2 failed 3 times: part 2 and the next reply wait
    assert calls.methods() == ["sendMessage"] * 5
    assert [r.text for r in rows][1:] == ["Then this"] and rows[0].buttons == keyboard
    assert rows[0].text.startswith("Jumla") and len(rows[0].text) < len(LONG) / 2 + 20


async def test_429_is_waited_out_up_to_a_limit(
    calls: RecordingCalls, db: Database, clock: ManualClock, sleeps: Sleeps
) -> None:
    calls.fail("sendMessage", RetryLater(3), RetryLater(4))
    assert await replier(calls, db, clock, sleeps).send(Outgoing("9", "Salam"))
    assert sleeps.slept == [3, 4]
    calls.fail("sendMessage", RetryLater(20), RetryLater(20))
    assert not await replier(calls, db, clock, sleeps).send(Outgoing("9", "Later"))
    assert [r.text for r in await queued(db)] == ["Later"]


async def test_a_blocked_citizen_becomes_unreachable(
    calls: RecordingCalls, db: Database, clock: ManualClock, sleeps: Sleeps
) -> None:
    async with db.transaction() as uow:
        await uow.citizens.register(citizen("9", clock))
    calls.fail("sendMessage", Unreachable("Forbidden: bot was blocked by the user"))
    assert not await replier(calls, db, clock, sleeps).send(Outgoing("9", "Salam"))
    async with db.transaction() as uow:
        found = await uow.citizens.find("telegram", "9")
    assert found is not None and not found.reachable and await queued(db) == []


async def test_a_refused_message_is_logged_not_retried(
    calls: RecordingCalls, db: Database, clock: ManualClock, sleeps: Sleeps
) -> None:
    calls.fail("sendMessage", Rejected("Bad Request: chat not found"))
    assert await replier(calls, db, clock, sleeps).send(Outgoing("9", "Salam"))
    assert calls.methods() == ["sendMessage"] and await queued(db) == []


class SlowCore:
    """Stands in for the core: stores, and takes `delay` seconds to handle."""

    def __init__(self, delay: float, replies: list[Outgoing]) -> None:
        self.delay = delay
        self.replies = replies
        self.stored: list[Incoming] = []

    async def store(self, updates: list[Incoming]) -> list[int | None]:
        self.stored += updates
        return [len(self.stored)]

    async def handle_pending(self, channel: str, user_id: str, *, up_to: int) -> list[Outgoing]:
        await asyncio.sleep(self.delay)
        return self.replies


def text_update(update_id: int = 1) -> dict[str, Any]:
    user = {"id": 9, "is_bot": False, "first_name": "Ali"}
    chat = {"id": 9, "type": "private"}
    message = {"message_id": 5, "from": user, "chat": chat, "date": 0, "text": "Salam"}
    return {"update_id": update_id, "message": message}


def press_update(data: str = "1.ok") -> dict[str, Any]:
    update = text_update()
    message = {**update["message"], "from": {"id": 1, "is_bot": True, "first_name": "Bot"}}
    query = {"id": "q1", "from": text_update()["message"]["from"], "message": message}
    return {"update_id": 2, "callback_query": {**query, "chat_instance": "1", "data": data}}


def handler_for(core: SlowCore, calls: RecordingCalls, db: Database) -> UpdateHandler:
    replies = ReplySender(calls, db)
    return UpdateHandler(core, calls, replies, typing_after=0.05)  # type: ignore[arg-type]


@pytest.mark.parametrize(("delay", "typing"), [(0.0, False), (0.2, True)])
async def test_typing_shows_only_when_handling_is_slow(
    calls: RecordingCalls, db: Database, delay: float, typing: bool
) -> None:
    core = SlowCore(delay, [Outgoing("9", "Marhba")])
    await handler_for(core, calls, db).on_update(text_update())
    expected = ["sendChatAction", "sendMessage"] if typing else ["sendMessage"]
    assert calls.methods() == expected
    assert core.stored == [Incoming("telegram", "9", "9", "1", Text("Salam"))]


async def test_a_pressed_button_is_answered_and_its_keyboard_removed(
    calls: RecordingCalls, db: Database
) -> None:
    await handler_for(SlowCore(0, []), calls, db).on_update(press_update())
    cleared = {"chat_id": "9", "message_id": 5, "reply_markup": {"inline_keyboard": []}}
    assert calls.calls == [
        ("answerCallbackQuery", {"callback_query_id": "q1"}),
        ("editMessageReplyMarkup", cleared),
    ]


async def test_an_ignored_button_is_still_answered(calls: RecordingCalls, db: Database) -> None:
    update = press_update()
    del update["callback_query"]["data"]  # a game button: nothing for the core
    calls.fail("answerCallbackQuery", Rejected("query is too old"))  # and that is fine
    core = SlowCore(0, [])
    await handler_for(core, calls, db).on_update(update)
    assert calls.methods() == ["answerCallbackQuery"] and core.stored == []


class PollCalls(RecordingCalls):
    """Telegram's answer to sendPoll carries the poll, and its id."""

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        result = await super().call(method, params)
        return {**result, "poll": {"id": "5432"}} if method == "sendPoll" else result


async def test_a_poll_sent_as_a_reply_has_its_id_recorded(
    db: Database, clock: ManualClock, sleeps: Sleeps
) -> None:
    record_id, consultation = await open_consultation(db, quick_poll_document(), clock.now())
    message = poll_message("9", "fr", record_id, consultation)
    calls = PollCalls()
    assert await replier(calls, db, clock, sleeps).send(message)
    assert calls.methods() == ["sendMessage", "sendPoll"]
    assert calls.calls[1][1]["is_anonymous"] is False and "reply_markup" not in calls.calls[1][1]
    async with db.transaction() as uow:
        assert await uow.polls.consultation_of("telegram", "5432") == record_id
    outbox_side = TelegramSender(calls)
    shown = [await outbox_side.send(part) for part in outbox_side.parts(message)]
    assert shown == [None, PollShown("5432", "4")], "the text, then the poll: part by part"
    assert await outbox_side.send(Outgoing("9", "Salam")) is None
