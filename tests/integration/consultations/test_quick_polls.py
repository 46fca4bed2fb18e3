"""Quick polls on SQLite and PostgreSQL: broadcast as native polls whose ids are recorded
when sent, votes from `poll_answer` stored as responses (a new vote replaces the earlier
one, an empty one withdraws it), the same poll as buttons where there are no native polls,
and every refusal (closed, unknown poll, forged button, no consent) translated."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery_errors import RetryLater
from bot.outbox_sender import OutboxSender, RateLimiter
from bot.scheduling import run_poll_closing
from bot.telegram.sender import TelegramSender
from handlers.consultations.broadcasts import broadcast_consultation
from handlers.consultations.quick_polls import POLL_CLOSING_KIND
from handlers.serialization import outgoing_from_dict
from handlers.turns import CoreSettings
from handlers.types import ButtonPress, Outgoing, PollAnswer, PollShown
from storage.models import ConsultationAnswer, ConsultationResponse, OutboxMessage, SentPoll
from storage.repositories.consultations import CLOSED
from surveys.results import consultation_results
from tests.consultations import open_consultation
from tests.consultations import quick_poll_document as poll_document
from tests.dialogue import Citizen
from tests.integration.consultations.test_answering import START, consenting, december  # noqa: F401
from tests.integration.consultations.test_broadcasts import CHANNEL, SimulatedTime, add_citizens

pytestmark = pytest.mark.usefixtures("december")  # votes on 3 December 2026


async def votes(db) -> list[tuple[int | None, list[str] | None, float | None]]:
    """(citizen id, choice ids, number) of every stored answer."""
    async with AsyncSession(db.engine) as session:
        statement = (
            select(
                ConsultationResponse.citizen_id,
                ConsultationAnswer.choice_values,
                ConsultationAnswer.number_value,
            )
            .join(ConsultationAnswer, ConsultationAnswer.response_id == ConsultationResponse.id)
            .order_by(ConsultationResponse.id)
        )
        return [tuple(row) for row in (await session.execute(statement)).all()]


async def sent_to(db, poll_ref: str, record_id: int, now: datetime, chat: str = "c0") -> None:
    """The channel showed the poll as `poll_ref` (what the outbox sender records)."""
    poll = SentPoll(
        channel=CHANNEL,
        poll_ref=poll_ref,
        consultation_id=record_id,
        chat_id=chat,
        message_ref="77",
        sent_at=now,
    )
    async with db.transaction() as uow:
        await uow.polls.record_sent(poll)


class PollChannel:
    """A fake channel with native polls: each poll sent gets an id, as Telegram's do."""

    def __init__(self) -> None:
        self.delivered: list[Outgoing] = []

    async def send(self, message: Outgoing, _push: object = None) -> PollShown | None:
        self.delivered.append(message)
        if message.poll is None:
            return None
        return PollShown(f"poll-{message.chat_id}", str(len(self.delivered)))


async def test_a_broadcast_sends_the_poll_and_records_each_poll_id(db):
    record_id, _ = await open_consultation(db, poll_document(), START)
    await add_citizens(db, 2)
    await add_citizens(db, 1, language="ar", script="Arab", channel_user_id="c9", chat_id="c9")
    async with db.transaction() as uow:
        queued = await broadcast_consultation(uow, CoreSettings(), "slot_poll", START)
    assert queued.queued == 3
    time = SimulatedTime()
    channel = PollChannel()
    limiter = RateLimiter(clock=time.monotonic, sleep=time.sleep)
    await OutboxSender(db, channel.send, channel=CHANNEL, limiter=limiter, clock=time).drain()

    first = channel.delivered[0]
    assert first.poll is not None
    assert first.poll.question == "Quel créneau ?"
    assert first.poll.options == ("Samedi", "Dimanche", "En semaine le soir")
    assert not first.poll.allows_multiple_answers
    assert first.text.startswith("🗳️ Atelier de Talmqalat")
    assert "Votre vote est gardé 12 mois." in first.text
    arabic = next(m for m in channel.delivered if m.chat_id == "c9")
    assert arabic.rtl  # the fr-only texts fall back, the bot's own words are Arabic
    async with db.transaction() as uow:
        for chat in ("c0", "c1", "c9"):
            assert await uow.polls.consultation_of(CHANNEL, f"poll-{chat}") == record_id
        assert await uow.polls.consultation_of(CHANNEL, "poll-other") is None


