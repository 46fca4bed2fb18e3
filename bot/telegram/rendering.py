"""`Outgoing` → Bot API calls (method name + params), within Telegram's limits.

A message becomes one or more *pieces*, each an `Outgoing` that renders to exactly one call:
a long text is split on paragraph, line or sentence boundaries, and the buttons go on the
last piece. A piece is also what goes to the outbox when sending it failed, so nothing that
was already delivered is sent twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from handlers.languages import translate
from handlers.types import Button, Outgoing

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
COMMANDS = ("start", "menu", "lang", "help", "privacy", "cancel")
NO_CAPTION = frozenset({"sticker"})
MEDIA_METHODS = {
    "photo": "sendPhoto",
    "voice": "sendVoice",
    "audio": "sendAudio",
    "video": "sendVideo",
    "document": "sendDocument",
    "sticker": "sendSticker",
    "animation": "sendAnimation",
}
# Best cut first; a boundary is used only when it keeps at least half of the window, so a
# text is never cut into slivers. Arabic uses "؟" and "۔" as well as Latin punctuation.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?؟۔…])\s+"),
    re.compile(r"\s+"),
)


class InvalidMessage(ValueError):
    """The core produced a message Telegram would refuse (a bug in the core)."""


@dataclass(frozen=True, slots=True)
class ApiCall:
    method: str
    params: dict[str, Any]


def render(message: Outgoing) -> list[ApiCall]:
    """The Bot API calls that show `message`, in order."""
    return [render_piece(piece) for piece in pieces(message)]


def pieces(message: Outgoing) -> list[Outgoing]:
    """`message` cut into parts that each fit one Bot API call; buttons on the last one."""
    if message.closes_poll is not None:
        return [message]
    parts: list[Outgoing] = []
    text = message.text
    if message.media is not None:
        fits = message.media.kind not in NO_CAPTION and _units(text) <= MAX_CAPTION
        parts.append(replace(message, text=text if fits else "", location=None, poll=None))
        text = "" if fits else text
    parts += [
        replace(message, text=chunk, media=None, location=None, poll=None)
        for chunk in split_text(text)
    ]
    if message.location is not None:
        parts.append(replace(message, text="", media=None, poll=None))
    if message.poll is not None:
        parts.append(replace(message, text="", media=None, location=None))
    if not parts and message.buttons:
        raise InvalidMessage("buttons need a message to hang on")
    keyboard_free = [replace(part, buttons=()) for part in parts[:-1]]
    return [*keyboard_free, *parts[-1:]]


def render_piece(piece: Outgoing) -> ApiCall:
    """The one call that shows a piece made by `pieces`."""
    params: dict[str, Any] = {"chat_id": piece.chat_id}
    if piece.closes_poll is not None:
        return ApiCall("stopPoll", params | {"message_id": int(piece.closes_poll)})
    if piece.buttons:
        params["reply_markup"] = inline_keyboard(piece.buttons)
    if piece.media is not None:
        if piece.text:
            params["caption"] = piece.text
        params[piece.media.kind] = piece.media.file_ref
        return ApiCall(MEDIA_METHODS[piece.media.kind], params)
    if piece.location is not None:
        spot = {"latitude": piece.location.latitude, "longitude": piece.location.longitude}
        return ApiCall("sendLocation", params | spot)
    if piece.poll is not None:
        return ApiCall("sendPoll", params | _poll(piece))
    if not piece.text.strip():
        raise InvalidMessage("a message needs a text, a file, a location or a poll")
    return ApiCall("sendMessage", params | {"text": piece.text})


def _poll(piece: Outgoing) -> dict[str, Any]:
    """sendPoll parameters; not anonymous, or Telegram would not send us the answers."""
    assert piece.poll is not None
    return {
        "question": piece.poll.question,
        "options": [{"text": option} for option in piece.poll.options],
        "is_anonymous": False,
        "allows_multiple_answers": piece.poll.allows_multiple_answers,
    }


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in parts of at most `limit` characters, cut on the best boundary available."""
    parts: list[str] = []
    rest = text.strip()
    while _units(rest) > limit:
        window = _prefix_within(rest, limit)
        cut_start, cut_end = _best_cut(rest, window)
        parts.append(rest[:cut_start].rstrip())
        rest = rest[cut_end:].lstrip()
    return [part for part in [*parts, rest] if part.strip()]


def _best_cut(text: str, window: int) -> tuple[int, int]:
    """Where to cut `text` within its first `window` characters: (end of part, next start)."""
    for boundary in _BOUNDARIES:
        cuts = [m for m in boundary.finditer(text, 0, window + 1) if m.start() >= window // 2]
        if cuts:
            return cuts[-1].start(), cuts[-1].end()
    return window, window


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _prefix_within(text: str, limit: int) -> int:
    """The longest prefix (in characters) of `text` that fits in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def inline_keyboard(rows: tuple[tuple[Button, ...], ...]) -> dict[str, Any]:
    """An inline keyboard; long rows wrap at 8, bad ids or too many buttons are refused."""
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_BUTTONS:
        raise InvalidMessage(f"{len(buttons)} buttons: Telegram shows at most {MAX_BUTTONS}")
    for button in buttons:
        size = len(button.id.encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES or not button.label.strip():
            raise InvalidMessage(f"button {button.id!r}: id of {size} bytes or empty label")
    wrapped = [
        row[i : i + MAX_BUTTONS_PER_ROW]
        for row in rows
        for i in range(0, len(row), MAX_BUTTONS_PER_ROW)
    ]
    return {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.id} for b in row] for row in wrapped if row
        ]
    }


def commands_for(locale: str) -> list[dict[str, str]]:
    """The command menu (setMyCommands `commands`) in one locale, from the catalogs."""
    return [
        {"command": name, "description": translate(locale, f"command.{name}")} for name in COMMANDS
    ]


def command_menus() -> list[tuple[str | None, list[dict[str, str]]]]:
    """(Telegram language_code, commands) pairs to register at start.

    Telegram picks the list by the *app's interface* language (ISO 639-1). Darija (`ary`)
    and Tachelhit (`shi`) have no such code and no Telegram interface, so their speakers
    run a French or Arabic app (or another one): the default list (no language_code) is
    French, the list for "ar" is Arabic.
    """
    return [(None, commands_for("fr")), ("ar", commands_for("ar"))]
