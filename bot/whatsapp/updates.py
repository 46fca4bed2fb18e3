"""WhatsApp webhook events (the JSON Meta posts) → the core's `Incoming`, and the delivery
statuses of messages sent (sent, delivered, read, failed) that come in the same events.

    {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
      "value": {"messages": [...], "statuses": [...], "contacts": [...]}}]}]}

A message is keyed by its `wamid`, so one delivered twice is stored once. What the core
cannot use (reactions, stickers, unsupported kinds) arrives as `Unreadable`: the citizen
is told, translated, that the bot cannot read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
    Text,
    Unreadable,
)

CHANNEL = "whatsapp"
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:\s+(.*))?$", re.DOTALL)
_MEDIA: dict[str, MediaKind] = {
    "image": "photo",
    "video": "video",
    "document": "document",
    "sticker": "sticker",
}

Message = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """What Meta says of a message sent: `sent`, `delivered`, `read` or `failed`."""

    message_ref: str  # the wamid the send answered with
    status: str
    recipient: str
    timestamp: int
    error_codes: tuple[int, ...] = ()
    callback_data: str | None = None  # what the send put in `biz_opaque_callback_data`


@dataclass(frozen=True, slots=True)
class WebhookEvents:
    messages: list[Incoming]
    statuses: list[DeliveryStatus]


def _values(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if body.get("object") != "whatsapp_business_account":
        return []
    return [
        change.get("value") or {}
        for entry in body.get("entry") or ()
        for change in entry.get("changes") or ()
        if change.get("field") == "messages"
    ]


def read_events(body: Mapping[str, Any]) -> WebhookEvents:
    """Every message and status of a webhook body (others are left out)."""
    messages, statuses = [], []
    for value in _values(body):
        for message in value.get("messages") or ():
            incoming = incoming_of(message)
            if incoming is not None:
                messages.append(incoming)
        for status in value.get("statuses") or ():
            statuses.append(_status_of(status))
    return WebhookEvents(messages, statuses)


def incoming_of(message: Message) -> Incoming | None:
    """One message as an `Incoming`; None without a sender or an id."""
    sender, message_id = str(message.get("from") or ""), str(message.get("id") or "")
    if not sender or not message_id:
        return None
    return Incoming(CHANNEL, sender, sender, message_id, payload_of(message))


def payload_of(message: Message) -> Payload:
    kind = str(message.get("type") or "")
    read = _READERS.get(kind)
    payload = read(message.get(kind) or {}) if read is not None else None
    return payload if payload is not None else Unreadable(kind or "unknown")


def _text(content: Mapping[str, Any]) -> Payload | None:
    body = str(content.get("body") or "")
    command = _COMMAND.match(body.strip())
    if command is not None:
        return Command(command[1].lower(), (command[2] or "").strip())
    return Text(body)


def _interactive(content: Mapping[str, Any]) -> Payload | None:
    reply = content.get("button_reply") or content.get("list_reply")
    if isinstance(reply, Mapping) and reply.get("id"):
        return ButtonPress(str(reply["id"]))
    return None


def _template_button(content: Mapping[str, Any]) -> Payload | None:
    """A quick-reply button of a template message: its payload is the core's id."""
    payload = content.get("payload")
    return ButtonPress(str(payload)) if payload else None


def _location(content: Mapping[str, Any]) -> Payload | None:
    try:
        return Location(float(content["latitude"]), float(content["longitude"]))
    except (KeyError, TypeError, ValueError):
        return None


def _audio(content: Mapping[str, Any]) -> Payload | None:
    kind: MediaKind = "voice" if content.get("voice") else "audio"
    return _media_of(kind, content)


def _media(kind: str) -> Any:
    return lambda content: _media_of(_MEDIA[kind], content)


def _media_of(kind: MediaKind, content: Mapping[str, Any]) -> Payload | None:
    media_id = content.get("id")
    if not media_id:
        return None
    mime = content.get("mime_type")
    return Media(
        kind,
        str(media_id),
        mime_type=str(mime).split(";")[0].strip() if mime else None,
        file_name=content.get("filename"),
        caption=content.get("caption"),
    )


def _contacts(content: Any) -> Payload | None:
    """A shared contact reads as what it says: its name and numbers, as text."""
    if not isinstance(content, list) or not content:
        return None
    lines = []
    for contact in content:
        name = (contact.get("name") or {}).get("formatted_name") or ""
        phones = [str(p.get("phone") or p.get("wa_id") or "") for p in contact.get("phones") or ()]
        lines.append(" ".join(part for part in (name, *phones) if part))
    text = "\n".join(line for line in lines if line)
    return Text(text) if text else None


_READERS = {
    "text": _text,
    "interactive": _interactive,
    "button": _template_button,
    "location": _location,
    "audio": _audio,
    "contacts": _contacts,
    **{kind: _media(kind) for kind in _MEDIA},
}


def _status_of(status: Mapping[str, Any]) -> DeliveryStatus:
    codes = tuple(int(e["code"]) for e in status.get("errors") or () if "code" in e)
    return DeliveryStatus(
        message_ref=str(status.get("id") or ""),
        status=str(status.get("status") or ""),
        recipient=str(status.get("recipient_id") or ""),
        timestamp=int(status.get("timestamp") or 0),
        error_codes=codes,
        callback_data=str(status.get("biz_opaque_callback_data") or "") or None,
    )
