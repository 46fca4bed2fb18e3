"""The core's `Outgoing` as WhatsApp Cloud API messages, within WhatsApp's limits:

- up to 3 buttons: reply buttons (titles of 20 characters at most);
- 4 to 10: a list message (rows of 24, the menu button 20), one section;
- more: a numbered list in the text, answered by typing the number (the channel keeps the
  list's button ids with the conversation: `typed_choice`);
- a label too long for its title is shortened, and the full labels are added to the body;
- texts are split at 4,096 characters (1,024 for a body with buttons), at a line if any;
- a quick poll (no native polls on WhatsApp) is its option buttons, rendered the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.types import Button, Outgoing

TEXT_LIMIT = 4096
BUTTON_BODY_LIMIT = 1024
LIST_BODY_LIMIT = 4096
MAX_REPLY_BUTTONS, BUTTON_TITLE = 3, 20
MAX_LIST_ROWS, ROW_TITLE, ROW_DESCRIPTION, MENU_BUTTON = 10, 24, 72, 20
ELLIPSIS = "…"

Payload = dict[str, Any]


def shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, cut at a line break, else a space, else hard."""
    parts, rest = [], text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    return [*parts, rest] if rest or not parts else parts


def buttons_of(message: Outgoing) -> list[Button]:
    """The message's choices, rows flattened; a poll's options as its buttons."""
    poll = message.poll
    if poll is not None and poll.option_buttons:
        options = [
            Button(i, label) for i, label in zip(poll.option_buttons, poll.options, strict=False)
        ]
        return options + ([poll.withdraw_button] if poll.withdraw_button else [])
    return [button for row in message.buttons for button in row]


def text_of(message: Outgoing) -> str:
    poll = message.poll
    if poll is not None and not message.text:
        return poll.question
    if poll is not None and poll.question not in message.text:
        return f"{message.text}\n\n{poll.question}"
    return message.text


def _with_full_labels(body: str, buttons: list[Button], limit: int) -> str:
    """The body, with the full label of each button whose title had to be shortened."""
    cut = [b.label for b in buttons if shortened(b.label, limit) != " ".join(b.label.split())]
    if not cut:
        return body
    return body + "\n\n" + "\n".join(f"• {label}" for label in cut)


def _reply_buttons(body: str, buttons: list[Button]) -> Payload:
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {"id": b.id, "title": shortened(b.label, BUTTON_TITLE)},
                    }
                    for b in buttons
                ]
            },
        },
    }


def _list(body: str, buttons: list[Button], menu: str) -> Payload:
    rows = []
    for button in buttons:
        row = {"id": button.id, "title": shortened(button.label, ROW_TITLE)}
        if row["title"] != " ".join(button.label.split()):
            row["description"] = shortened(button.label, ROW_DESCRIPTION)
        rows.append(row)
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {"button": shortened(menu, MENU_BUTTON), "sections": [{"rows": rows}]},
        },
    }


def numbered(text: str, buttons: list[Button]) -> str:
    lines = [f"{number}. {button.label}" for number, button in enumerate(buttons, start=1)]
    return text + "\n\n" + "\n".join(lines)


def shows_numbers(message: Outgoing) -> bool:
    """Whether `message` shows its choices as a numbered list (more than a list holds)."""
    return len(buttons_of(message)) > MAX_LIST_ROWS and message.closes_poll is None


def shows_a_list(message: Outgoing) -> bool:
    """Whether `message` renders as a list message (the only one with a menu button)."""
    return MAX_REPLY_BUTTONS < len(buttons_of(message)) <= MAX_LIST_ROWS


def render(message: Outgoing, menu_label: Callable[[], str]) -> list[Payload]:
    """The Cloud API messages (without `to`) that show `message`, in order. `menu_label`
    gives the list's menu button in the reader's language (asked only for a list)."""
    if message.closes_poll is not None:
        return []  # nothing to close: a poll here is a message of buttons
    found: list[Payload] = []
    if message.media is not None:
        found.append(_media(message))
    if message.location is not None:
        place = message.location
        found.append(
            {
                "type": "location",
                "location": {"latitude": place.latitude, "longitude": place.longitude},
            }
        )
    text, buttons = text_of(message), buttons_of(message)
    if not buttons:
        return found + [_text(part) for part in split_text(text) if part]
    if len(buttons) > MAX_LIST_ROWS:
        return found + [_text(part) for part in split_text(numbered(text, buttons))]
    few = len(buttons) <= MAX_REPLY_BUTTONS
    limit = BUTTON_TITLE if few else ROW_TITLE
    body_limit = BUTTON_BODY_LIMIT if few else LIST_BODY_LIMIT
    *before, body = split_text(_with_full_labels(text or ELLIPSIS, buttons, limit), body_limit)
    found += [_text(part) for part in before]
    if few:
        return [*found, _reply_buttons(body, buttons)]
    return [*found, _list(body, buttons, menu_label())]


def _text(body: str) -> Payload:
    return {"type": "text", "text": {"body": body}}


def _media(message: Outgoing) -> Payload:
    assert message.media is not None
    kind = {"photo": "image", "voice": "audio", "audio": "audio", "video": "video"}.get(
        message.media.kind, "document"
    )
    return {"type": kind, kind: {"id": message.media.file_ref}}
