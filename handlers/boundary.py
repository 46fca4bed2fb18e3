"""Every value a channel hands in, checked before anything stores or reads it.

Channels pass on what their platform sent, and platforms (or whoever forges a request)
send odd things: a place at NaN, a file of negative size, a reference longer than its
column, a NUL byte PostgreSQL refuses in text. A payload that cannot be used becomes
`Unreadable` (the citizen is told, in their language, that it cannot be read); text loses
its NUL bytes and is cut where no reading could need more; an identity that cannot be a
person's is refused with `InvalidIncoming`, a fault of the channel, before anything is
stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any, get_args

from handlers.sanitizing import MAX_MESSAGE_LENGTH
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
    Unreadable,
)

IDENTITY_LIMITS = {"channel": 16, "user_id": 64, "chat_id": 64, "update_id": 64}
# Longer than any message the router accepts, so a long text is still refused as too long.
MAX_TEXT = MAX_MESSAGE_LENGTH + 1
MAX_BUTTON_ID = 256
MAX_FILE_REF = 255  # the width of the complaints' attachment column
MAX_FILE_NAME = 255
MAX_MIME = 100
MAX_FILE_SIZE = 2**53  # far above any channel's limit, well inside a bigint
MAX_POLL_OPTIONS = 12  # Telegram's limit, and more than WhatsApp lists show
MEDIA_KINDS = frozenset(get_args(MediaKind))


class InvalidIncoming(ValueError):
    """The channel handed in an identity no person can have (a channel's fault)."""


def checked(incoming: Incoming) -> Incoming:
    """The incoming update with every value it carries safe to store and to read."""
    for name, limit in IDENTITY_LIMITS.items():
        value = getattr(incoming, name)
        if not isinstance(value, str) or not 0 < len(value) <= limit or "\x00" in value:
            raise InvalidIncoming(f"{name} must be 1-{limit} characters")
    hint = incoming.language_hint
    return replace(
        incoming,
        payload=checked_payload(incoming.payload),
        language_hint=_text(hint, 16) if isinstance(hint, str) else None,
    )


def checked_payload(payload: Payload) -> Payload:
    check = _CHECKS.get(type(payload))
    return check(payload) if check else Unreadable(type(payload).__name__.lower())


def _text(value: str, limit: int) -> str:
    return value.replace("\x00", "")[:limit]


def _optional_text(value: Any, limit: int) -> str | None:
    return _text(value, limit) if isinstance(value, str) and value else None


def _check_text(payload: Text) -> Payload:
    if not isinstance(payload.text, str):
        return Unreadable("text")
    return Text(_text(payload.text, MAX_TEXT))


def _check_command(payload: Command) -> Payload:
    if not isinstance(payload.name, str) or not isinstance(payload.args, str):
        return Unreadable("command")
    return Command(_text(payload.name, 64), _text(payload.args, MAX_TEXT))


def _check_button(payload: ButtonPress) -> Payload:
    if not isinstance(payload.button_id, str):
        return Unreadable("button")
    return ButtonPress(_text(payload.button_id, MAX_BUTTON_ID))


def _check_location(payload: Location) -> Payload:
    latitude, longitude = payload.latitude, payload.longitude
    numbers = all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (latitude, longitude)
    )
    if not numbers or not (math.isfinite(latitude) and math.isfinite(longitude)):
        return Unreadable("location")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return Unreadable("location")
    return Location(float(latitude), float(longitude))


def _check_media(payload: Media) -> Payload:
    file_ref, size = payload.file_ref, payload.size
    if payload.kind not in MEDIA_KINDS or not isinstance(file_ref, str):
        return Unreadable("media")
    if not 0 < len(file_ref) <= MAX_FILE_REF or "\x00" in file_ref:
        return Unreadable("media")
    if size is not None and (not isinstance(size, int) or not 0 <= size <= MAX_FILE_SIZE):
        return Unreadable("media")
    return Media(
        payload.kind,
        file_ref,
        _optional_text(payload.mime_type, MAX_MIME),
        size,
        _optional_text(payload.file_name, MAX_FILE_NAME),
        _optional_text(payload.caption, MAX_TEXT),
    )


def _check_poll_answer(payload: PollAnswer) -> Payload:
    ref, options = payload.poll_ref, payload.option_ids
    if not isinstance(ref, str) or not 0 < len(ref) <= 64 or "\x00" in ref:
        return Unreadable("poll_answer")
    if len(options) > MAX_POLL_OPTIONS or not all(
        isinstance(o, int) and not isinstance(o, bool) and 0 <= o < 100 for o in options
    ):
        return Unreadable("poll_answer")
    return payload


def _check_reachability(payload: Reachability) -> Payload:
    return payload if isinstance(payload.reachable, bool) else Unreadable("reachability")


_CHECKS: dict[type, Callable[[Any], Payload]] = {
    Text: _check_text,
    Command: _check_command,
    ButtonPress: _check_button,
    Location: _check_location,
    Media: _check_media,
    PollAnswer: _check_poll_answer,
    Reachability: _check_reachability,
}
