"""Payloads and outgoing messages as plain JSON-able dicts, for the inbox and the outbox."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from handlers.types import (
    Button,
    ButtonPress,
    Command,
    Location,
    Media,
    Outgoing,
    OutgoingMedia,
    Payload,
    PollAnswer,
    PollRequest,
    Reachability,
    Text,
    Unreadable,
)

PAYLOAD_TYPES: dict[str, type] = {
    "text": Text,
    "command": Command,
    "button": ButtonPress,
    "location": Location,
    "media": Media,
    "poll_answer": PollAnswer,
    "reachability": Reachability,
    "unreadable": Unreadable,
}
TYPE_NAMES = {cls: name for name, cls in PAYLOAD_TYPES.items()}


def payload_to_dict(payload: Payload) -> dict[str, Any]:
    return {"type": TYPE_NAMES[type(payload)], **asdict(payload)}


def payload_from_dict(data: dict[str, Any]) -> Payload:
    values = dict(data)
    cls = PAYLOAD_TYPES[values.pop("type")]
    if cls is PollAnswer:
        values["option_ids"] = tuple(values["option_ids"])
    return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})


def outgoing_to_dict(message: Outgoing) -> dict[str, Any]:
    return asdict(message)


def outgoing_from_dict(data: dict[str, Any]) -> Outgoing:
    poll = data.get("poll")
    media = data.get("media")
    location = data.get("location")
    return Outgoing(
        chat_id=data["chat_id"],
        text=data["text"],
        buttons=tuple(tuple(Button(**b) for b in row) for row in data.get("buttons", ())),
        media=OutgoingMedia(**media) if media else None,
        location=Location(**location) if location else None,
        poll=_poll_request(poll) if poll else None,
        rtl=data.get("rtl", False),
        closes_poll=data.get("closes_poll"),
        number_expected=data.get("number_expected", False),
    )


def _poll_request(data: dict[str, Any]) -> PollRequest:
    return PollRequest(
        question=data["question"],
        options=tuple(data["options"]),
        allows_multiple_answers=data["allows_multiple_answers"],
        ref=data.get("ref", ""),
        option_buttons=tuple(data.get("option_buttons", ())),
        withdraw_button=Button(**withdraw) if (withdraw := data.get("withdraw_button")) else None,
    )