async def test_a_vote_is_stored_replaced_and_withdrawn(core, db):
    record_id, consultation = await open_consultation(db, poll_document(), START)
    citizen = await consenting(core, "amina")
    await sent_to(db, "P1", record_id, START)

    [reply] = await citizen.send_payload(PollAnswer("P1", (1,)))
    assert "votre vote est enregistré : Dimanche" in reply.text
    assert reply.text.endswith("Merci !")  # the consultation's own thanks
    assert [choices for _, choices, _ in await votes(db)] == [["sun"]]

    await citizen.send_payload(PollAnswer("P1", (0,)))
    [(citizen_id, choices, _)] = await votes(db)
    assert choices == ["sat"] and citizen_id is not None

    async with db.transaction() as uow:
        results = await consultation_results(uow, record_id, consultation)
    assert results.responses == 1
    assert {c.choice: c.count for c in results.questions[0].counts} == {
        "sat": 1,
        "sun": 0,
        "eve": 0,
    }

    [withdrawn] = await citizen.send_payload(PollAnswer("P1", ()))
    assert "Votre vote est retiré" in withdrawn.text
    assert await votes(db) == []


async def test_several_choices_and_ratings_are_stored_typed(core, db):
    several, _ = await open_consultation(db, poll_document("multiple_choice"), START)
    rating, _ = await open_consultation(db, poll_document("rating", key="rate_poll"), START)
    citizen = await consenting(core, "yassine")
    await sent_to(db, "M", several, START)
    await sent_to(db, "R", rating, START)
    [reply] = await citizen.send_payload(PollAnswer("M", (2, 0)))
    assert "Samedi, En semaine le soir" in reply.text
    await citizen.send_payload(PollAnswer("R", (3,)))
    assert [(c, n) for _, c, n in await votes(db)] == [(["sat", "eve"], None), (None, 4.0)]


async def test_without_native_polls_the_options_are_buttons_that_toggle(core, db):
    record_id, _ = await open_consultation(db, poll_document("multiple_choice"), START)
    citizen = await consenting(core, "omar")
    await citizen.presses("🗳️ Consultations")
    [shown] = await citizen.presses("🗳️ Atelier")
    assert shown.poll is not None
    assert shown.poll.option_buttons == tuple(f"p.{record_id}.{i}" for i in range(3))
    sat, _, eve = shown.poll.option_buttons

    await citizen.send_payload(ButtonPress(sat))
    [reply] = await citizen.send_payload(ButtonPress(eve))
    assert "Votre vote : Samedi, En semaine le soir" in reply.text
    assert [c for _, c, _ in await votes(db)] == [["sat", "eve"]]
    await citizen.send_payload(ButtonPress(sat))  # pressed again: taken out
    assert [c for _, c, _ in await votes(db)] == [["eve"]]

    await citizen.command("menu")
    await citizen.presses("🗳️ Consultations")
    [again] = await citizen.presses("✅ Atelier")  # voted, and may still change the vote
    assert again.poll is not None


async def test_a_single_choice_button_replaces_the_vote(core, db):
    record_id, _ = await open_consultation(db, poll_document(), START)
    citizen = await consenting(core, "sara")
    await citizen.send_payload(ButtonPress(f"p.{record_id}.0"))
    await citizen.send_payload(ButtonPress(f"p.{record_id}.2"))
    assert [c for _, c, _ in await votes(db)] == [["eve"]]


async def test_closed_unknown_and_forged_votes_are_refused_and_nothing_is_stored(core, db):
    record_id, _ = await open_consultation(db, poll_document(), START)
    closed_id, _ = await open_consultation(db, poll_document(key="old_poll"), START, status=CLOSED)
    citizen = await consenting(core, "hassan")
    await sent_to(db, "OPEN", record_id, START)
    await sent_to(db, "OLD", closed_id, START)

    [closed] = await citizen.send_payload(PollAnswer("OLD", (0,)))
    assert "Cette consultation est close" in closed.text
    [unknown] = await citizen.send_payload(PollAnswer("NEVER-SENT", (0,)))
    assert "n'existe pas" in unknown.text
    [out_of_range] = await citizen.send_payload(PollAnswer("OPEN", (7,)))
    assert out_of_range.text.startswith("Ce vote ne correspond pas au sondage")
    [two_on_one] = await citizen.send_payload(PollAnswer("OPEN", (0, 1)))  # single choice
    assert two_on_one.text.startswith("Ce vote ne correspond pas au sondage")
    for forged in (f"p.{record_id}.9", f"p.{record_id}.x", "p.999.0", "p.", f"p.{closed_id}"):
        replies = await citizen.send_payload(ButtonPress(forged))
        assert "Ce bouton" in replies[0].text, forged
    assert await votes(db) == []


