"""Records of what the business did and what the fake delivered, for assertions in tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Call:
    """One HTTP request to the fake and its answer (`payload`: the JSON or form sent)."""

    http_method: str
    path: str
    endpoint: str
    payload: dict[str, Any]
    status: int
    response: dict[str, Any] | None
    at: float

    @property
    def ok(self) -> bool:
        """Whether the fake answered 2xx."""
        return 200 <= self.status < 300

    @property
    def error_code(self) -> int | None:
        """The Graph error code of a refused call."""
        error = (self.response or {}).get("error")
        return error.get("code") if isinstance(error, dict) else None

    @property
    def wamid(self) -> str | None:
        """The message id of an accepted send."""
        messages = (self.response or {}).get("messages") or []
        return messages[0].get("id") if messages else None


@dataclass
class SentMessage:
    """A message the business sent (accepted with a wamid), and what became of it."""

    wamid: str
    to: str
    type: str
    payload: dict[str, Any]
    text: str
    sent_at: float
    buttons: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str, str | None]] = field(default_factory=list)
    template: str | None = None
    category: str = "service"
    statuses: list[str] = field(default_factory=list)
    error_code: int | None = None

    @property
    def failed(self) -> bool:
        """Whether the message failed asynchronously (window closed, blocked, injected)."""
        return self.error_code is not None

    @property
    def seen(self) -> bool:
        """Whether it reached the citizen's phone (not failed)."""
        return not self.failed

    @property
    def button_titles(self) -> list[str]:
        """Titles of the reply buttons, in order."""
        return [title for _, title in self.buttons]

    @property
    def row_titles(self) -> list[str]:
        """Titles of the list rows, in order."""
        return [title for _, title, _ in self.rows]

    @property
    def status(self) -> str | None:
        """The latest status reported by webhook (`sent`, `delivered`, `read`, `failed`)."""
        return self.statuses[-1] if self.statuses else None


@dataclass(frozen=True)
class WebhookEvent:
    """One webhook POST body, serialised once: redeliveries send the very same bytes."""

    event_id: int
    kind: str
    body: bytes
    created_at: float

    @property
    def payload(self) -> dict[str, Any]:
        """The decoded JSON."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def value(self) -> dict[str, Any]:
        """`entry[0].changes[0].value`."""
        value: dict[str, Any] = self.payload["entry"][0]["changes"][0]["value"]
        return value

    @property
    def ids(self) -> list[str]:
        """The wamids the event carries (inbound messages, or messages whose status it is)."""
        items = self.value.get("messages") or self.value.get("statuses") or []
        return [item["id"] for item in items]


@dataclass(frozen=True)
class DeliveryAttempt:
    """One webhook POST, with the receiver's status or the connection error."""

    event_id: int
    attempt: int
    url: str
    status: int | None
    error: str | None
    signature: str
    at: float

    @property
    def ok(self) -> bool:
        """Whether the receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class RateViolation:
    """A send beyond a throughput limit (`throughput`: per number, `pair`: per citizen)."""

    kind: str
    to: str
    count: int
    at: float


@dataclass(frozen=True)
class StoredMedia:
    """Bytes the media endpoints serve: a citizen's upload or the business's."""

    media_id: str
    data: bytes
    mime_type: str
    sha256: str
    filename: str | None = None
    origin: str = "user"

    def info(self, url: str) -> dict[str, Any]:
        """The JSON of `GET /{version}/{media_id}`."""
        return {
            "messaging_product": "whatsapp",
            "url": url,
            "mime_type": self.mime_type,
            "sha256": self.sha256,
            "file_size": len(self.data),
            "id": self.media_id,
        }


@dataclass(frozen=True)
class Template:
    """An approved message template: its body text with `{{1}}`… or just a parameter count."""

    name: str
    language: str
    body_params: int = 0
    header_params: int = 0
    body: str | None = None
    category: str = "UTILITY"

    def render(self, params: list[str]) -> str:
        """The body as the citizen reads it (or a summary when the body is unknown)."""
        if self.body is None:
            return f"[template {self.name}] " + " | ".join(params)
        text = self.body
        for number, value in enumerate(params, start=1):
            text = text.replace(f"{{{{{number}}}}}", value)
        return text
