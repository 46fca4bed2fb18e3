"""The core contract: what a channel hands in (`Incoming`) and what it renders (`Outgoing`).

Adapters (Telegram, the terminal chat) translate platform updates into these values and
back; nothing in the core ever sees a platform object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MediaKind = Literal["photo", "voice", "audio", "video", "document", "sticker", "animation"]


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Command:
    """`/name args` — the name is lower-case, without the slash or a `@botname` suffix."""

    name: str
    args: str = ""


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A pressed button: the opaque id the core put on it (never trusted as is)."""

    button_id: str


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Media:
    """A file the citizen sent, kept as the channel's own reference."""

    kind: MediaKind
    file_ref: str
    mime_type: str | None = None
    size: int | None = None
    file_name: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class PollAnswer:
    poll_ref: str
    option_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Reachability:
    """The citizen blocked (`reachable=False`) or unblocked the bot."""

    reachable: bool


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Something sent that the core cannot use (a kind of message it does not read, a
    place off the map, a file of impossible size): answered, never used as it came."""

    what: str  # "location", "media", "poll_answer", … — for the logs, never shown


Payload = Text | Command | ButtonPress | Location | Media | PollAnswer | Reachability | Unreadable


@dataclass(frozen=True, slots=True)
class Incoming:
    channel: str
    user_id: str
    chat_id: str
    update_id: str
    payload: Payload
    language_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class OutgoingMedia:
    kind: MediaKind
    file_ref: str


@dataclass(frozen=True, slots=True)
class PollRequest:
    """A native poll. `ref` is the core's own reference, handed back by the channel with
    the platform's poll id once sent; a channel without native polls shows the options as
    buttons with the ids in `option_buttons` (one per option, in order), then
    `withdraw_button` (a native poll has its own way to retract a vote)."""

    question: str
    options: tuple[str, ...]
    allows_multiple_answers: bool = False
    ref: str = ""
    option_buttons: tuple[str, ...] = ()
    withdraw_button: Button | None = None  # where votes are buttons: taking one's vote back


@dataclass(frozen=True, slots=True)
class PollShown:
    """What a channel reports once it showed a native poll: the platform's ids of the poll
    (votes name it) and of its message (to close it)."""

    poll_ref: str
    message_ref: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to show; `buttons` are rows of choices, ids at most 64 bytes."""

    chat_id: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    media: OutgoingMedia | None = None
    location: Location | None = None
    poll: PollRequest | None = None
    rtl: bool = False
    closes_poll: str | None = None  # the message of a poll to close (nothing else is shown)
    # A typed number is the answer here: a channel that presses buttons by typing their
    # number (the terminal chat, a numbered list) must read it as the answer instead.
    number_expected: bool = False

    @property
    def button_labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]