async def test_a_poll_past_its_closing_date_takes_no_vote(core, db):
    record_id, _ = await open_consultation(db, poll_document(closes="2026-12-01"), START)
    citizen = await consenting(core, "nadia")
    await sent_to(db, "P", record_id, START)
    [reply] = await citizen.send_payload(PollAnswer("P", (0,)))
    assert "Cette consultation est close" in reply.text
    assert await votes(db) == []


async def test_a_voter_who_declined_consent_is_asked_for_it_first(core, db):
    record_id, _ = await open_consultation(db, poll_document(), START)
    citizen = Citizen(core, "karim")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("❌")
    await sent_to(db, "P", record_id, START)
    replies = await citizen.send_payload(PollAnswer("P", (0,)))
    assert "donnez d'abord votre accord" in replies[0].text
    assert await votes(db) == []


async def test_an_anonymous_poll_keeps_no_citizen_id_yet_one_vote_each(core, db):
    record_id, _ = await open_consultation(db, poll_document(anonymous=True), START)
    citizen = await consenting(core, "leila")
    await sent_to(db, "A", record_id, START)
    await citizen.send_payload(PollAnswer("A", (0,)))
    await citizen.send_payload(PollAnswer("A", (1,)))
    assert await votes(db) == [(None, ["sun"], None)]
    await citizen.send_payload(PollAnswer("A", ()))
    assert await votes(db) == []


async def test_a_poll_id_is_recorded_once(db):
    record_id, _ = await open_consultation(db, poll_document(), START)
    await sent_to(db, "P", record_id, START)
    await sent_to(db, "P", record_id, START + timedelta(minutes=1))  # recorded once
    async with AsyncSession(db.engine) as session:
        assert len((await session.execute(select(SentPoll))).scalars().all()) == 1


async def polls_closing(db) -> list[Outgoing]:
    async with AsyncSession(db.engine) as session:
        statement = select(OutboxMessage).where(OutboxMessage.kind == POLL_CLOSING_KIND)
        rows = (await session.execute(statement.order_by(OutboxMessage.id))).scalars()
        return [outgoing_from_dict(row.payload) for row in rows]


async def test_polls_close_in_the_chats_once_the_consultation_takes_no_more_answers(
    db, settings, clock
):
    closing, _ = await open_consultation(db, poll_document(), START)
    dated, _ = await open_consultation(db, poll_document(key="dated", closes="2026-12-02"), START)
    still_open, _ = await open_consultation(db, poll_document(key="still_open"), START)
    for poll_ref, record_id, chat in (
        ("A", closing, "c0"),
        ("B", closing, "c1"),
        ("C", dated, "c0"),
        ("D", still_open, "c0"),
    ):
        await sent_to(db, poll_ref, record_id, START, chat)
    assert await run_poll_closing(db, settings, clock) == 1  # the dated one only
    async with db.transaction() as uow:
        record = await uow.consultations.get(closing)
        await uow.consultations.set_status(record, CLOSED, START)
    assert await run_poll_closing(db, settings, clock) == 2
    assert await run_poll_closing(db, settings, clock) == 0  # each poll closed once
    assert [(m.chat_id, m.closes_poll, m.text) for m in await polls_closing(db)] == [
        ("c0", "77", ""),
        ("c0", "77", ""),
        ("c1", "77", ""),
    ]


async def test_erasing_a_citizen_forgets_where_their_polls_were(db):
    [citizen_id] = await add_citizens(db, 1)
    record_id, _ = await open_consultation(db, poll_document(), START)
    async with db.transaction() as uow:
        await uow.polls.record_sent(
            SentPoll(
                channel=CHANNEL,
                poll_ref="P",
                consultation_id=record_id,
                citizen_id=citizen_id,
                chat_id="c0",
                message_ref="5",
                sent_at=START,
            )
        )
    async with db.transaction() as uow:
        await uow.citizens.erase(citizen_id)
    async with AsyncSession(db.engine) as session:
        assert (await session.execute(select(SentPoll))).scalars().all() == []


