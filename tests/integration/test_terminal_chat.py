"""The terminal chat on both databases: it sends what the person types through the core
and shows the pushes queued for them, and only for them."""

from __future__ import annotations

import io

from bot.terminal.chat import CHANNEL, TerminalChat
from handlers.consultations.quick_polls import poll_message
from handlers.serialization import outgoing_to_dict
from handlers.types import Outgoing
from tests.consultations import open_consultation, quick_poll_document, small_document
from tests.integration.test_cli import tachawor


async def queue_push(db, clock, chat_id: str, text: str) -> None:
    async with db.transaction() as uow:
        await uow.outbox.add(
            channel=CHANNEL,
            chat_id=chat_id,
            kind="push",
            payload=outgoing_to_dict(Outgoing(chat_id, text)),
            now=clock.now(),
        )


async def test_pushes_are_shown_to_their_person_only(core, db, clock):
    screen = io.StringIO()
    chat = TerminalChat(core, "amina", out=screen)
    await chat.send("Bonjour")
    await queue_push(db, clock, "amina", "Votre réclamation a été prise en charge.")
    await queue_push(db, clock, "amina", "Elle est en cours de traitement.")
    await queue_push(db, clock, "youssef", "Pas pour Amina.")
    assert await chat.show_pushes() == 2
    shown = screen.getvalue()
    assert shown.index("prise en charge") < shown.index("en cours de traitement")
    assert "Pas pour Amina" not in shown
    assert await chat.show_pushes() == 0, "each push is shown once"


async def test_a_wrong_attachment_path_is_explained_and_nothing_is_sent(core, db):
    screen = io.StringIO()
    chat = TerminalChat(core, "amina", out=screen)
    assert await chat.send(":photo /no/such/file.jpg") == []
    assert "no file at" in screen.getvalue()


async def test_a_shared_place_reaches_the_core(core, db):
    chat = TerminalChat(core, "amina", out=io.StringIO())
    [greeting] = await chat.send(":location 30.47 -8.87")
    assert "Bonjour et bienvenue" in greeting.text


async def test_a_quick_poll_shows_as_numbered_buttons_and_a_number_votes(core, db, clock):
    record_id, consultation = await open_consultation(db, quick_poll_document(), clock.now())
    screen = io.StringIO()
    chat = TerminalChat(core, "amina", out=screen)
    for line in ("Bonjour", "1", "1"):  # French, then consent
        await chat.send(line)
    async with db.transaction() as uow:
        poll = poll_message("amina", "fr", record_id, consultation)
        await uow.outbox.add(
            channel=CHANNEL,
            chat_id="amina",
            kind="broadcast",
            payload=outgoing_to_dict(poll),
            now=clock.now(),
        )
    await chat.show_pushes()
    shown = screen.getvalue()
    assert "Quel créneau ?" in shown
    number = shown.rsplit("] Dimanche", 1)[0].rsplit("[", 1)[1]
    [reply] = await chat.send(number)
    assert "votre vote est enregistré : Dimanche" in reply.text


def number_of(screen: io.StringIO, label: str) -> str:
    """The number the chat last showed for the button starting with `label`."""
    return screen.getvalue().rsplit(f"] {label}", 1)[0].rsplit("[", 1)[1]


async def test_a_quick_poll_reopened_shows_the_vote_and_takes_it_back(core, db, clock):
    await open_consultation(db, quick_poll_document(), clock.now())
    screen = io.StringIO()
    chat = TerminalChat(core, "amina", out=screen)
    for line in ("Bonjour", "1", "1"):  # French, then consent
        await chat.send(line)
    await chat.send(number_of(screen, "🗳️ Consultations"))
    await chat.send(number_of(screen, "🗳️ Atelier"))
    await chat.send(number_of(screen, "Dimanche"))
    await chat.send("/menu")
    await chat.send(number_of(screen, "🗳️ Consultations"))
    await chat.send(number_of(screen, "✅ Atelier"))
    assert "Votre vote actuel : Dimanche" in screen.getvalue()
    [taken_back] = await chat.send(number_of(screen, "↩️ Retirer mon vote"))
    assert taken_back.text.startswith("Votre vote est retiré")


async def test_at_a_number_question_a_typed_number_is_the_answer(core, db, clock):
    """Typing 3 (minutes) is the answer, not button [3]; buttons take a # there."""
    questions = [
        {"key": "minutes", "type": "number", "required": False, "label": {"fr": "Combien ?"}},
        {"key": "score", "type": "rating", "label": {"fr": "Votre note ?"}},
    ]
    await open_consultation(db, small_document(questions=questions), clock.now())
    screen = io.StringIO()
    chat = TerminalChat(core, "amina", out=screen)
    for line in ("Bonjour", "1", "1"):  # French, then consent
        await chat.send(line)
    await chat.send(number_of(screen, "🗳️ Consultations"))
    await chat.send(number_of(screen, "🗳️ Petite"))
    await chat.send(number_of(screen, "▶️"))
    assert "#1, #2… appuient sur les boutons" in screen.getvalue()
    [after] = await chat.send("3")
    assert "Votre note ?" in after.text, "3 answered the question"
    await chat.send("#" + number_of(screen, "⬅️"))  # Back, pressed with the mark
    [again] = await chat.send("25")
    assert "Votre note ?" in again.text
    await chat.send("4")  # a rating's buttons are numbers as ever
    review = screen.getvalue().rsplit("Vérifiez vos réponses", 1)[1]
    assert "25" in review and "4" in review


def test_the_chat_introduces_itself_in_the_default_language(tmp_path):
    """Its first lines follow DEFAULT_LANGUAGE, like the staff CLI."""
    result = tachawor("chat", "--user", "hint", cwd=tmp_path, env={"DEFAULT_LANGUAGE": "ar"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Tachawor — اكتبوا رسالة")
    assert "type a message" not in result.stdout
