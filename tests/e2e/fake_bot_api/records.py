"""Frozen records of what the bot did, for assertions in tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UploadedFile:
    """A file the client uploaded in a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Call:
    """One Bot API request and the fake's answer (recorded when answered, so after a poll)."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    http_method: str = "POST"
    content_type: str = ""
    source: str = "http"

    @property
    def ok(self) -> bool:
        """Whether the fake answered `ok: true`."""
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class SentMessage:
    """A bot message now: `text` as seen, `source_text` as sent, `history` before edits."""

    method: str
    chat_id: int
    message_id: int
    message: dict[str, Any]
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    source_text: str | None = None
    reply_markup: dict[str, Any] | None = None
    photo: str | None = None
    document: str | None = None
    voice: str | None = None
    location: dict[str, float] | None = None
    poll: dict[str, Any] | None = None
    deleted: bool = False
    history: tuple[SentMessage, ...] = ()

    @property
    def buttons(self) -> list[list[str]]:
        """Texts of the inline or reply keyboard buttons, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]

    @property
    def callback_data(self) -> list[str]:
        """All `callback_data` values of the inline keyboard, in order."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]

    @property
    def edited(self) -> bool:
        """Whether the message was edited after it was sent."""
        return bool(self.history)


@dataclass(frozen=True)
class DeliveryAttempt:
    """One webhook POST of an update, with the receiver's status or the connection error."""

    update_id: int
    attempt: int
    url: str
    status: int | None
    error: str | None
    secret_token: str | None
    at: float

    @property
    def ok(self) -> bool:
        """Whether the receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class RateViolation:
    """A send that exceeded one of Telegram's rate limits."""

    kind: str
    chat_id: int
    method: str
    count: int
    window: float
    at: float


@dataclass(frozen=True)
class CallbackAnswer:
    """How the bot answered a callback query."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    latency: float


@dataclass
class CallbackQueryRecord:
    """A callback query the fake sent, and its answer once the bot gave it."""

    query_id: str
    update_id: int
    user_id: int
    chat_id: int
    message_id: int
    data: str
    sent_at: float
    answer: CallbackAnswer | None = None


@dataclass
class StoredFile:
    """A file known to the fake: `getFile` resolves it and the file route serves it."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    kind: str
    extra: dict[str, Any] = field(default_factory=dict)