async def test_broadcasting_a_poll_again_skips_who_voted(core, db):
    """A second broadcast (newcomers since) goes to nobody who has their say already —
    whether they voted from the first broadcast or from the list."""
    record_id, _ = await open_consultation(db, poll_document(), START)
    voter = await consenting(core, "voter")
    await voter.presses("🗳️ Consultations")
    await voter.presses("🗳️")
    await voter.send_payload(ButtonPress(f"p.{record_id}.1"))
    await consenting(core, "undecided")
    async with db.transaction() as uow:
        first = await broadcast_consultation(uow, CoreSettings(), "slot_poll", START)
    assert (first.targeted, first.queued) == (1, 1), "the voter is not invited"
    await consenting(core, "newcomer")
    async with db.transaction() as uow:
        again = await broadcast_consultation(uow, CoreSettings(), "slot_poll", START)
    assert (again.targeted, again.queued) == (2, 1), "only the newcomer is new"


async def test_reopening_a_poll_shows_the_vote_and_lets_it_be_taken_back(core, db):
    record_id, _ = await open_consultation(db, poll_document(), START)
    citizen = await consenting(core, "changes-mind")
    await citizen.presses("🗳️ Consultations")
    [poll] = await citizen.presses("🗳️")
    assert poll.poll is not None and poll.poll.withdraw_button is None, "nothing to take back"
    await citizen.send_payload(ButtonPress(f"p.{record_id}.1"))
    await citizen.command("menu")
    await citizen.presses("🗳️ Consultations")
    [again] = await citizen.presses("✅ Atelier")
    assert "Votre vote actuel : Dimanche. Votez de nouveau pour le changer." in again.text
    withdraw = again.poll.withdraw_button
    assert withdraw is not None and withdraw.label == "↩️ Retirer mon vote"
    [taken_back] = await citizen.send_payload(ButtonPress(withdraw.id))
    assert taken_back.text.startswith("Votre vote est retiré")
    assert await votes(db) == []


class StrictChannel:
    """Refuses, as Telegram does, what exceeds its limits (429 with retry_after): more than
    30 messages in any second, or two to one chat within a second. Polls get ids."""

    def __init__(self, time: SimulatedTime) -> None:
        self.time = time
        self.sent: list[tuple[float, Outgoing]] = []
        self.refused = 0

    async def send(self, part: Outgoing, _push: object = None) -> PollShown | None:
        now = self.time.seconds
        in_last_second = [at for at, _ in self.sent if at > now - 1.0]
        to_chat = [at for at, m in self.sent if m.chat_id == part.chat_id and at > now - 1.0]
        if len(in_last_second) >= 30 or to_chat:
            self.refused += 1
            raise RetryLater(1)
        self.sent.append((now, part))
        return PollShown(f"poll-{part.chat_id}", str(len(self.sent))) if part.poll else None


async def test_a_poll_broadcast_keeps_within_the_limits_and_never_repeats_a_part(db):
    """Each citizen gets the intro, then the poll a second later: no refusal, no intro
    twice (bench/broadcast.py measures the pace against the same kind of channel)."""
    await open_consultation(db, poll_document(), START)
    await add_citizens(db, 100)
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "slot_poll", START)
    time = SimulatedTime()
    channel = StrictChannel(time)
    limiter = RateLimiter(clock=time.monotonic, sleep=time.sleep)
    telegram = TelegramSender(calls=None)  # only its parts are used: a text, then the poll
    sender = OutboxSender(db, channel.send, channel=CHANNEL, parts=telegram.parts,
                          limiter=limiter, clock=time)  # fmt: skip
    await sender.drain()
    assert channel.refused == 0
    by_chat: dict[str, list[Outgoing]] = {}
    for _, part in channel.sent:
        by_chat.setdefault(part.chat_id, []).append(part)
    assert len(by_chat) == 100
    assert all([p.poll is None for p in parts] == [True, False] for parts in by_chat.values())
    async with db.transaction() as uow:
        assert await uow.polls.consultation_of(CHANNEL, "poll-c7") is not None


async def test_a_refused_poll_is_sent_again_without_its_intro(db):
    await open_consultation(db, poll_document(), START)
    await add_citizens(db, 1)
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "slot_poll", START)
    time = SimulatedTime()
    channel = StrictChannel(time)
    limiter = RateLimiter(chat_interval=0.0, clock=time.monotonic, sleep=time.sleep)  # too fast
    telegram = TelegramSender(calls=None)
    sender = OutboxSender(db, channel.send, channel=CHANNEL, parts=telegram.parts,
                          limiter=limiter, clock=time)  # fmt: skip
    await sender.drain()
    assert channel.refused == 1 and [p.poll is None for _, p in channel.sent] == [True]
    await time.sleep(1)
    await sender.drain()
    assert [p.poll is None for _, p in channel.sent] == [True, False], "the poll, alone"
