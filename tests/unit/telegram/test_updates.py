"""Telegram update dicts → `Incoming`: realistic updates, and the same result whether the
dict came from python-telegram-bot's `to_dict()` or aiogram's `model_dump()`."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from aiogram.types import Update as AiogramUpdate
from telegram import Update as PtbUpdate

from bot.telegram.updates import CallbackRef, callback_of, parse_update
from handlers.types import (
    ButtonPress,
    Command,
    Incoming,
    Location,
    Media,
    PollAnswer,
    Reachability,
    Text,
)

BOT = "tachawor_bot"
AMINA = {"id": 7001, "is_bot": False, "first_name": "Amina", "language_code": "fr"}
PRIVATE = {"id": 7001, "type": "private", "first_name": "Amina"}
GROUP = {"id": -100200300, "type": "supergroup", "title": "Quartier Lkasba"}


def message_update(update_id: int = 900001, chat: dict[str, Any] = PRIVATE, **content: Any) -> dict:
    message = {"message_id": 12, "from": AMINA, "chat": chat, "date": 1767600000, **content}
    return {"update_id": update_id, "message": message}


def file(file_id: str, **extra: Any) -> dict[str, Any]:
    return {"file_id": file_id, "file_unique_id": "u-" + file_id, **extra}


def parsed(update: dict[str, Any]) -> Incoming | None:
    return parse_update(update, BOT)


def test_a_private_text() -> None:
    incoming = parsed(message_update(text="salam, bghit n9dm chikaya"))
    assert incoming == Incoming(
        "telegram", "7001", "7001", "900001", Text("salam, bghit n9dm chikaya"), "fr"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", Command("start")),
        ("/START@Tachawor_Bot", Command("start")),
        ("/start ref_affiche-souk", Command("start", "ref_affiche-souk")),
        ("/Lang@tachawor_bot  ar ", Command("lang", "ar")),
        ("/help\nplease", Command("help", "please")),
        ("/ not a command", Text("/ not a command")),
        ("1/2 kilo", Text("1/2 kilo")),
    ],
)
def test_commands(text: str, expected: object) -> None:
    incoming = parsed(message_update(text=text))
    assert incoming is not None and incoming.payload == expected


def test_a_command_for_another_bot_is_ignored() -> None:
    assert parsed(message_update(text="/start@other_bot")) is None


def test_group_chatter_is_ignored_but_commands_are_not() -> None:
    assert parsed(message_update(chat=GROUP, text="wach kayn chi jdid?")) is None
    assert parsed(message_update(chat=GROUP, photo=[file("p1", width=90, height=90)])) is None
    incoming = parsed(message_update(chat=GROUP, text="/help@tachawor_bot"))
    assert incoming is not None and incoming.chat_id == "-100200300"
    assert incoming.user_id == "7001" and incoming.payload == Command("help")


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "edited_message": message_update(text="x")["message"]},
        {"update_id": 2, "channel_post": {"message_id": 1, "chat": GROUP, "date": 0, "text": "x"}},
        {"update_id": 3, "poll": {"id": "p", "question": "q", "options": []}},
        {"update_id": 4},
        message_update(contact={"phone_number": "+212600000000", "first_name": "A"}),
    ],
    ids=["edited", "channel post", "poll", "empty", "contact"],
)
def test_updates_the_bot_ignores(update: dict[str, Any]) -> None:
    assert parsed(update) is None


def test_a_message_from_a_bot_is_ignored() -> None:
    update = message_update(text="hello")
    update["message"]["from"] = {"id": 99, "is_bot": True, "first_name": "Spam"}
    assert parsed(update) is None


def test_a_photo_gives_the_largest_size_and_the_caption() -> None:
    sizes = [
        file("small", width=90, height=68, file_size=1200),
        file("large", width=1280, height=960, file_size=98000),
        file("medium", width=320, height=240, file_size=14000),
    ]
    incoming = parsed(message_update(photo=sizes, caption="Lwad 3amer zbel"))
    assert incoming is not None
    assert incoming.payload == Media("photo", "large", "image/jpeg", 98000, None, "Lwad 3amer zbel")


@pytest.mark.parametrize(
    ("field", "item", "expected"),
    [
        ("voice", file("v1", duration=4, mime_type="audio/ogg", file_size=9000),
         Media("voice", "v1", "audio/ogg", 9000)),
        ("audio", file("a1", duration=90, mime_type="audio/mpeg", file_name="khotba.mp3"),
         Media("audio", "a1", "audio/mpeg", None, "khotba.mp3")),
        ("video", file("m1", width=640, height=360, duration=12, mime_type="video/mp4"),
         Media("video", "m1", "video/mp4")),
        ("document", file("d1", file_name="plan.pdf", mime_type="application/pdf", file_size=5),
         Media("document", "d1", "application/pdf", 5, "plan.pdf")),
        ("sticker", file("s1", type="regular", width=512, height=512, is_animated=False,
                         is_video=False, emoji="👍"),
         Media("sticker", "s1")),
    ],
)  # fmt: skip
def test_media(field: str, item: dict[str, Any], expected: Media) -> None:
    incoming = parsed(message_update(**{field: item}))
    assert incoming is not None and incoming.payload == expected


def test_an_animation_is_not_taken_for_its_document_copy() -> None:
    gif = file("g1", width=200, height=200, duration=2, mime_type="video/mp4")
    incoming = parsed(message_update(animation=gif, document=file("g1", mime_type="video/mp4")))
    assert incoming is not None and incoming.payload == Media("animation", "g1", "video/mp4")


def test_a_location_and_a_venue() -> None:
    spot = {"latitude": 30.4703, "longitude": -8.8770}
    incoming = parsed(message_update(location=spot))
    assert incoming is not None and incoming.payload == Location(30.4703, -8.877)
    venue = {"location": spot, "title": "Bab Zorgane", "address": "Taroudant"}
    incoming = parsed(message_update(venue=venue, location=spot))
    assert incoming is not None and incoming.payload == Location(30.4703, -8.877)


def button_update(data: str | None = "3.accept", with_message: bool = True) -> dict[str, Any]:
    query: dict[str, Any] = {"id": "4410001", "from": AMINA, "chat_instance": "-99"}
    if data is not None:
        query["data"] = data
    if with_message:
        query["message"] = {
            "message_id": 31,
            "from": {"id": 1, "is_bot": True, "first_name": "Tachawor"},
            "chat": PRIVATE,
            "date": 1767600000,
            "text": "Acceptez-vous ?",
        }
    return {"update_id": 900002, "callback_query": query}


def test_a_pressed_button() -> None:
    update = button_update()
    incoming = parsed(update)
    assert incoming is not None and incoming.payload == ButtonPress("3.accept")
    assert incoming.chat_id == "7001" and incoming.language_hint == "fr"
    assert callback_of(update) == CallbackRef("4410001", "7001", 31)


def test_a_button_without_data_or_message_is_only_acknowledged() -> None:
    assert parsed(button_update(data=None)) is None
    assert parsed(button_update(with_message=False)) is None
    assert callback_of(button_update(with_message=False)) == CallbackRef("4410001", None, None)
    assert callback_of(message_update(text="x")) is None


def test_a_poll_answer_and_a_withdrawn_vote() -> None:
    answer = {"poll_id": "5000000001", "user": AMINA, "option_ids": [0, 2]}
    incoming = parsed({"update_id": 900003, "poll_answer": answer})
    assert incoming is not None and incoming.payload == PollAnswer("5000000001", (0, 2))
    assert incoming.chat_id == "7001"
    withdrawn = parsed({"update_id": 900004, "poll_answer": {**answer, "option_ids": []}})
    assert withdrawn is not None and withdrawn.payload == PollAnswer("5000000001", ())
    without_options = {"poll_id": "5000000001", "user": AMINA}  # as python-telegram-bot hands it
    dropped = parsed({"update_id": 900006, "poll_answer": without_options})
    assert dropped is not None and dropped.payload == PollAnswer("5000000001", ())
    on_behalf = {"poll_id": "5000000001", "voter_chat": GROUP, "option_ids": [1]}
    assert parsed({"update_id": 900005, "poll_answer": on_behalf}) is None


def member_update(new: str, chat: dict[str, Any] = PRIVATE) -> dict[str, Any]:
    bot = {"id": 1, "is_bot": True, "first_name": "Tachawor"}
    old = "kicked" if new == "member" else "member"
    member: dict[str, Any] = {"status": new, "user": bot}
    if new == "kicked":
        member["until_date"] = 0
    change = {
        "chat": chat,
        "from": AMINA,
        "date": 1767600000,
        "old_chat_member": {"status": old, "user": bot},
        "new_chat_member": member,
    }
    return {"update_id": 900006, "my_chat_member": change}


def test_blocking_and_unblocking_in_a_private_chat() -> None:
    blocked = parsed(member_update("kicked"))
    assert blocked is not None and blocked.payload == Reachability(False)
    back = parsed(member_update("member"))
    assert back is not None and back.payload == Reachability(True)
    assert parsed(member_update("kicked", chat=GROUP)) is None
    assert parsed(member_update("administrator")) is None


REALISTIC = [
    message_update(text="Bonjour"),
    message_update(text="/start@tachawor_bot ref"),
    message_update(photo=[file("a", width=1, height=1), file("b", width=9, height=9)]),
    message_update(document=file("d", file_name="x.pdf", mime_type="application/pdf")),
    message_update(location={"latitude": 30.47, "longitude": -8.87}),
    button_update(),
    {
        "update_id": 7,
        "poll_answer": {
            "poll_id": "p",
            "user": AMINA,
            "option_ids": [1],
            "option_persistent_ids": ["opt2"],  # Bot API 9.6; PTB 22.8 requires it
        },
    },
    member_update("kicked"),
]


@pytest.mark.parametrize("update", REALISTIC)
def test_ptb_and_aiogram_dicts_parse_the_same(update: dict[str, Any]) -> None:
    """The adapters hand over `to_dict()` (PTB) and `model_dump(...)` (aiogram)."""
    ptb = PtbUpdate.de_json(copy.deepcopy(update), None).to_dict()  # type: ignore[arg-type]
    aiogram = AiogramUpdate.model_validate(copy.deepcopy(update)).model_dump(
        mode="json", exclude_none=True, by_alias=True
    )
    expected = parsed(update)
    assert expected is not None
    assert parsed(ptb) == expected
    assert parsed(aiogram) == expected
