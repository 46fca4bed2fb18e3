"""Telegram updates (the JSON dicts Telegram sends) → the core's `Incoming`, for both adapters.

PTB hands us `update.to_dict()` and aiogram `update.model_dump(mode="json", exclude_none=True,
by_alias=True)`: one parser, so both frameworks behave the same by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from handlers.types import (
    ButtonPress,
    Command,
    Incoming,
    Location,
    Media,
    MediaKind,
    Payload,
    PollAnswer,
    Reachability,
    Text,
)

CHANNEL = "telegram"
ALLOWED_UPDATES = ("message", "callback_query", "poll_answer", "my_chat_member")

Update = Mapping[str, Any]
Message = Mapping[str, Any]

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.DOTALL)
# `animation` messages carry a `document` too (backward compatibility): test it first.
_MEDIA_FIELDS: tuple[tuple[str, MediaKind], ...] = (
    ("animation", "animation"),
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
    ("document", "document"),
)
_REACHABLE = {"member": True, "kicked": False}


@dataclass(frozen=True, slots=True)
class CallbackRef:
    """What an adapter needs to answer a pressed button and clear its keyboard."""

    query_id: str
    chat_id: str | None
    message_id: int | None


def parse_update(update: Update, bot_username: str | None = None) -> Incoming | None:
    """The update as the core's `Incoming`; None for updates the bot ignores."""
    for kind, parse in _PARSERS.items():
        if kind in update:
            return parse(update, update[kind], bot_username)
    return None


def callback_of(update: Update) -> CallbackRef | None:
    """The pressed button's query and message, when the update is a button press."""
    query = update.get("callback_query")
    if not query:
        return None
    message = query.get("message") or {}
    chat_id = (message.get("chat") or {}).get("id")
    return CallbackRef(
        str(query["id"]),
        str(chat_id) if chat_id is not None else None,
        message.get("message_id"),
    )


def _message(update: Update, message: Message, bot_username: str | None) -> Incoming | None:
    """A message: everything in a private chat, only commands to this bot in a group."""
    sender = message.get("from") or {}
    if not sender or sender.get("is_bot"):
        return None
    payload = _message_payload(message, bot_username)
    private = (message.get("chat") or {}).get("type") == "private"
    if payload is None or (not private and not isinstance(payload, Command)):
        return None
    return _incoming(update, sender, message["chat"]["id"], payload)


def _message_payload(message: Message, bot_username: str | None) -> Payload | None:
    """The payload of a message, or None when it carries nothing the core understands."""
    text = message.get("text")
    if text is not None:
        return _text_or_command(text, bot_username)
    spot = message.get("location") or (message.get("venue") or {}).get("location")
    if spot:
        return Location(float(spot["latitude"]), float(spot["longitude"]))
    return _media(message)


def _text_or_command(text: str, bot_username: str | None) -> Command | Text | None:
    """`/cmd@bot args` → Command (None when addressed to another bot); else Text."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return Text(text)
    name, addressee, args = match.groups()
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None
    return Command(name.lower(), (args or "").strip())


def _media(message: Message) -> Media | None:
    """The file of a media message: the largest photo size, or the one media object."""
    caption = message.get("caption")
    photos = message.get("photo")
    if photos:
        largest = max(photos, key=lambda p: (p.get("width", 0) * p.get("height", 0), _size(p)))
        return Media("photo", largest["file_id"], "image/jpeg", _size(largest), None, caption)
    for field, kind in _MEDIA_FIELDS:
        item = message.get(field)
        if item:
            return Media(
                kind,
                item["file_id"],
                item.get("mime_type"),
                _size(item),
                item.get("file_name"),
                caption,
            )
    return None


def _size(item: Mapping[str, Any]) -> int | None:
    """A file's size in bytes, when Telegram gave it."""
    size = item.get("file_size")
    return int(size) if size is not None else None


def _callback(update: Update, query: Mapping[str, Any], _bot: str | None) -> Incoming | None:
    """A pressed inline button (its message may be gone: then its chat is unknown)."""
    data = query.get("data")
    chat = ((query.get("message") or {}).get("chat")) or {}
    if not data or "id" not in chat:
        return None
    return _incoming(update, query["from"], chat["id"], ButtonPress(data))


def _poll_answer(update: Update, answer: Mapping[str, Any], _bot: str | None) -> Incoming | None:
    """A citizen's vote in a (non-anonymous) poll the bot sent; empty when withdrawn."""
    user = answer.get("user")
    if not user:
        return None  # voted on behalf of a chat: not a citizen
    # A withdrawn vote has no options; python-telegram-bot leaves the empty list out.
    options = answer.get("option_ids") or ()
    payload = PollAnswer(str(answer["poll_id"]), tuple(int(i) for i in options))
    return _incoming(update, user, user["id"], payload)


def _chat_member(update: Update, change: Mapping[str, Any], _bot: str | None) -> Incoming | None:
    """The citizen blocked (kicked) or unblocked (member) the bot in their private chat."""
    if (change.get("chat") or {}).get("type") != "private":
        return None
    reachable = _REACHABLE.get((change.get("new_chat_member") or {}).get("status", ""))
    if reachable is None:
        return None
    return _incoming(update, change["from"], change["chat"]["id"], Reachability(reachable))


def _incoming(update: Update, user: Mapping[str, Any], chat_id: Any, payload: Payload) -> Incoming:
    """The `Incoming` of a Telegram user in a chat (ids as strings)."""
    return Incoming(
        channel=CHANNEL,
        user_id=str(user["id"]),
        chat_id=str(chat_id),
        update_id=str(update["update_id"]),
        payload=payload,
        language_hint=user.get("language_code"),
    )


_PARSERS: dict[str, Callable[[Update, Any, str | None], Incoming | None]] = {
    "message": _message,
    "callback_query": _callback,
    "poll_answer": _poll_answer,
    "my_chat_member": _chat_member,
}
