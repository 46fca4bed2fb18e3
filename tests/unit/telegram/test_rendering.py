"""`Outgoing` → Bot API calls: long texts cut on boundaries, keyboards within limits."""

from __future__ import annotations

import re

import pytest

from bot.telegram.rendering import (
    MAX_TEXT,
    ApiCall,
    InvalidMessage,
    command_menus,
    commands_for,
    inline_keyboard,
    pieces,
    render,
    split_text,
)
from handlers.languages.catalogs import translate
from handlers.types import Button, Location, Outgoing, OutgoingMedia, PollRequest

SENTENCE = "La commune lance une consultation sur l'aménagement du souk hebdomadaire. "


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def words(text: str) -> list[str]:
    return text.split()


def test_a_10000_character_text_is_cut_on_paragraphs() -> None:
    paragraphs = [f"§{n} " + SENTENCE * 6 for n in range(24)]
    text = "\n\n".join(paragraphs)
    assert 10_000 < len(text) < 11_000
    parts = split_text(text)
    assert len(parts) == 3 and all(len(p) <= MAX_TEXT for p in parts)
    assert all(p.startswith("§") and p.endswith(".") for p in parts)
    assert words(" ".join(parts)) == words(text)  # nothing lost but the blank at each cut


def test_without_paragraphs_lines_then_sentences_then_words() -> None:
    lines = "\n".join(SENTENCE.strip() for _ in range(140))
    assert all(p.endswith(".") for p in split_text(lines))
    sentences = SENTENCE * 140  # one long paragraph
    parts = split_text(sentences)
    assert all(len(p) <= MAX_TEXT and p.endswith(".") for p in parts)
    assert words(" ".join(parts)) == words(sentences)
    plain = "kalima " * 1500
    assert all(p.endswith("kalima") for p in split_text(plain))


def test_arabic_sentences_end_with_arabic_punctuation() -> None:
    text = "هل توافقون على توسيع السوق الأسبوعي؟ " * 200
    parts = split_text(text)
    assert len(parts) == 2 and all(p.endswith("؟") for p in parts)


def test_a_text_without_any_boundary_is_cut_hard() -> None:
    parts = split_text("x" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_emoji_count_twice_as_telegram_counts_utf16() -> None:
    parts = split_text("👍" * 3000)
    assert all(utf16_length(p) <= MAX_TEXT for p in parts)
    assert "".join(parts) == "👍" * 3000


def test_short_and_empty_texts() -> None:
    assert split_text("Salam") == ["Salam"]
    assert split_text("  \n ") == []


def test_buttons_go_on_the_last_part_only() -> None:
    keyboard = ((Button("4.ok", "✅ Mwafe9"), Button("4.no", "❌ La")),)
    calls = render(Outgoing("7001", SENTENCE * 80, keyboard))
    assert [c.method for c in calls] == ["sendMessage"] * 2
    assert "reply_markup" not in calls[0].params
    assert calls[1].params["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "✅ Mwafe9", "callback_data": "4.ok"},
                {"text": "❌ La", "callback_data": "4.no"},
            ]
        ]
    }


def test_callback_data_is_limited_to_64_bytes() -> None:
    inline_keyboard(((Button("x" * 64, "ok"),),))
    with pytest.raises(InvalidMessage):
        inline_keyboard(((Button("ا" * 32 + "x", "ok"),),))  # 33 characters, 65 bytes
    with pytest.raises(InvalidMessage):
        inline_keyboard(((Button("", "ok"),),))


def test_long_rows_wrap_at_eight_and_100_buttons_is_the_most() -> None:
    row = tuple(Button(f"1.q{n}", str(n)) for n in range(11))
    assert [len(r) for r in inline_keyboard((row,))["inline_keyboard"]] == [8, 3]
    hundred = tuple((Button(f"1.{n}", str(n)),) for n in range(100))
    assert len(inline_keyboard(hundred)["inline_keyboard"]) == 100
    with pytest.raises(InvalidMessage):
        inline_keyboard((*hundred, (Button("1.x", "x"),)))


def test_a_photo_with_its_caption_or_followed_by_a_long_text() -> None:
    photo = OutgoingMedia("photo", "AgAD-plan")
    [call] = render(Outgoing("7001", "Plan du projet", media=photo))
    assert call == ApiCall(
        "sendPhoto", {"chat_id": "7001", "caption": "Plan du projet", "photo": "AgAD-plan"}
    )
    calls = render(Outgoing("7001", SENTENCE * 20, media=photo))
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
    assert "caption" not in calls[0].params


def test_a_sticker_never_has_a_caption() -> None:
    calls = render(Outgoing("7001", "Shukran", media=OutgoingMedia("sticker", "CAAC")))
    assert [c.method for c in calls] == ["sendSticker", "sendMessage"]


def test_a_location_and_a_poll() -> None:
    poll = PollRequest("Quel jour pour le souk ?", ("Lundi", "Jeudi"))
    keyboard = ((Button("2.menu", "Menu"),),)
    message = Outgoing("7001", "Votez :", keyboard, location=Location(30.47, -8.87), poll=poll)
    calls = render(message)
    assert [c.method for c in calls] == ["sendMessage", "sendLocation", "sendPoll"]
    assert calls[1].params == {"chat_id": "7001", "latitude": 30.47, "longitude": -8.87}
    assert calls[2].params["is_anonymous"] is False  # else no poll_answer updates
    assert calls[2].params["options"] == [{"text": "Lundi"}, {"text": "Jeudi"}]
    assert "reply_markup" in calls[2].params and "reply_markup" not in calls[0].params


def test_closing_a_poll_is_one_stop_poll_call() -> None:
    calls = render(Outgoing("7001", "", closes_poll="901"))
    assert [(c.method, c.params) for c in calls] == [
        ("stopPoll", {"chat_id": "7001", "message_id": 901})
    ]


def test_each_piece_is_one_call_so_the_rest_can_be_queued() -> None:
    message = Outgoing("7001", SENTENCE * 80, location=Location(30.47, -8.87))
    parts = pieces(message)
    assert [len(render(part)) for part in parts] == [1, 1, 1]


def test_a_message_with_nothing_to_show_is_refused() -> None:
    assert render(Outgoing("7001", "  ")) == []
    with pytest.raises(InvalidMessage):
        render(Outgoing("7001", " ", ((Button("1.x", "x"),),)))


def test_command_menus_come_from_the_catalogs() -> None:
    french = commands_for("fr")
    assert [c["command"] for c in french] == ["start", "menu", "lang", "help", "privacy", "cancel"]
    assert french[0]["description"] == translate("fr", "command.start")
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) for c in french)
    menus = dict(command_menus())
    assert menus[None] == french and menus["ar"] == commands_for("ar")
    assert set(menus) == {None, "ar"}  # Darija and Tachelhit have no Telegram language code
